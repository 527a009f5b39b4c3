import "server-only";
import { actorCan, type Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import type { AuditEntityLink } from "./types";

/**
 * How the audit log names the entities of one type. A new entity type (Payout, Batch, ApiKey) plugs in one
 * entry here; types without one show their raw id.
 */
type EntityResolver = {
  /**
   * Names for these ids, in ONE query for all of them. Ids without a row (deleted, never existed) are left out.
   * An entity opened on another's page (a fund order on its campaign's) names that page's id as `opensAt`.
   */
  names(ids: string[]): Promise<Map<string, string | { name: string; opensAt: string }>>;
  /** Where the entity is opened, for readers holding `permission` (others see the name without a link). */
  link?: { permission: Permission; href(id: string, name: string): string };
};

/** Fund orders and refunds are shown on their campaign's page: named by their key, linked there. */
function onCampaignPage(
  rows: Array<{ id: string; campaignId: string; key: string | null }>,
): Map<string, { name: string; opensAt: string }> {
  return new Map(rows.map((r) => [r.id, { name: r.key ?? r.id, opensAt: r.campaignId }]));
}

/** The id is already the name (refused actions are recorded by action name, pages by path). */
function idIsName(ids: string[]): Promise<Map<string, string>> {
  return Promise.resolve(new Map(ids.map((id) => [id, id])));
}

const ENTITY_RESOLVERS: Readonly<Record<string, EntityResolver>> = {
  Campaign: {
    async names(ids) {
      const rows = await db.campaign.findMany({
        where: { id: { in: ids } },
        select: { id: true, name: true },
      });
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    link: { permission: "campaign:read", href: (id) => `/campaigns/${encodeURIComponent(id)}` },
  },
  User: {
    async names(ids) {
      const rows = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } });
      return new Map(rows.map((r) => [r.id, r.email]));
    },
    link: {
      permission: "user:manage",
      href: (_id, email) => `/settings/users?${new URLSearchParams({ q: email }).toString()}`,
    },
  },
  Payout: {
    // Named by its business reference (outBizNo), the id people quote to each other and to Alipay.
    async names(ids) {
      const rows = await db.payout.findMany({
        where: { id: { in: ids } },
        select: { id: true, outBizNo: true },
      });
      return new Map(rows.map((r) => [r.id, r.outBizNo]));
    },
    link: { permission: "payout:read", href: (id) => `/payouts/${encodeURIComponent(id)}` },
  },
  WebhookEndpoint: {
    // Named by its URL, which is what the administrator typed and recognises.
    async names(ids) {
      const rows = await db.webhookEndpoint.findMany({
        where: { id: { in: ids } },
        select: { id: true, url: true },
      });
      return new Map(rows.map((r) => [r.id, r.url]));
    },
    link: { permission: "settings:manage", href: (id) => `/settings/webhooks/${encodeURIComponent(id)}` },
  },
  FundOrder: {
    async names(ids) {
      const rows = await db.fundOrder.findMany({
        where: { id: { in: ids } },
        select: { id: true, campaignId: true, outOrderNo: true },
      });
      return onCampaignPage(rows.map((r) => ({ ...r, key: r.outOrderNo })));
    },
    link: {
      permission: "campaign:read",
      href: (campaignId) => `/campaigns/${encodeURIComponent(campaignId)}`,
    },
  },
  CampaignRefund: {
    async names(ids) {
      const rows = await db.campaignRefund.findMany({
        where: { id: { in: ids } },
        select: { id: true, campaignId: true, outRequestNo: true },
      });
      return onCampaignPage(rows.map((r) => ({ ...r, key: r.outRequestNo })));
    },
    link: {
      permission: "campaign:read",
      href: (campaignId) => `/campaigns/${encodeURIComponent(campaignId)}`,
    },
  },
  AlipayNotification: {
    async names(ids) {
      const rows = await db.alipayNotification.findMany({
        where: { id: { in: ids } },
        select: { id: true, type: true, notifyId: true },
      });
      return new Map(rows.map((r) => [r.id, r.notifyId ? `${r.type} ${r.notifyId}` : r.type]));
    },
    link: { permission: "settings:manage", href: () => "/settings/notifications" },
  },
  Action: { names: idIsName },
  // Not linked: the page was refused to someone, and opening it is not what the reader came for.
  Page: { names: idIsName },
  Route: { names: idIsName },
};

/**
 * Names (and links the reader may follow) for the entities of these events: one query per entity type, however
 * many rows. Keyed by `entityType`, then `entityId`.
 */
export async function resolveAuditEntities(
  reader: Actor,
  refs: ReadonlyArray<{ entityType: string; entityId: string | null }>,
): Promise<(entityType: string, entityId: string | null) => AuditEntityLink | null> {
  const idsByType = new Map<string, Set<string>>();
  for (const { entityType, entityId } of refs) {
    if (entityId === null || !(entityType in ENTITY_RESOLVERS)) continue;
    let ids = idsByType.get(entityType);
    if (!ids) idsByType.set(entityType, (ids = new Set()));
    ids.add(entityId);
  }
  const resolved = new Map(
    await Promise.all(
      [...idsByType].map(async ([entityType, ids]) => {
        const resolver = ENTITY_RESOLVERS[entityType];
        const names = resolver
          ? await resolver.names([...ids])
          : new Map<string, string | { name: string; opensAt: string }>();
        return [entityType, names] as const;
      }),
    ),
  );
  return (entityType, entityId) => {
    if (entityId === null) return null;
    const found = resolved.get(entityType)?.get(entityId);
    if (found === undefined) return null;
    const { name, opensAt } = typeof found === "string" ? { name: found, opensAt: entityId } : found;
    const link = ENTITY_RESOLVERS[entityType]?.link;
    return { name, href: link && actorCan(reader, link.permission) ? link.href(opensAt, name) : null };
  };
}
