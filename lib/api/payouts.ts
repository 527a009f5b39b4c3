import "server-only";
import { Prisma, type PayoutScene } from "@/generated/prisma/client";
import { encodeCursor, decodeCursor } from "@/lib/api/cursor";
import { toApiPayout, type ApiPayout } from "@/lib/api/resources";
import {
  PAYOUT_API_FIELD_NAMES,
  type ApiPayoutList,
  type ApiPayoutListQuery,
  type ApiPayoutRequest,
} from "@/lib/api/schemas/payouts";
import { assertCampaignInScope, assertCan, type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { DomainError, domainError, fieldError } from "@/lib/errors";
import type { PayoutStatus } from "@/lib/enums";
import { requestPayout } from "@/lib/payouts/request";
import { afterTimeKey, type TimeKey } from "@/lib/validation/keyset";

/**
 * The machine API's payout services: the API's request shape mapped onto the one request path
 * (requestPayout), the optional wait for Alipay's answer, and the reads. Every function checks the key's
 * campaign scope itself, whatever its route did first.
 */

/** The one projection of a payout as the API returns it (toApiPayout's input). */
export const API_PAYOUT_SELECT = {
  id: true,
  campaignId: true,
  outBizNo: true,
  status: true,
  amountFen: true,
  awardedFen: true,
  identityType: true,
  identity: true,
  scene: true,
  memo: true,
  source: true,
  autoApproved: true,
  failureCode: true,
  failureMessage: true,
  attentionReason: true,
  decisionReason: true,
  createdAt: true,
  updatedAt: true,
  succeededAt: true,
} satisfies Prisma.PayoutSelect;
type ApiPayoutRow = Prisma.PayoutGetPayload<{ select: typeof API_PAYOUT_SELECT }>;

/** Statuses in which a payout is on its way to Alipay: `?wait=` waits while the payout is in one of them. */
const BEING_SENT: readonly PayoutStatus[] = ["APPROVED", "SENDING", "UNKNOWN"];
const WAIT_POLL_MS = 100;

export type ApiRequestedPayout = { payout: ApiPayout; replayed: boolean };

/** A replay conflict's message names the differing fields as the API calls them (`recipient.id`). */
export function inApiTerms(error: unknown): unknown {
  if (!(error instanceof DomainError) || error.ref.key !== "payouts.errors.replayConflict") return error;
  const fields = Object.keys(error.fieldErrors ?? {}).map((f) => PAYOUT_API_FIELD_NAMES[f] ?? f);
  return new DomainError(
    error.code,
    { key: error.ref.key, params: { ...error.ref.params, fields: fields.join(", ") } },
    error.fieldErrors,
  );
}

/**
 * POST /api/v1/campaigns/{campaignId}/payouts: the body mapped onto requestPayout (source API). A scene left
 * out is the campaign's default scene BEFORE the request is compared with an earlier one, so leaving it out
 * twice is an identical replay. With `waitSeconds`, a payout on its way to Alipay is re-read every 100 ms
 * (plain reads, no transaction or lock) until it is settled, the time is up or the client has gone.
 */
export async function requestApiPayout(
  actor: Actor,
  campaignId: string,
  body: ApiPayoutRequest,
  options: { waitSeconds?: number; signal?: AbortSignal } = {},
): Promise<ApiRequestedPayout> {
  assertCan(actor, "payout:request");
  assertCampaignInScope(actor, campaignId);
  // Raw: the hot path of the machine API (docs/benchmarks.md).
  const [campaign] = await db.$queryRaw<{ defaultScene: PayoutScene }[]>`
    SELECT "defaultScene" FROM "Campaign" WHERE id = ${campaignId}`;
  if (!campaign) throw fieldError("NOT_FOUND", "campaignId", "payouts.errors.campaignNotFound");
  let requested;
  try {
    requested = await requestPayout(actor, {
      campaignId,
      outBizNo: body.outBizNo,
      identityType: body.recipient.type,
      identity: body.recipient.id,
      scene: body.scene ?? campaign.defaultScene,
      // The form's rule: an empty memo is no memo, so "", null and leaving it out replay one another.
      memo: body.memo ? body.memo : null,
      // Left out, null and "" are the same: the campaign's largest packet, and no name.
      amountFen: body.amountFen ?? null,
      payeeName: body.recipient.name ? body.recipient.name : null,
      source: "API",
    });
  } catch (error) {
    throw inApiTerms(error);
  }
  const payout = await waitWhileBeingSent(requested.payout, options.waitSeconds ?? 0, options.signal);
  return { payout: toApiPayout(payout), replayed: requested.replayed };
}

async function waitWhileBeingSent(
  payout: ApiPayoutRow,
  waitSeconds: number,
  signal: AbortSignal | undefined,
): Promise<ApiPayoutRow> {
  const deadline = Date.now() + waitSeconds * 1000;
  let current = payout;
  while (BEING_SENT.includes(current.status) && !signal?.aborted) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(WAIT_POLL_MS, left)));
    const fresh = await db.payout.findUnique({ where: { id: payout.id }, select: API_PAYOUT_SELECT });
    if (!fresh) break;
    current = fresh;
  }
  return current;
}

/** GET /api/v1/campaigns/{campaignId}/payouts/{outBizNo}: out of the key's scope is answered as unknown. */
export async function getApiPayout(actor: Actor, campaignId: string, outBizNo: string): Promise<ApiPayout> {
  assertCan(actor, "payout:read");
  assertCampaignInScope(actor, campaignId);
  const payout = await db.payout.findUnique({
    where: { campaignId_outBizNo: { campaignId, outBizNo } },
    select: API_PAYOUT_SELECT,
  });
  if (!payout) throw domainError("NOT_FOUND", "payouts.errors.notFound");
  return toApiPayout(payout);
}

/**
 * GET /api/v1/payouts: newest first, `limit` at a time, by keyset on (createdAt, id) — no OFFSET and no COUNT,
 * so page 5,000 of a million rows costs what page 1 does. One more row than asked is read to know whether a
 * next page exists. A key limited to some campaigns reads only theirs; naming another campaign is a 404.
 */
export async function listApiPayouts(actor: Actor, query: ApiPayoutListQuery): Promise<ApiPayoutList> {
  assertCan(actor, "payout:read");
  if (query.campaignId) assertCampaignInScope(actor, query.campaignId);
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  if (query.cursor && !after) throw fieldError("VALIDATION", "cursor", "api.validation.cursor");
  const filter: PageFilter = {
    status: query.status,
    since: query.since ? new Date(query.since) : undefined,
    after,
    take: query.limit + 1,
  };
  const campaigns = query.campaignId
    ? [query.campaignId]
    : actor.type === "API_KEY"
      ? actor.campaignIds
      : null;
  const rows =
    campaigns === null || campaigns.length === 1
      ? await readPage(filter, campaigns?.[0])
      : await readPageOfCampaigns(filter, campaigns);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(toApiPayout),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}

type PageFilter = { status?: PayoutStatus; since?: Date; after: TimeKey | null; take: number };

/**
 * One campaign or all of them: a walk down the (campaignId, createdAt), (status, createdAt) or (createdAt, id)
 * index, stopping after `take` rows.
 */
function readPage(filter: PageFilter, campaignId: string | undefined) {
  return db.payout.findMany({
    where: {
      AND: [
        campaignId ? { campaignId } : {},
        filter.status ? { status: filter.status } : {},
        filter.since ? { createdAt: { gte: filter.since } } : {},
        filter.after ? afterTimeKey(filter.after, "desc") : {},
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.take,
    select: API_PAYOUT_SELECT,
  });
}

/**
 * A key's several campaigns: `campaignId IN (…) ORDER BY createdAt` would either sort every payout of those
 * campaigns or walk the whole history skipping other campaigns' rows. Instead each campaign's newest `take`
 * rows after the cursor are read from its own (campaignId, createdAt) index (one LATERAL subquery per campaign,
 * in one statement) and merged, so a page costs at most campaigns × take index entries whatever the table's size.
 */
async function readPageOfCampaigns(filter: PageFilter, campaignIds: readonly string[]) {
  if (campaignIds.length === 0) return [];
  const conditions: Prisma.Sql[] = [Prisma.sql`p."campaignId" = c.id`];
  if (filter.status) conditions.push(Prisma.sql`p.status = ${filter.status}::"PayoutStatus"`);
  if (filter.since) conditions.push(Prisma.sql`p."createdAt" >= ${filter.since}`);
  if (filter.after) {
    const { createdAt, id } = filter.after;
    // The plain bound repeats what the OR implies so the index scan starts at the cursor (see keyset.ts).
    conditions.push(
      Prisma.sql`p."createdAt" <= ${createdAt} AND (p."createdAt" < ${createdAt} OR (p."createdAt" = ${createdAt} AND p.id < ${id}))`,
    );
  }
  const keys = await db.$queryRaw<{ id: string }[]>`
    SELECT page.id
      FROM unnest(${[...campaignIds]}::text[]) AS c(id)
     CROSS JOIN LATERAL (
           SELECT p.id, p."createdAt" FROM "Payout" p
            WHERE ${Prisma.join(conditions, " AND ")}
            ORDER BY p."createdAt" DESC, p.id DESC
            LIMIT ${filter.take}) AS page
     ORDER BY page."createdAt" DESC, page.id DESC
     LIMIT ${filter.take}`;
  if (keys.length === 0) return [];
  const rows = await db.payout.findMany({
    where: { id: { in: keys.map((k) => k.id) } },
    select: API_PAYOUT_SELECT,
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return keys.flatMap((k) => byId.get(k.id) ?? []);
}
