import "server-only";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { csvStream, type CsvRow } from "@/lib/csv/writer";
import { formatDateTime } from "@/lib/format/date";
import type { Translator } from "@/lib/i18n/messages";
import { fenToDecimal } from "@/lib/money";
import { afterTimeKey, walkByTime } from "@/lib/validation/keyset";
import type { PayoutListQuery } from "@/lib/validation/payouts";
import { payoutWhere, readPayoutRows, toPayoutRow, type PayoutScope } from "./queries";
import type { PayoutRow } from "./types";

export const PAYOUT_EXPORT_CHUNK = 1000;

/**
 * Every payout matching the history's filters, newest first (oldest first when the history is sorted by time
 * ascending; other sorts export by time too, the only order that can be walked without OFFSET). Read in chunks
 * by keyset over (createdAt, id), the index the history's default view uses, so each query is as cheap as the
 * first and at most one chunk is in memory.
 */
export async function* iteratePayouts(
  actor: Actor,
  query: PayoutListQuery,
  scope?: PayoutScope,
  chunkSize = PAYOUT_EXPORT_CHUNK,
): AsyncGenerator<PayoutRow> {
  assertCan(actor, "payout:export");
  const direction = query.sort.field === "createdAt" ? query.sort.direction : "desc";
  const where = payoutWhere(query, scope);
  const chunks = walkByTime(chunkSize, (after) =>
    readPayoutRows({
      where: after ? { AND: [where, afterTimeKey(after, direction)] } : where,
      orderBy: [{ createdAt: direction }, { id: direction }],
      take: chunkSize,
    }),
  );
  for await (const chunk of chunks) for (const record of chunk) yield toPayoutRow(record);
}

/**
 * The filtered history as a CSV download: labels in the reader's language, times in the display time zone,
 * recipients masked, amounts in yuan with two decimals ("12.34", a number a spreadsheet can add up).
 */
export function payoutsCsv(
  actor: Actor,
  query: PayoutListQuery,
  i18n: { t: Translator; timeZone: string },
  scope?: PayoutScope,
  chunkSize = PAYOUT_EXPORT_CHUNK,
): ReadableStream<Uint8Array> {
  // Refuse before the response starts: the generator's own check would only run once the download began.
  assertCan(actor, "payout:export");
  const { t, timeZone } = i18n;
  const header: CsvRow = [
    t("payouts.export.time"),
    t("payouts.export.campaign"),
    t("payouts.export.outBizNo"),
    t("payouts.export.recipientType"),
    t("payouts.export.recipient"),
    t("payouts.export.scene"),
    t("payouts.export.source"),
    t("payouts.export.status"),
    t("payouts.export.amount"),
    t("payouts.export.memo"),
    t("payouts.export.requestedBy"),
  ];
  async function* rows(): AsyncGenerator<CsvRow> {
    for await (const row of iteratePayouts(actor, query, scope, chunkSize)) {
      yield [
        formatDateTime(row.createdAt, timeZone, { seconds: true }),
        row.campaignName,
        row.outBizNo,
        t(`payouts.history.identityType.${row.identityType}`),
        row.recipient,
        t(`campaigns.scene.${row.scene}`),
        t(`payouts.history.source.${row.source}`),
        t(`payouts.status.${row.status}`),
        fenToDecimal(row.amountFen),
        row.memo,
        row.requestedByLabel,
      ];
    }
  }
  return csvStream(header, rows());
}
