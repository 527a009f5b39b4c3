import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { actorId, actorLabel, assertCan, type Actor } from "@/lib/auth/actor";
import type { DbOrTx } from "@/lib/db";
import { skipTake } from "@/lib/validation/list-query";
import type { AuditListQuery } from "@/lib/validation/audit";
import type { AuditEventRow } from "./types";

export type AuditEntry = {
  /** `<entity>.<verb>`, e.g. `user.create`, `campaign.pause`. */
  action: string;
  entityType: string;
  entityId?: string | null;
  /** Curated snapshots (never secrets such as password hashes). */
  before?: unknown;
  after?: unknown;
};

function toJson(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  if (value === undefined || value === null) return Prisma.DbNull;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

/**
 * Appends one audit event. Call it with the transaction client of the change it records, so the event exists
 * exactly when the change does.
 */
export async function recordAudit(tx: DbOrTx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorType: actor.type,
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      before: toJson(entry.before),
      after: toJson(entry.after),
      ip: actor.ip,
      userAgent: actor.userAgent?.slice(0, 500) ?? null,
    },
  });
}

export async function listAuditEvents(
  db: DbOrTx,
  actor: Actor,
  query: AuditListQuery,
): Promise<{ rows: AuditEventRow[]; total: number }> {
  assertCan(actor, "audit:read");
  const where: Prisma.AuditEventWhereInput = {
    ...(query.actor ? { actorLabel: { contains: query.actor, mode: "insensitive" } } : {}),
    ...(query.action ? { action: { startsWith: query.action } } : {}),
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
  const [rows, total] = await Promise.all([
    db.auditEvent.findMany({
      where,
      orderBy: [{ [query.sort.field]: query.sort.direction }, { id: query.sort.direction }],
      ...skipTake(query),
    }),
    db.auditEvent.count({ where }),
  ]);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      actorType: r.actorType,
      actorLabel: r.actorLabel,
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      before: r.before,
      after: r.after,
      ip: r.ip,
    })),
  };
}

/** Distinct action and entity names, for the filter menus. */
export async function auditFacets(
  db: DbOrTx,
  actor: Actor,
): Promise<{ actions: string[]; entityTypes: string[] }> {
  assertCan(actor, "audit:read");
  const [actions, entityTypes] = await Promise.all([
    db.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
    db.auditEvent.findMany({
      distinct: ["entityType"],
      select: { entityType: true },
      orderBy: { entityType: "asc" },
    }),
  ]);
  return { actions: actions.map((a) => a.action), entityTypes: entityTypes.map((e) => e.entityType) };
}
