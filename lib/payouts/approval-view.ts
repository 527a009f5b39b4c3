/**
 * The approval queue as the console receives it (plain JSON: ISO dates, fen integers) and what a decision did,
 * in words. Pure: the page, the table and the service share these.
 */
import type { IdentityType, PayoutScene, PayoutSource, PrizeType } from "@/lib/enums";
import type { MessageKey, Translator } from "@/lib/i18n/messages";

export type ApprovalRow = {
  id: string;
  createdAt: string;
  requestedByLabel: string;
  /** The reader asked for it: maker-checker says someone else decides. */
  isOwn: boolean;
  identityType: IdentityType;
  /** Masked (maskIdentity): enough to recognise, not enough to copy. */
  recipient: string;
  /** What the payout holds: the packet (fixed prize) or the largest packet Alipay may award (random). */
  amountFen: number;
  prizeType: PrizeType;
  campaign: { id: string; name: string };
  /** What is left of the campaign's budget (this payout's hold already taken out). */
  budgetLeftFen: number;
  /** The campaign's auto-approved total today (Beijing day) and its daily cap. */
  autoApprovedTodayFen: number;
  autoApproveDailyCapFen: number;
  scene: PayoutScene;
  memo: string | null;
  source: PayoutSource;
  outBizNo: string;
};

/** What decidePayouts answers (lib/payouts/decisions.ts DecisionOutcome). */
export type DecisionSummaryInput = { done: string[]; refused: { id: string; reason: MessageKey }[] };

/**
 * "3 approved; 1 skipped: <reason>": what was decided and, per reason (in the order first met), how many were
 * left as they were.
 */
export function describeDecisionOutcome(
  outcome: DecisionSummaryInput,
  decision: "approve" | "reject",
  t: Translator,
): string {
  const counts = new Map<MessageKey, number>();
  for (const { reason } of outcome.refused) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const parts = [
    t(decision === "approve" ? "approvals.result.approved" : "approvals.result.rejected", {
      count: outcome.done.length,
    }),
    ...[...counts].map(([reason, count]) => t("approvals.result.skipped", { count, reason: t(reason) })),
  ];
  return parts.join(t("approvals.result.separator"));
}
