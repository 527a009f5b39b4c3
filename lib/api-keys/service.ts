import "server-only";
import type { ApiKey, Prisma } from "@/generated/prisma/client";
import {
  actorId,
  actorLabel,
  assertCan,
  type Actor,
  type ApiKeyActor,
  type RequestMeta,
} from "@/lib/auth/actor";
import { isPermission, type Permission } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { domainError, fieldError } from "@/lib/errors";
import type { ApiKeysListQuery, CreateApiKeyInput } from "@/lib/validation/api-keys";
import { findPage, type ListPage } from "@/lib/validation/list-query";
import { generateApiKeySecret, hashApiKeySecret } from "./secret";
import type { ApiKeyRow, CreatedApiKey } from "./types";

/** How often a key's last-used time and address are written: at most once a minute per key and address. */
const LAST_USED_RESOLUTION_MS = 60_000;

function toRow(key: ApiKey, names: ReadonlyMap<string, string>): ApiKeyRow {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    permissions: key.permissions,
    campaigns: key.allCampaigns ? null : key.campaignIds.map((id) => ({ id, name: names.get(id) ?? null })),
    ratePerMinute: key.ratePerMinute,
    createdAt: key.createdAt.toISOString(),
    createdByLabel: key.createdByLabel,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    revokedByLabel: key.revokedByLabel,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: key.lastUsedIp,
  };
}

/** What the audit log keeps of a key: never the secret or its hash. */
function snapshot(key: ApiKey) {
  return {
    name: key.name,
    prefix: key.prefix,
    permissions: key.permissions,
    campaignIds: key.allCampaigns ? "all" : key.campaignIds,
    ratePerMinute: key.ratePerMinute,
    revoked: key.revokedAt !== null,
  };
}

async function campaignNames(ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.campaign.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true, name: true },
  });
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Creates a key and returns its secret, the only time it exists outside the caller's hands (only its SHA-256 is
 * stored). Every listed campaign must exist. Audited as `api_key.create`.
 */
export async function createApiKey(actor: Actor, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  assertCan(actor, "apikey:manage");
  const names = await campaignNames(input.campaignIds ?? []);
  if (input.campaignIds && names.size !== input.campaignIds.length)
    throw fieldError("VALIDATION", "campaignIds", "apiKeys.validation.campaignUnknown");
  const { secret, prefix, secretHash } = generateApiKeySecret();
  const key = await db.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        name: input.name,
        prefix,
        secretHash,
        permissions: input.permissions,
        campaignIds: input.campaignIds ?? [],
        allCampaigns: input.campaignIds === null,
        ratePerMinute: input.ratePerMinute,
        createdById: actorId(actor),
        createdByLabel: actorLabel(actor),
      },
    });
    await recordAudit(tx, actor, {
      action: "api_key.create",
      entityType: "ApiKey",
      entityId: created.id,
      after: snapshot(created),
    });
    return created;
  });
  return { key: toRow(key, names), secret };
}

/** Revokes a key for good: its next request is refused. Revoking a revoked key is a conflict, not a change. */
export async function revokeApiKey(actor: Actor, apiKeyId: string): Promise<ApiKeyRow> {
  assertCan(actor, "apikey:manage");
  const key = await db.$transaction(async (tx) => {
    const changed = await tx.apiKey.updateMany({
      where: { id: apiKeyId, revokedAt: null },
      data: { revokedAt: new Date(), revokedByLabel: actorLabel(actor) },
    });
    const current = await tx.apiKey.findUnique({ where: { id: apiKeyId } });
    if (!current) throw domainError("NOT_FOUND");
    if (changed.count !== 1) throw domainError("CONFLICT", "apiKeys.errors.alreadyRevoked");
    await recordAudit(tx, actor, {
      action: "api_key.revoke",
      entityType: "ApiKey",
      entityId: current.id,
      before: { revoked: false },
      after: snapshot(current),
    });
    return current;
  });
  return toRow(key, await campaignNames(key.campaignIds));
}

/** Every key, newest first (there are few: one per integration). */
export async function listApiKeys(actor: Actor): Promise<ApiKeyRow[]> {
  assertCan(actor, "apikey:manage");
  const keys = await db.apiKey.findMany({ orderBy: { createdAt: "desc" }, take: 500 });
  const names = await campaignNames([...new Set(keys.flatMap((k) => k.campaignIds))]);
  return keys.map((k) => toRow(k, names));
}

/** One page of the settings table: searched by name or prefix, filtered by status, sorted as the URL says. */
export async function listApiKeyPage(actor: Actor, query: ApiKeysListQuery): Promise<ListPage<ApiKeyRow>> {
  assertCan(actor, "apikey:manage");
  const where: Prisma.ApiKeyWhereInput = {
    ...(query.status === "active" ? { revokedAt: null } : {}),
    ...(query.status === "revoked" ? { revokedAt: { not: null } } : {}),
    ...(query.q
      ? {
          OR: [{ name: { contains: query.q, mode: "insensitive" } }, { prefix: { startsWith: query.q } }],
        }
      : {}),
  };
  const { rows, total, page } = await findPage(query, {
    rows: (window) =>
      db.apiKey.findMany({
        where,
        orderBy: [
          query.sort.field === "lastUsedAt"
            ? { lastUsedAt: { sort: query.sort.direction, nulls: "last" } }
            : { [query.sort.field]: query.sort.direction },
          { id: "asc" },
        ],
        ...window,
      }),
    count: () => db.apiKey.count({ where }),
  });
  const names = await campaignNames([...new Set(rows.flatMap((k) => k.campaignIds))]);
  return { rows: rows.map((k) => toRow(k, names)), total, page };
}

/** The label an API key acts under in the audit log and on the payouts it requests. */
export function apiKeyLabel(key: Pick<ApiKey, "name" | "prefix">): string {
  return `api:${key.name} (${key.prefix}…)`;
}

/**
 * The actor a presented secret stands for, or UNAUTHENTICATED when no key has it or the key was revoked (one
 * indexed lookup by hash: the secret itself is never compared or stored). Notes when and from where the key
 * was used, at most once a minute, in a guarded update that costs nothing when nothing changed.
 */
export async function authenticateApiKey(secret: string, meta: RequestMeta): Promise<ApiKeyActor> {
  // Raw SQL on this path: every API request runs it, and Prisma 6.19 compiles each model query anew
  // (docs/benchmarks.md, "Machine API": about 0.6 ms of CPU a query).
  const [key] = await db.$queryRaw<
    ApiKey[]
  >`SELECT * FROM "ApiKey" WHERE "secretHash" = ${hashApiKeySecret(secret)}`;
  if (!key) throw domainError("UNAUTHENTICATED", "api.errors.unknownKey");
  if (key.revokedAt) throw domainError("UNAUTHENTICATED", "api.errors.revokedKey");
  const now = Date.now();
  if (
    !key.lastUsedAt ||
    now - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS ||
    key.lastUsedIp !== meta.ip
  ) {
    await db.apiKey.updateMany({
      where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now - 1000) } }] },
      data: { lastUsedAt: new Date(now), lastUsedIp: meta.ip },
    });
  }
  return {
    type: "API_KEY",
    keyId: key.id,
    label: apiKeyLabel(key),
    permissions: key.permissions.filter((p): p is Permission => isPermission(p)),
    campaignIds: key.allCampaigns ? null : key.campaignIds,
    ratePerMinute: key.ratePerMinute,
    ip: meta.ip,
    userAgent: meta.userAgent,
  };
}
