/**
 * Small rules of how payouts are shown: the amount people see, which buttons a status offers, what an unknown
 * attempt's recorded reason means, whether the history is filtered, and the export's file name. Pure: used by
 * the services, the pages and the client components alike.
 */
import type { UnknownReason } from "@/lib/alipay/result";
import type { PayoutStatus } from "@/lib/enums";
import { formatDateTime } from "@/lib/format/date";
import type { PayoutListQuery } from "@/lib/validation/payouts";
import { isCancellable } from "./transitions";

/** What Alipay paid once known, else the amount held for it: the amount shown and totalled. */
export function displayAmountFen(payout: { amountFen: number; awardedFen: number | null }): number {
  return payout.awardedFen ?? payout.amountFen;
}

/**
 * Whether a person may send it again with the same outBizNo: a failure a retry can cure, or a payout needing
 * attention (lib/payouts/decisions.ts retryPayout says the same on the server).
 */
export function canRetryPayout(payout: { status: PayoutStatus; failureRetryable: boolean | null }): boolean {
  return (
    payout.status === "NEEDS_ATTENTION" || (payout.status === "FAILED" && payout.failureRetryable === true)
  );
}

/** Unsent (pending or approved): a person may still withdraw it. */
export function canCancelPayout(payout: { status: PayoutStatus }): boolean {
  return isCancellable(payout.status);
}

/** The kinds of unknown outcome (lib/alipay/result.ts), each described in words on the detail page. */
const UNKNOWN_REASONS: Readonly<Record<UnknownReason, true>> = {
  timeout: true,
  network: true,
  "http-status": true,
  unparsable: true,
  "bad-signature": true,
  unsigned: true,
  "service-unavailable": true,
  "system-error": true,
  processing: true,
  "invalid-response": true,
  "unexpected-code": true,
};

/** An attempt's recorded reason (`timeout: socket hang up`) → its kind, or null when it names none. */
export function unknownReasonOf(reason: string | null): UnknownReason | null {
  if (!reason) return null;
  const kind = reason.split(":", 1)[0]?.trim() ?? "";
  return Object.hasOwn(UNKNOWN_REASONS, kind) ? (kind as UnknownReason) : null;
}

/** The URL parameters of the history's filters (the table's reset button clears them; `q` is separate). */
export const PAYOUT_FILTER_PARAMS = [
  "status",
  "campaign",
  "scene",
  "source",
  "from",
  "to",
  "recipient",
  "outBizNo",
  "batch",
] as const;

/** Whether the history is narrowed by anything: an empty result then means "no match", not "no payouts". */
export function hasPayoutFilters(query: Pick<PayoutListQuery, "q" | (typeof PAYOUT_FILTER_PARAMS)[number]>) {
  return query.q !== "" || PAYOUT_FILTER_PARAMS.some((param) => query[param] !== undefined);
}

/** `payouts-20261121-2015.csv`, stamped in the display time zone. */
export function payoutsCsvFilename(now: Date, timeZone: string): string {
  return `payouts-${formatDateTime(now, timeZone)
    .replace(/[-: ]/g, "")
    .replace(/^(\d{8})/, "$1-")}.csv`;
}

/** Identifies the filtered view (not its page or sort): the totals are read again only when this changes. */
export function payoutTotalsKey(query: PayoutListQuery): string {
  return JSON.stringify([query.q, ...PAYOUT_FILTER_PARAMS.map((param) => query[param] ?? null)]);
}
