/**
 * What applying one verified Alipay notification came to. The receiver (/api/alipay/notify) stores it with the
 * notification and answers Alipay `success` for APPLIED, DUPLICATE and IGNORED, `fail` for REFUSED and DEFERRED.
 */
export type NotificationResult = {
  outcome: "APPLIED" | "IGNORED" | "REFUSED" | "DEFERRED";
  /** Why it was refused, ignored or deferred: an i18n key under `notifications.reason.*`. */
  reason?: string;
  /** What it was about, when we found it (FundOrder, CampaignRefund, Payout). */
  entityType?: string;
  entityId?: string;
};
