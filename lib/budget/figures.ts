/**
 * A campaign's budget arithmetic, all integer fen. Pure: the services, the pages and the client components use
 * the same functions, so a figure is computed one way everywhere.
 */
import type { CampaignRail } from "@/generated/prisma/enums";

export type BudgetState = {
  budgetFen: number;
  reservedFen: number;
  spentFen: number;
  refundedFen: number;
};

/** `budget − reserved − spent − refunded`: what is neither held for a payout, paid out, nor returned. */
export function availableFen(c: BudgetState): number {
  return c.budgetFen - c.reservedFen - c.spentFen - c.refundedFen;
}

/**
 * Whether a campaign's budget is running low: less than a tenth of it is left (`available × 10 < budget`, in
 * integer fen, so ¥10.00 of ¥100.00 is not low and ¥9.99 is). The dashboard lists such campaigns, and a
 * reservation that crosses the line is recorded as `campaign.budget_low`.
 */
export function isBudgetLow(availableFen: number, budgetFen: number): boolean {
  return availableFen * 10 < budgetFen;
}

/** Alipay's camp_status values at which a cash campaign's budget has been paid on the cashier. */
const PAID_CASH_CAMPAIGN_STATUSES: readonly string[] = [
  "PAID",
  "READY",
  "PAUSE",
  "CLOSED",
  "SETTLE",
  "SETTLED",
];

/**
 * Whether money backs the budget yet. A cash campaign is created at Alipay first and paid later: until then
 * its budget is a plan, not money, and nothing of it is available. A transfer campaign pays from the merchant
 * balance, so its budget (the console's own limit) is usable from creation; a fund-coupon campaign's budget is
 * the sum of its paid orders, so it is funded once the first one is paid (budgetFen > 0).
 */
export function isFunded(c: { rail: CampaignRail; alipayStatus: string | null; budgetFen: number }): boolean {
  switch (c.rail) {
    case "CASH_CAMPAIGN":
      return c.alipayStatus !== null && PAID_CASH_CAMPAIGN_STATUSES.includes(c.alipayStatus);
    case "TRANSFER":
      return true;
    case "FUND_COUPON":
      return c.budgetFen > 0;
  }
}

/** What can still be paid out: the available budget once funded, ¥0 before. */
export function spendableFen(c: BudgetState & { rail: CampaignRail; alipayStatus: string | null }): number {
  return isFunded(c) ? availableFen(c) : 0;
}
