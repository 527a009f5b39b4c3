import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { findPage, type ListPage } from "@/lib/validation/list-query";
import type { NotificationsListQuery } from "@/lib/validation/notifications";
import type { NotificationRow } from "./view";

type EntityRef = { entityType: string | null; entityId: string | null };

/**
 * Links for the rows' entities, one query per type: fund orders and campaign refunds open their campaign (they
 * have no page of their own), payouts their page. An entity that no longer resolves has no link.
 */
async function entityLinks(refs: EntityRef[]): Promise<(ref: EntityRef) => string | null> {
  const idsOf = (type: string) => [
    ...new Set(refs.filter((r) => r.entityType === type && r.entityId).map((r) => r.entityId as string)),
  ];
  const fundOrderIds = idsOf("FundOrder");
  const refundIds = idsOf("CampaignRefund");
  const [fundOrders, refunds] = await Promise.all([
    fundOrderIds.length
      ? db.fundOrder.findMany({ where: { id: { in: fundOrderIds } }, select: { id: true, campaignId: true } })
      : [],
    refundIds.length
      ? db.campaignRefund.findMany({
          where: { id: { in: refundIds } },
          select: { id: true, campaignId: true },
        })
      : [],
  ]);
  const campaignOf = new Map([...fundOrders, ...refunds].map((r) => [r.id, r.campaignId]));
  return ({ entityType, entityId }) => {
    if (!entityId) return null;
    if (entityType === "Payout") return `/payouts/${encodeURIComponent(entityId)}`;
    if (entityType === "FundOrder" || entityType === "CampaignRefund") {
      const campaignId = campaignOf.get(entityId);
      return campaignId ? `/campaigns/${encodeURIComponent(campaignId)}` : null;
    }
    return null;
  };
}

/** Every notification Alipay (or anyone) POSTed to /api/alipay/notify, newest first: administrators only. */
export async function listAlipayNotifications(
  actor: Actor,
  query: NotificationsListQuery,
): Promise<ListPage<NotificationRow>> {
  assertCan(actor, "settings:manage");
  const where: Prisma.AlipayNotificationWhereInput = {
    ...(query.outcome ? { outcome: query.outcome } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
    ...(query.q ? { OR: [{ notifyId: query.q }, { entityId: query.q }] } : {}),
  };
  const { rows, total, page } = await findPage(query, {
    rows: (window) =>
      db.alipayNotification.findMany({
        where,
        orderBy: [{ receivedAt: query.sort.direction }, { id: query.sort.direction }],
        ...window,
      }),
    count: () => db.alipayNotification.count({ where }),
  });
  const linkOf = await entityLinks(rows);
  return {
    total,
    page,
    rows: rows.map((r) => ({
      id: r.id,
      receivedAt: r.receivedAt.toISOString(),
      channel: r.channel,
      type: r.type,
      notifyId: r.notifyId,
      appId: r.appId,
      signatureValid: r.signatureValid,
      outcome: r.outcome,
      reason: r.reason,
      entityType: r.entityType,
      entityId: r.entityId,
      entityHref: linkOf(r),
      fields: r.fields,
    })),
  };
}
