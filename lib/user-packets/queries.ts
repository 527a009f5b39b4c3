import "server-only";
import { API_PAYOUT_SELECT } from "@/lib/api/payouts";
import type { Campaign, FundOrder, Prisma } from "@/generated/prisma/client";
import { assertCampaignInScope, assertCan, type Actor } from "@/lib/auth/actor";
import { spendableFen } from "@/lib/budget/figures";
import { db } from "@/lib/db";
import { findPage, type ListPage } from "@/lib/validation/list-query";
import type { UserPacketListQuery } from "@/lib/validation/user-packets";
import { loadUserPacket } from "./service";
import type { UserPacketRefund, UserPacketRow } from "./types";

/**
 * Reads of user-funded packets (Campaign.payerUserId set): the console's list and one packet with its claims
 * (its payouts) and refunds, for its API. What was claimed is read from the payouts, never stored twice.
 */

type Claimed = { count: number; fen: number };

/** SUCCEEDED payouts per campaign: how many and what Alipay awarded. */
async function claimedOf(campaignIds: string[]): Promise<Map<string, Claimed>> {
  if (campaignIds.length === 0) return new Map();
  const groups = await db.payout.groupBy({
    by: ["campaignId"],
    where: { campaignId: { in: campaignIds }, status: "SUCCEEDED" },
    _count: { _all: true },
    _sum: { awardedFen: true },
  });
  return new Map(
    groups.map((g) => [g.campaignId, { count: g._count._all, fen: g._sum.awardedFen ?? 0 }] as const),
  );
}

function rowOf(campaign: Campaign, order: FundOrder, claimed: Claimed | undefined): UserPacketRow {
  return {
    id: campaign.id,
    title: campaign.name,
    greeting: campaign.prizeMessage,
    payerUserId: campaign.payerUserId ?? "",
    status: campaign.status,
    orderNo: order.outOrderNo,
    orderStatus: order.status,
    amountFen: order.amountFen,
    packetCount: campaign.packetCount,
    claimedCount: claimed?.count ?? 0,
    claimedFen: claimed?.fen ?? 0,
    refundedFen: campaign.refundedFen,
    availableFen: spendableFen(campaign),
    paidAt: order.paidAt?.toISOString() ?? null,
    createdAt: campaign.createdAt.toISOString(),
    endsAt: campaign.endsAt.toISOString(),
  };
}

/** The console's list: newest first unless sorted otherwise, filtered by status, searched by payer or title. */
export async function listUserPackets(
  actor: Actor,
  query: UserPacketListQuery,
): Promise<ListPage<UserPacketRow>> {
  assertCan(actor, "campaign:read");
  const where: Prisma.CampaignWhereInput = {
    payerUserId: { not: null },
    ...(query.status ? { status: query.status } : {}),
    ...(query.q
      ? {
          OR: [
            { payerUserId: { contains: query.q } },
            { name: { contains: query.q, mode: "insensitive" } },
            { fundOrders: { some: { outOrderNo: { contains: query.q } } } },
          ],
        }
      : {}),
  };
  const page = await findPage(query, {
    rows: (window) =>
      db.campaign.findMany({
        where,
        include: { fundOrders: { where: { method: "APP" }, orderBy: { createdAt: "asc" }, take: 1 } },
        orderBy: [{ [query.sort.field]: query.sort.direction }, { id: "asc" }],
        ...window,
      }),
    count: () => db.campaign.count({ where }),
  });
  const claimed = await claimedOf(page.rows.map((c) => c.id));
  return {
    total: page.total,
    page: page.page,
    rows: page.rows.flatMap(({ fundOrders, ...campaign }) => {
      const order = fundOrders[0];
      return order ? [rowOf(campaign, order, claimed.get(campaign.id))] : [];
    }),
  };
}

/** The fields of a claim (a payout) the machine API maps with toApiPayout. */
/** A claim is a payout, shown as the payouts endpoint shows it. */
const CLAIM_SELECT = API_PAYOUT_SELECT;
export type UserPacketClaim = Prisma.PayoutGetPayload<{ select: typeof CLAIM_SELECT }>;

export type UserPacketDetail = {
  packet: UserPacketRow;
  /** Every claim, newest first (a packet allows at most USER_PACKET_LIMITS.packetCountMax of them). */
  claims: UserPacketClaim[];
  refunds: UserPacketRefund[];
};

/** One packet with its claims and refunds, for a reader whose permission and scope were checked. */
export async function userPacketDetail(campaignId: string): Promise<UserPacketDetail> {
  const { campaign, order } = await loadUserPacket(campaignId);
  const [claims, refunds, claimed] = await Promise.all([
    db.payout.findMany({
      where: { campaignId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      // Claims beyond the packet count are refused, so this bounds nothing real; it keeps a read bounded anyway.
      take: 500,
      select: CLAIM_SELECT,
    }),
    db.campaignRefund.findMany({ where: { campaignId }, orderBy: { createdAt: "asc" } }),
    claimedOf([campaignId]),
  ]);
  return {
    packet: rowOf(campaign, order, claimed.get(campaignId)),
    claims,
    refunds: refunds.map((r) => ({
      id: r.id,
      amountFen: r.amountFen,
      kind: r.kind,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

/** One packet with its claims and refunds. A company campaign or an unknown id is not found. */
export async function getUserPacket(actor: Actor, campaignId: string): Promise<UserPacketDetail> {
  assertCan(actor, "campaign:read");
  assertCampaignInScope(actor, campaignId);
  return userPacketDetail(campaignId);
}
