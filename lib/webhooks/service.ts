import "server-only";
import { Prisma, type WebhookEndpoint } from "@/generated/prisma/client";
import { actorId, actorLabel, assertCan, type Actor } from "@/lib/auth/actor";
import { resolveAuditEntities } from "@/lib/audit/entities";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { domainError } from "@/lib/errors";
import { findPage, type ListPage } from "@/lib/validation/list-query";
import type {
  CreateWebhookEndpointInput,
  SetWebhookEndpointActiveInput,
  WebhookDeliveriesListQuery,
  WebhookEndpointsListQuery,
} from "@/lib/validation/webhooks";
import { generateWebhookSecret } from "./signing";
import type {
  CreatedWebhookEndpoint,
  WebhookAttemptRow,
  WebhookDeliveryRow,
  WebhookDeliveryStatus,
  WebhookEndpointHealth,
  WebhookEndpointListRow,
  WebhookEndpointRow,
} from "./types";

/** The endpoints table counts deliveries of the last day. */
const HEALTH_WINDOW_HOURS = 24;

function toRow(endpoint: WebhookEndpoint): WebhookEndpointRow {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    active: endpoint.disabledAt === null,
    createdAt: endpoint.createdAt.toISOString(),
    createdByLabel: endpoint.createdByLabel,
    disabledAt: endpoint.disabledAt?.toISOString() ?? null,
  };
}

/** What the audit log keeps of an endpoint: never its secret. */
function snapshot(endpoint: WebhookEndpoint) {
  return {
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    active: endpoint.disabledAt === null,
  };
}

/**
 * Adds an endpoint and returns its signing secret: the only time the console shows it (it is kept, because
 * every delivery is signed with it, but never displayed again). Audited as `webhook.create`.
 */
export async function createWebhookEndpoint(
  actor: Actor,
  input: CreateWebhookEndpointInput,
): Promise<CreatedWebhookEndpoint> {
  assertCan(actor, "settings:manage");
  const secret = generateWebhookSecret();
  const endpoint = await db.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        url: input.url,
        description: input.description,
        events: input.events,
        secret,
        createdById: actorId(actor),
        createdByLabel: actorLabel(actor),
      },
    });
    await recordAudit(tx, actor, {
      action: "webhook.create",
      entityType: "WebhookEndpoint",
      entityId: created.id,
      after: snapshot(created),
    });
    return created;
  });
  return { endpoint: toRow(endpoint), secret };
}

/**
 * Stops or resumes an endpoint. While disabled, no event is written for it, and deliveries already queued are
 * given up without a call (they can be resent once it is enabled again). Audited as `webhook.disable` /
 * `webhook.enable`; asking for the state it is already in changes nothing.
 */
export async function setWebhookEndpointActive(
  actor: Actor,
  input: SetWebhookEndpointActiveInput,
): Promise<WebhookEndpointRow> {
  assertCan(actor, "settings:manage");
  const endpoint = await db.$transaction(async (tx) => {
    const before = await tx.webhookEndpoint.findUnique({ where: { id: input.endpointId } });
    if (!before) throw domainError("NOT_FOUND");
    const isActive = before.disabledAt === null;
    if (isActive === input.active) return before;
    // Guarded on the state read: a concurrent change makes this a conflict rather than a second event.
    const changed = await tx.webhookEndpoint.updateMany({
      where: { id: input.endpointId, disabledAt: isActive ? null : { not: null } },
      data: { disabledAt: input.active ? null : new Date() },
    });
    if (changed.count !== 1) throw domainError("CONFLICT");
    const updated = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: input.endpointId } });
    await recordAudit(tx, actor, {
      action: input.active ? "webhook.enable" : "webhook.disable",
      entityType: "WebhookEndpoint",
      entityId: updated.id,
      before: snapshot(before),
      after: snapshot(updated),
    });
    return updated;
  });
  return toRow(endpoint);
}

/**
 * Sends an event to an endpoint again as a NEW delivery (the old one and its attempts stay as they were, so the
 * history shows both). The body and its `id` are the event's own, so a receiver that deduplicates on the event id
 * sees a repeat. The relay hands it to the queue within WEBHOOK_POLL_MS. Audited as `webhook.resend`.
 */
export async function resendWebhookDelivery(
  actor: Actor,
  deliveryId: string,
): Promise<{ deliveryId: string }> {
  assertCan(actor, "settings:manage");
  return db.$transaction(async (tx) => {
    const original = await tx.webhookDelivery.findUnique({
      where: { id: deliveryId },
      include: { endpoint: true, event: { select: { type: true } } },
    });
    if (!original) throw domainError("NOT_FOUND");
    if (original.endpoint.disabledAt) throw domainError("CONFLICT", "webhooks.errors.endpointDisabled");
    const created = await tx.webhookDelivery.create({
      data: { eventId: original.eventId, endpointId: original.endpointId },
    });
    await recordAudit(tx, actor, {
      action: "webhook.resend",
      entityType: "WebhookEndpoint",
      entityId: original.endpointId,
      after: {
        deliveryId: created.id,
        resentFrom: original.id,
        eventId: original.eventId,
        eventType: original.event.type,
      },
    });
    return { deliveryId: created.id };
  });
}

type HealthCount = { endpointId: string; status: WebhookDeliveryStatus; count: number };
type LastDelivery = { endpointId: string; status: WebhookDeliveryStatus; createdAt: Date };

/** Delivery health of these endpoints: two queries for the whole page, each on the (endpointId, createdAt) index. */
async function healthOf(ids: string[], now: Date): Promise<Map<string, WebhookEndpointHealth>> {
  const result = new Map<string, WebhookEndpointHealth>(
    ids.map((id) => [
      id,
      { windowHours: HEALTH_WINDOW_HOURS, delivered: 0, failed: 0, pending: 0, last: null },
    ]),
  );
  if (ids.length === 0) return result;
  const since = new Date(now.getTime() - HEALTH_WINDOW_HOURS * 60 * 60 * 1000);
  const [counts, last] = await Promise.all([
    db.$queryRaw<HealthCount[]>`
      SELECT "endpointId", status, COUNT(*)::int AS count
        FROM "WebhookDelivery"
       WHERE "endpointId" IN (${Prisma.join(ids)}) AND "createdAt" >= ${since}
       GROUP BY "endpointId", status`,
    db.$queryRaw<LastDelivery[]>`
      SELECT DISTINCT ON ("endpointId") "endpointId", status, "createdAt"
        FROM "WebhookDelivery"
       WHERE "endpointId" IN (${Prisma.join(ids)})
       ORDER BY "endpointId", "createdAt" DESC`,
  ]);
  for (const row of counts) {
    const health = result.get(row.endpointId);
    if (!health) continue;
    if (row.status === "DELIVERED") health.delivered = row.count;
    else if (row.status === "FAILED") health.failed = row.count;
    else health.pending = row.count;
  }
  for (const row of last) {
    const health = result.get(row.endpointId);
    if (health) health.last = { status: row.status, createdAt: row.createdAt.toISOString() };
  }
  return result;
}

/** The endpoints table: searched by URL or description, filtered by status, with each one's delivery health. */
export async function listWebhookEndpoints(
  actor: Actor,
  query: WebhookEndpointsListQuery,
  now: Date = new Date(),
): Promise<ListPage<WebhookEndpointListRow>> {
  assertCan(actor, "settings:manage");
  const where: Prisma.WebhookEndpointWhereInput = {
    ...(query.status === "active" ? { disabledAt: null } : {}),
    ...(query.status === "disabled" ? { disabledAt: { not: null } } : {}),
    ...(query.q
      ? {
          OR: [
            { url: { contains: query.q, mode: "insensitive" } },
            { description: { contains: query.q, mode: "insensitive" } },
          ],
        }
      : {}),
  };
  const { rows, total, page } = await findPage(query, {
    rows: (window) =>
      db.webhookEndpoint.findMany({
        where,
        orderBy: [{ [query.sort.field]: query.sort.direction }, { id: "asc" }],
        ...window,
      }),
    count: () => db.webhookEndpoint.count({ where }),
  });
  const health = await healthOf(
    rows.map((r) => r.id),
    now,
  );
  return {
    rows: rows.map((r) => ({
      ...toRow(r),
      health: health.get(r.id) ?? {
        windowHours: HEALTH_WINDOW_HOURS,
        delivered: 0,
        failed: 0,
        pending: 0,
        last: null,
      },
    })),
    total,
    page,
  };
}

export async function getWebhookEndpoint(actor: Actor, endpointId: string): Promise<WebhookEndpointRow> {
  assertCan(actor, "settings:manage");
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id: endpointId } });
  if (!endpoint) throw domainError("NOT_FOUND");
  return toRow(endpoint);
}

/**
 * An endpoint's deliveries, newest first (searched by event id or the payout's or campaign's id): the event (type and the payout or campaign it is about, named and
 * linked), status, attempts and the newest attempt's answer.
 */
export async function listWebhookDeliveries(
  actor: Actor,
  endpointId: string,
  query: WebhookDeliveriesListQuery,
): Promise<ListPage<WebhookDeliveryRow>> {
  assertCan(actor, "settings:manage");
  const where: Prisma.WebhookDeliveryWhereInput = {
    endpointId,
    ...(query.status ? { status: query.status } : {}),
    ...(query.type ? { event: { type: query.type } } : {}),
    // Exact ids, as a backend quotes them: the event id of its logs, or the payout or campaign id in `data`.
    ...(query.q ? { OR: [{ eventId: query.q }, { event: { entityId: query.q } }] } : {}),
  };
  const { rows, total, page } = await findPage(query, {
    rows: (window) =>
      db.webhookDelivery.findMany({
        where,
        orderBy: [{ createdAt: query.sort.direction }, { id: query.sort.direction }],
        include: {
          event: { select: { type: true, entityType: true, entityId: true } },
          attempts: { orderBy: { number: "desc" }, take: 1, select: { statusCode: true, error: true } },
        },
        ...window,
      }),
    count: () => db.webhookDelivery.count({ where }),
  });
  const entityOf = await resolveAuditEntities(
    actor,
    rows.map((r) => ({ entityType: r.event.entityType, entityId: r.event.entityId })),
  );
  return {
    total,
    page,
    rows: rows.map((r) => ({
      id: r.id,
      eventId: r.eventId,
      eventType: r.event.type,
      entityType: r.event.entityType,
      entityId: r.event.entityId,
      entity: entityOf(r.event.entityType, r.event.entityId),
      status: r.status,
      attemptCount: r.attemptCount,
      lastStatusCode: r.attempts[0]?.statusCode ?? null,
      lastError: r.attempts[0]?.error ?? null,
      createdAt: r.createdAt.toISOString(),
      lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
      deliveredAt: r.deliveredAt?.toISOString() ?? null,
    })),
  };
}

/** Every attempt of one of the endpoint's deliveries, in order (an id of another endpoint's delivery finds none). */
export async function listWebhookAttempts(
  actor: Actor,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookAttemptRow[]> {
  assertCan(actor, "settings:manage");
  const attempts = await db.webhookAttempt.findMany({
    where: { deliveryId, delivery: { endpointId } },
    orderBy: { number: "asc" },
  });
  return attempts.map((a) => ({
    id: a.id,
    number: a.number,
    startedAt: a.startedAt.toISOString(),
    latencyMs: a.latencyMs,
    statusCode: a.statusCode,
    error: a.error,
    responseExcerpt: a.responseExcerpt,
  }));
}
