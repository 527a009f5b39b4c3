/**
 * The batch template people download: a CSV (UTF-8 with a BOM, so Excel opens the Chinese right) with the
 * header in the reader's language and one example row per recipient type. Pure: the page may build it in the
 * browser as well as serve it.
 *
 * The examples are well-formed but refused by the validator (TEMPLATE_EXAMPLE_IDENTITIES), so a template
 * uploaded without replacing them pays nobody.
 */
import { CSV_BOM, csvLine } from "@/lib/csv/writer";
import { IDENTITY_TYPES, type IdentityType, type PayoutScene } from "@/lib/enums";
import type { Locale } from "@/lib/i18n/locales";
import { translate } from "@/lib/i18n/messages";
import { BATCH_COLUMNS, IDENTITY_TYPE_LABELS, type BatchField } from "./columns";

type Example = { identity: string; name: string; scene: PayoutScene | null; outBizNo: string };

const EXAMPLES: Readonly<Record<IdentityType, Example>> = {
  USER_ID: { identity: "2088000000000001", name: "", scene: "POINTS_REDEMPTION", outBizNo: "points_000001" },
  OPEN_ID: { identity: "074a0000000000000000example", name: "", scene: "INVITE_REWARD", outBizNo: "" },
  LOGIN_ID: { identity: "13800000000", name: "张三", scene: null, outBizNo: "" },
};

export const TEMPLATE_EXAMPLE_IDENTITIES: ReadonlySet<string> = new Set(
  Object.values(EXAMPLES).map((example) => example.identity),
);

export const TEMPLATE_FILE_NAME: Readonly<Record<Locale, string>> = {
  "zh-CN": "红包批量发放模板.csv",
  en: "hongbao-batch-template.csv",
};

function exampleCells(locale: Locale, type: IdentityType): Record<BatchField, string> {
  const example = EXAMPLES[type];
  return {
    identityType: IDENTITY_TYPE_LABELS[locale][type],
    identity: example.identity,
    name: example.name,
    scene: example.scene ? translate(locale, `campaigns.scene.${example.scene}`) : "",
    memo: translate(locale, "batches.template.exampleMemo"),
    outBizNo: example.outBizNo,
  };
}

/** The template's text, BOM included: serve it as `text/csv; charset=utf-8`. */
export function batchTemplateCsv(locale: Locale): string {
  const header = BATCH_COLUMNS.map((column) => column.header[locale]);
  const rows = IDENTITY_TYPES.map((type) => {
    const cells = exampleCells(locale, type);
    return BATCH_COLUMNS.map((column) => cells[column.field]);
  });
  return CSV_BOM + csvLine(header) + rows.map(csvLine).join("");
}
