"use client";

import type { ReactNode } from "react";
import { cn } from "@/lib/cn";
import { formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import type { PayoutDetailView } from "@/lib/payouts/types";

const TONES = {
  red: "bg-red-50 text-red-800 ring-red-200",
  amber: "bg-amber-50 text-amber-900 ring-amber-200",
  blue: "bg-blue-50 text-blue-800 ring-blue-200",
  gray: "bg-gray-50 text-gray-700 ring-gray-200",
} as const;

function Notice({ tone, children }: { tone: keyof typeof TONES; children: ReactNode }) {
  return (
    <p className={cn("rounded-md px-4 py-3 text-sm ring-1", TONES[tone])} data-testid="payout-notice">
      {children}
    </p>
  );
}

/**
 * What the payout's status means for the reader, in a sentence: an unknown outcome is being confirmed (never
 * paid twice), a failure says whether a retry can help or a new request is needed, and a payout needing
 * attention says why.
 */
export function PayoutStatusNotice({
  payout,
}: {
  payout: Pick<
    PayoutDetailView,
    | "status"
    | "outBizNo"
    | "failureCode"
    | "failureMessage"
    | "failureRetryable"
    | "attentionReason"
    | "awardedFen"
  >;
}) {
  const { t } = useI18n();
  const failure = payout.failureMessage ?? payout.failureCode ?? "—";
  switch (payout.status) {
    case "PENDING_APPROVAL":
      return <Notice tone="gray">{t("payouts.detail.notice.pending")}</Notice>;
    case "APPROVED":
    case "SENDING":
      return <Notice tone="blue">{t("payouts.detail.notice.sending")}</Notice>;
    case "UNKNOWN":
      return <Notice tone="blue">{t("payouts.detail.notice.unknown", { outBizNo: payout.outBizNo })}</Notice>;
    case "NEEDS_ATTENTION":
      return (
        <Notice tone="amber">
          {payout.attentionReason === "awardedOverBudget"
            ? t("payouts.detail.notice.awardedOverBudget", {
                amount: payout.awardedFen === null ? "—" : formatFen(payout.awardedFen),
              })
            : payout.attentionReason === "PAYMENT_INFO_INCONSISTENCY"
              ? t("payouts.detail.notice.paymentInfoInconsistency", { outBizNo: payout.outBizNo })
              : t("payouts.detail.notice.retryBudgetSpent")}
        </Notice>
      );
    case "FAILED":
      return (
        <Notice tone="red">
          {payout.failureRetryable
            ? t("payouts.detail.notice.failedRetryable", { message: failure })
            : t("payouts.detail.notice.failedFinal", { message: failure })}
        </Notice>
      );
    default:
      return null;
  }
}
