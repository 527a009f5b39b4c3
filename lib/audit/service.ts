import "server-only";
import { randomBytes } from "node:crypto";
import { type Prisma, type AuditEvent } from "@/generated/prisma/client";
import {
  actorId,
  actorLabel,
  assertCan,
  type Actor,
  type RequestMeta,
  type UserActor,
} from "@/lib/auth/actor";
import { db, type DbOrTx } from "@/lib/db";
import { findBoundedPage, type BoundedListPage } from "@/lib/validation/list-query";
import type { AuditListQuery } from "@/lib/validation/audit";
import { resolveAuditEntities } from "./entities";
import type { AuditEventRow, AuditLogRow } from "./types";

export type AuditEntry = {
  /** `<entity>.<verb>`, e.g. `user.create`, `campaign.pause`. */
  action: string;
  entityType: string;
  entityId?: string | null;
  /** Curated snapshots (never secrets such as password hashes). */
  before?: unknown;
  after?: unknown;
};

/**
 * Someone who is not signed in, named by what they claimed (the email of a failed sign-in). Only the audit
 * log knows this kind of actor: services never act for an anonymous caller.
 */
export type AnonymousActor = RequestMeta & { type: "ANONYMOUS"; label: string };

/** What a refused signed-in user tried to reach: a server action (by name), a page or a route (by path). */
export type RefusedTarget = { entityType: "Action" | "Page" | "Route"; entityId: string | null };

const MAX_LABEL = 320;
const MAX_ENTITY_ID = 500;

/** A snapshot as JSON text for a jsonb column, or null (SQL NULL) when there is none. */
function jsonText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value);
}

/** `c` + milliseconds (base 36, fixed width) + randomness: unique, and in insertion order within a process. */
function auditEventId(): string {
  return `c${Date.now().toString(36).padStart(9, "0")}${randomBytes(8).toString("hex")}`;
}

/**
 * Appends one audit event. Call it with the transaction client of the change it records, so the event exists
 * exactly when the change does.
 */
export async function recordAudit(
  tx: DbOrTx,
  actor: Actor | AnonymousActor,
  entry: AuditEntry,
): Promise<void> {
  const anonymous = actor.type === "ANONYMOUS";
  // Anonymous labels are whatever the caller typed: bounded like the other free text.
  const label = anonymous ? actor.label.slice(0, MAX_LABEL) : actorLabel(actor);
  // Raw SQL: every change in the product writes one, in its own transaction, and Prisma 6.19 compiles each model
  // query anew (docs/benchmarks.md, "Machine API": ~0.6 ms of CPU each). The id is time-ordered like a cuid.
  await tx.$executeRaw`
    INSERT INTO "AuditEvent" (id, "createdAt", "actorType", "actorId", "actorLabel", action, "entityType", "entityId",
                              before, after, ip, "userAgent")
    VALUES (${auditEventId()}, ${new Date()}, ${actor.type}::"ActorType", ${anonymous ? null : actorId(actor)},
            ${label}, ${entry.action}, ${entry.entityType}, ${entry.entityId?.slice(0, MAX_ENTITY_ID) ?? null},
            ${jsonText(entry.before)}::jsonb, ${jsonText(entry.after)}::jsonb, ${actor.ip},
            ${actor.userAgent?.slice(0, 500) ?? null})`;
}

/**
 * A signed-in user asked for something their role does not allow. Nothing changed, so there is no transaction
 * to share: the event is written on its own.
 */
export async function recordRefusal(actor: UserActor, target: RefusedTarget): Promise<void> {
  await recordAudit(db, actor, { action: "authz.denied", ...target });
}

/** The filters of the audit page (and of its export) as a query condition. */
export function auditWhere(query: AuditListQuery): Prisma.AuditEventWhereInput {
  return {
    ...(query.actor ? { actorLabel: { contains: query.actor, mode: "insensitive" } } : {}),
    // Exact, so "auth.sign_in" does not also match "auth.sign_in_failed"; "campaign." asks for the family.
    ...(query.action
      ? { action: query.action.endsWith(".") ? { startsWith: query.action } : query.action }
      : {}),
    ...(query.entityType ? { entityType: query.entityType } : {}),
    ...(query.entityId ? { entityId: query.entityId } : {}),
    ...(query.from || query.to
      ? { createdAt: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } }
      : {}),
    ...(query.q
      ? {
          OR: [
            { actorLabel: { contains: query.q, mode: "insensitive" } },
            { action: { contains: query.q, mode: "insensitive" } },
            { entityId: { contains: query.q } },
          ],
        }
      : {}),
  };
}

/** The one mapping from a stored event to what the console shows. */
export function toAuditEventRow(e: AuditEvent): AuditEventRow {
  return {
    id: e.id,
    createdAt: e.createdAt.toISOString(),
    actorType: e.actorType,
    actorLabel: e.actorLabel,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    before: e.before,
    after: e.after,
    ip: e.ip,
  };
}

/** Events with their entities' names, resolved in one query per entity type for all of them (no N+1). */
export async function withEntityNames(reader: Actor, events: AuditEvent[]): Promise<AuditLogRow[]> {
  const entityOf = await resolveAuditEntities(reader, events);
  return events.map((e) => ({
    ...toAuditEventRow(e),
    entity: entityOf(e.entityType, e.entityId),
    userAgent: e.userAgent,
  }));
}

/**
 * The log counts at most this many matching events (plus the page being read): past it the total is shown as
 * "10,000+". The log only grows (an event per change, a million within months), and an exact count of it on
 * every page view read the whole table.
 */
export const AUDIT_COUNT_BOUND = 10_000;

export async function listAuditEvents(
  actor: Actor,
  query: AuditListQuery,
): Promise<BoundedListPage<AuditLogRow>> {
  assertCan(actor, "audit:read");
  const where = auditWhere(query);
  const { rows, total, totalIsEstimate, page } = await findBoundedPage(query, AUDIT_COUNT_BOUND, {
    rows: (window) =>
      db.auditEvent.findMany({
        where,
        orderBy: [{ [query.sort.field]: query.sort.direction }, { id: query.sort.direction }],
        ...window,
      }),
    // Ordered by time so the LIMITed subquery follows the filters' (…, createdAt) indexes.
    count: (limit) =>
      db.auditEvent.count({ where, take: limit, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  });
  return { total, totalIsEstimate, page, rows: await withEntityNames(actor, rows) };
}

/** Distinct action and entity names, for the filter menus. */
export async function auditFacets(actor: Actor): Promise<{ actions: string[]; entityTypes: string[] }> {
  assertCan(actor, "audit:read");
  // Prisma's `distinct` reads every row and removes duplicates in this process (a million events: seconds).
  // Instead, a walk over the (action, createdAt) and (entityType, entityId, createdAt) indexes that jumps from
  // one value to the next: one index probe per distinct value.
  const [actions, entityTypes] = await Promise.all([
    db.$queryRaw<{ value: string }[]>`
      WITH RECURSIVE v AS (
        (SELECT action AS value FROM "AuditEvent" ORDER BY action LIMIT 1)
        UNION ALL
        SELECT (SELECT action FROM "AuditEvent" WHERE action > v.value ORDER BY action LIMIT 1)
          FROM v WHERE v.value IS NOT NULL
      )
      SELECT value FROM v WHERE value IS NOT NULL`,
    db.$queryRaw<{ value: string }[]>`
      WITH RECURSIVE v AS (
        (SELECT "entityType" AS value FROM "AuditEvent" ORDER BY "entityType" LIMIT 1)
        UNION ALL
        SELECT (SELECT "entityType" FROM "AuditEvent" WHERE "entityType" > v.value ORDER BY "entityType" LIMIT 1)
          FROM v WHERE v.value IS NOT NULL
      )
      SELECT value FROM v WHERE value IS NOT NULL`,
  ]);
  return { actions: actions.map((a) => a.value), entityTypes: entityTypes.map((e) => e.value) };
}
