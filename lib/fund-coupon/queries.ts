import "server-only";
import type { FundOrderMethod, FundOrderStatus } from "@/generated/prisma/client";
import { assertCampaignInScope, assertCan, type Actor } from "@/lib/auth/actor";
import { availableFen } from "@/lib/budget/figures";
import { db } from "@/lib/db";
import { domainError } from "@/lib/errors";
import { isUsable, orderBalances } from "./balances";

export type FundingOrderRow = {
  id: string;
  method: FundOrderMethod;
  status: FundOrderStatus;
  outOrderNo: string;
  authNo: string | null;
  amountFen: number;
  /** Paid out by SUCCEEDED payouts. */
  disbursedFen: number;
  refundedFen: number;
  /** What a return could take from it now (its remainder, within the campaign's available). */
  refundableFen: number;
  expiresAt: string | null;
  paidAt: string | null;
  createdAt: string;
};

export type FundingSummary = {
  /** The budget: the sum of the campaign's paid orders. */
  fundedFen: number;
  disbursedFen: number;
  refundedFen: number;
  /** Refunds under way (PENDING/UNKNOWN), held from the budget. */
  refundingFen: number;
  availableFen: number;
  orders: FundingOrderRow[];
};

/** A FUND_COUPON campaign's money as plain JSON for its page: the figures and every order, newest first. */
export async function fundingSummary(actor: Actor, campaignId: string): Promise<FundingSummary> {
  assertCan(actor, "campaign:read");
  assertCampaignInScope(actor, campaignId);
  const campaign = await db.campaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw domainError("NOT_FOUND");
  const balances = await orderBalances(db, { campaignId });
  const available = Math.max(0, availableFen(campaign));
  const now = new Date();
  const orders = balances
    .map((o) => ({
      id: o.id,
      method: o.method,
      status: o.status,
      outOrderNo: o.outOrderNo,
      authNo: o.authNo,
      amountFen: o.amountFen,
      disbursedFen: o.disbursedFen,
      refundedFen: o.refundedFen,
      refundableFen: isUsable(o, now) ? Math.max(0, Math.min(o.remainingFen, available)) : 0,
      expiresAt: o.expiresAt ? o.expiresAt.toISOString() : null,
      paidAt: o.paidAt ? o.paidAt.toISOString() : null,
      createdAt: o.createdAt.toISOString(),
    }))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  return {
    fundedFen: campaign.budgetFen,
    disbursedFen: campaign.spentFen,
    refundedFen: campaign.refundedFen,
    refundingFen: balances.reduce((sum, o) => sum + o.refundingFen, 0),
    availableFen: available,
    orders,
  };
}
