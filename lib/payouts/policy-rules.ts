/**
 * The approval policy (DESIGN.md §3) as a pure rule: a payout is approved automatically when it holds no more
 * than the campaign's threshold and the day's auto-approved total, with it, stays within the daily cap;
 * everything else waits for an approver. Also used by the send form to say which will happen.
 */
export type ApprovalPolicy = { autoApproveMaxFen: number; autoApproveDailyCapFen: number };

export function decideApproval(
  policy: ApprovalPolicy,
  amountFen: number,
  autoApprovedTodayFen: number,
): "auto" | "approver" {
  if (amountFen > policy.autoApproveMaxFen) return "approver";
  if (autoApprovedTodayFen + amountFen > policy.autoApproveDailyCapFen) return "approver";
  return "auto";
}
