import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { spendableFen } from "@/lib/budget/figures";
import { db } from "@/lib/db";
import type { ApprovalListQuery } from "@/lib/validation/approvals";
import { findPage, type ListPage } from "@/lib/validation/list-query";
import type { ApprovalRow } from "./approval-view";
import { isOwnRequest } from "./decisions";
import { autoApprovedToday } from "./policy";
import { maskIdentity } from "./recipient";

export type { ApprovalRow };

/** The one projection of a pending payout for the approval queue. */
const APPROVAL_SELECT = {
  id: true,
  createdAt: true,
  requestedById: true,
  requestedByLabel: true,
  identityType: true,
  identity: true,
  amountFen: true,
  scene: true,
  memo: true,
  source: true,
  outBizNo: true,
  campaign: {
    select: {
      id: true,
      name: true,
      prizeType: true,
      rail: true,
      alipayStatus: true,
      budgetFen: true,
      reservedFen: true,
      spentFen: true,
      refundedFen: true,
      autoApproveDailyCapFen: true,
    },
  },
} satisfies Prisma.PayoutSelect;

/**
 * Payouts waiting for an approver, one page, with what a decision needs beside each: who asked (and whether
 * it was the reader, who may not decide it), the recipient masked, what it holds, the campaign's budget left
 * and its auto-approved total today. `q` finds a campaign name, requester or exact business reference.
 */
export async function listPendingApprovals(
  actor: Actor,
  query: ApprovalListQuery,
  now: Date = new Date(),
): Promise<ListPage<ApprovalRow>> {
  assertCan(actor, "approval:read");
  const where: Prisma.PayoutWhereInput = {
    status: "PENDING_APPROVAL",
    // A batch's rows are decided with their batch (listPendingBatches), not one by one.
    batchId: null,
    ...(query.q
      ? {
          OR: [
            { campaign: { name: { contains: query.q, mode: "insensitive" } } },
            { requestedByLabel: { contains: query.q, mode: "insensitive" } },
            { outBizNo: query.q },
          ],
        }
      : {}),
  };
  const { rows, total, page } = await findPage(query, {
    rows: (window) =>
      db.payout.findMany({
        where,
        select: APPROVAL_SELECT,
        orderBy: [{ [query.sort.field]: query.sort.direction }, { id: "asc" }],
        ...window,
      }),
    count: () => db.payout.count({ where }),
  });
  const campaignIds = [...new Set(rows.map((p) => p.campaign.id))];
  const todayByCampaign = new Map(
    await Promise.all(campaignIds.map(async (id) => [id, await autoApprovedToday(db, id, now)] as const)),
  );
  return {
    total,
    page,
    rows: rows.map((p) => ({
      id: p.id,
      createdAt: p.createdAt.toISOString(),
      requestedByLabel: p.requestedByLabel,
      isOwn: isOwnRequest(actor, p),
      identityType: p.identityType,
      recipient: maskIdentity(p.identityType, p.identity),
      amountFen: p.amountFen,
      prizeType: p.campaign.prizeType,
      campaign: { id: p.campaign.id, name: p.campaign.name },
      budgetLeftFen: spendableFen(p.campaign),
      autoApprovedTodayFen: todayByCampaign.get(p.campaign.id) ?? 0,
      autoApproveDailyCapFen: p.campaign.autoApproveDailyCapFen,
      scene: p.scene,
      memo: p.memo,
      source: p.source,
      outBizNo: p.outBizNo,
    })),
  };
}
