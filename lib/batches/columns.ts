/**
 * The batch file's columns, stated once: the parser recognises headers and values from this table, the template
 * writes its header and examples from it, and docs/batches.md and the upload page describe it. Pure: the
 * browser uses it to show the format.
 *
 * Headers are part of the file format, not of the translations: a file written from the Chinese template must
 * keep parsing whatever the dictionaries later say, so the header texts live here, and i18n only names the
 * columns in messages (`batches.column.*`).
 */
import { IDENTITY_TYPES, SCENES, type IdentityType, type PayoutScene } from "@/lib/enums";
import type { Locale } from "@/lib/i18n/locales";
import { DICTIONARIES, LOCALES, type MessageKey } from "@/lib/i18n/messages";

export const BATCH_FIELDS = ["identityType", "identity", "name", "scene", "memo", "outBizNo"] as const;
export type BatchField = (typeof BATCH_FIELDS)[number];

export type BatchColumn = {
  field: BatchField;
  required: boolean;
  /** The template's header in each language. */
  header: Readonly<Record<Locale, string>>;
  /** Other headers people write for it (compared after `normaliseHeader`). */
  aliases: readonly string[];
  /** The column's name in messages ("row 7, column Recipient"). */
  labelKey: MessageKey;
  /** What the column holds, for the template page and docs. */
  hintKey: MessageKey;
};

export const BATCH_COLUMNS: readonly BatchColumn[] = [
  {
    field: "identityType",
    required: true,
    header: { "zh-CN": "收款人类型", en: "recipient_type" },
    aliases: ["identity_type", "identityType", "recipient type", "账号类型", "收款账号类型"],
    labelKey: "batches.column.identityType",
    hintKey: "batches.columnHint.identityType",
  },
  {
    field: "identity",
    required: true,
    header: { "zh-CN": "收款人", en: "recipient_id" },
    aliases: ["recipient", "identity", "收款人ID", "收款人账号", "收款账号"],
    labelKey: "batches.column.identity",
    hintKey: "batches.columnHint.identity",
  },
  {
    field: "name",
    required: false,
    header: { "zh-CN": "姓名", en: "name" },
    aliases: ["recipient_name", "收款人姓名", "真实姓名"],
    labelKey: "batches.column.name",
    hintKey: "batches.columnHint.name",
  },
  {
    field: "scene",
    required: false,
    header: { "zh-CN": "场景", en: "scene" },
    aliases: ["发放场景"],
    labelKey: "batches.column.scene",
    hintKey: "batches.columnHint.scene",
  },
  {
    field: "memo",
    required: false,
    header: { "zh-CN": "备注", en: "memo" },
    aliases: ["remark", "note", "留言"],
    labelKey: "batches.column.memo",
    hintKey: "batches.columnHint.memo",
  },
  {
    field: "outBizNo",
    required: false,
    header: { "zh-CN": "业务单号", en: "out_biz_no" },
    aliases: ["outBizNo", "business_reference", "商户单号", "外部单号"],
    labelKey: "batches.column.outBizNo",
    hintKey: "batches.columnHint.outBizNo",
  },
];

export function batchColumn(field: BatchField): BatchColumn {
  const column = BATCH_COLUMNS.find((c) => c.field === field);
  if (!column) throw new Error(`unknown batch field ${field}`);
  return column;
}

/**
 * What headers and enumerated values are compared as: case, full-width forms (Chinese input methods type
 * `ＩＤ`), spaces, `_` and `-` do not matter, and a trailing note in brackets ("收款人（必填）") or a required
 * marker (`*`) is dropped.
 */
export function normaliseHeader(text: string): string {
  return text
    .normalize("NFKC")
    .trim()
    .replace(/^\*+|\*+$/g, "")
    .replace(/\s*[([][^)\]]*[)\]]\s*$/, "")
    .replace(/[\s_\-]+/g, "")
    .toLowerCase();
}

const FIELD_BY_HEADER: ReadonlyMap<string, BatchField> = new Map(
  BATCH_COLUMNS.flatMap((column) =>
    [column.field, ...Object.values(column.header), ...column.aliases].map(
      (text) => [normaliseHeader(text), column.field] as const,
    ),
  ),
);

/**
 * Columns the console itself adds to the invalid-rows download (its reason and original row number): ignored
 * without a warning when that file is fixed and uploaded again.
 */
export const INVALID_ROWS_HEADERS: Readonly<Record<"reason" | "row", Readonly<Record<Locale, string>>>> = {
  reason: { "zh-CN": "错误原因", en: "reason" },
  row: { "zh-CN": "原行号", en: "original_row" },
};

const SILENTLY_IGNORED: ReadonlySet<string> = new Set(
  Object.values(INVALID_ROWS_HEADERS).flatMap((texts) => Object.values(texts).map(normaliseHeader)),
);

/** The field a header names, `ignored` for the console's own extra columns, or null when unknown. */
export function fieldForHeader(header: string): BatchField | "ignored" | null {
  const normalised = normaliseHeader(header);
  if (normalised === "" || SILENTLY_IGNORED.has(normalised)) return "ignored";
  return FIELD_BY_HEADER.get(normalised) ?? null;
}

/** Words people use for each recipient type, beside the codes themselves. */
const IDENTITY_TYPE_ALIASES: Readonly<Record<IdentityType, readonly string[]>> = {
  USER_ID: ["用户ID", "支付宝用户ID", "UID", "userid"],
  OPEN_ID: ["OpenID", "支付宝OpenID"],
  LOGIN_ID: ["登录账号", "支付宝账号", "登录名", "loginid"],
};

/** How the template and docs write each recipient type in each language. */
export const IDENTITY_TYPE_LABELS: Readonly<Record<Locale, Readonly<Record<IdentityType, string>>>> = {
  "zh-CN": { USER_ID: "用户ID", OPEN_ID: "OpenID", LOGIN_ID: "登录账号" },
  en: { USER_ID: "USER_ID", OPEN_ID: "OPEN_ID", LOGIN_ID: "LOGIN_ID" },
};

const IDENTITY_TYPE_BY_TEXT: ReadonlyMap<string, IdentityType> = new Map(
  IDENTITY_TYPES.flatMap((type) =>
    [type, ...IDENTITY_TYPE_ALIASES[type], ...LOCALES.map((l) => IDENTITY_TYPE_LABELS[l][type])].map(
      (text) => [normaliseHeader(text), type] as const,
    ),
  ),
);

export function parseIdentityType(text: string): IdentityType | null {
  return IDENTITY_TYPE_BY_TEXT.get(normaliseHeader(text)) ?? null;
}

/** Short words for scenes beside the codes and the product's own scene labels in every language. */
const SCENE_ALIASES: Readonly<Record<PayoutScene, readonly string[]>> = {
  POINTS_REDEMPTION: ["积分", "积分兑换红包"],
  INVITE_REWARD: ["邀请", "邀请注册", "邀请奖励", "invite"],
  MANUAL: ["手动", "人工", "人工发放"],
  OTHER: [],
};

const SCENE_BY_TEXT: ReadonlyMap<string, PayoutScene> = new Map(
  SCENES.flatMap((scene) =>
    [
      scene,
      ...SCENE_ALIASES[scene],
      ...LOCALES.map((locale) => DICTIONARIES[locale][`campaigns.scene.${scene}`]),
    ].map((text) => [normaliseHeader(text), scene] as const),
  ),
);

export function parseScene(text: string): PayoutScene | null {
  return SCENE_BY_TEXT.get(normaliseHeader(text)) ?? null;
}

/** "收款人类型/recipient_type": how a column is named in a file-level message, readable in either language. */
export function columnHeadersText(field: BatchField): string {
  const { header } = batchColumn(field);
  return LOCALES.map((locale) => header[locale]).join("/");
}
