import "server-only";
import type { Campaign, IdentityType, PayoutStatus } from "@/generated/prisma/client";
import { db } from "@/lib/db";

export type ClaimedPayout = {
  id: string;
  campaignId: string;
  outBizNo: string;
  identityType: IdentityType;
  identity: string;
  amountFen: number;
  attemptCount: number;
  /** APPROVED (a first send) or UNKNOWN (learning the outcome of an earlier one). */
  claimedFrom: Extract<PayoutStatus, "APPROVED" | "UNKNOWN">;
  campaign: Campaign;
};

/** The system actor every dispatcher move is credited to. */
export const DISPATCHER_LABEL = "dispatcher";

type ClaimRow = Omit<ClaimedPayout, "campaign">;

/**
 * Takes up to `limit` due payouts for this worker (first sends only for active campaigns and approved batches;
 * single payouts before batch rows): ONE statement moves them
 * APPROVED/UNKNOWN → SENDING with a lease (`FOR UPDATE SKIP LOCKED`, so two workers never take the same one)
 * and writes each move's audit event. A worker that dies keeps them only until the lease expires.
 */
export async function claimDuePayouts(
  worker: string,
  limit: number,
  leaseMs: number,
): Promise<ClaimedPayout[]> {
  const rows = await db.$queryRaw<ClaimRow[]>`
    -- Two lanes: single payouts (console, API) first, then batch rows with what is left of the limit, so a
    -- 50,000-row batch never delays a single send by more than one claim; batch rows go oldest first.
    WITH singles AS (
      SELECT p.id, p.status
        FROM "Payout" p JOIN "Campaign" c ON c.id = p."campaignId"
       WHERE p."batchId" IS NULL AND p."nextAttemptAt" <= now()
         -- A first send needs an active campaign; learning an unknown outcome does not (the same key answers
         -- an earlier payment as a repeat even after the campaign was paused or ended).
         AND (p.status = 'UNKNOWN' OR (p.status = 'APPROVED' AND c.status = 'ACTIVE'))
       ORDER BY p."nextAttemptAt"
       LIMIT ${limit}
         FOR UPDATE OF p SKIP LOCKED
    ), batched AS (
      SELECT p.id, p.status
        FROM "Payout" p JOIN "Campaign" c ON c.id = p."campaignId" JOIN "Batch" b ON b.id = p."batchId"
       WHERE p."nextAttemptAt" <= now()
         -- A paused (or cancelled) batch sends nothing new; its unknown outcomes are still learned.
         AND (p.status = 'UNKNOWN' OR (p.status = 'APPROVED' AND c.status = 'ACTIVE' AND b.status = 'APPROVED'))
       ORDER BY p."nextAttemptAt"
       LIMIT (SELECT ${limit}::int - COUNT(*)::int FROM singles)
         FOR UPDATE OF p SKIP LOCKED
    ), due AS (
      SELECT * FROM singles UNION ALL SELECT * FROM batched
    ), claimed AS (
      UPDATE "Payout" p
         SET status = 'SENDING', "leaseOwner" = ${worker},
             "leaseExpiresAt" = now() + ${Math.round(leaseMs)}::int * interval '1 millisecond',
             "attemptCount" = p."attemptCount" + 1, "nextAttemptAt" = NULL, "updatedAt" = now()
        FROM due
       WHERE p.id = due.id
   RETURNING p.id, p."campaignId", p."outBizNo", p."identityType", p.identity, p."amountFen", p."attemptCount",
             due.status AS "claimedFrom"
    ), audited AS (
      INSERT INTO "AuditEvent" (id, "createdAt", "actorType", "actorLabel", action, "entityType", "entityId", before, after)
      SELECT 'a' || md5(random()::text || clock_timestamp()::text || claimed.id), now(), 'SYSTEM'::"ActorType",
             ${DISPATCHER_LABEL},
             'payout.claim', 'Payout', claimed.id,
             jsonb_build_object('status', claimed."claimedFrom"),
             jsonb_build_object('status', 'SENDING', 'attemptCount', claimed."attemptCount", 'worker', ${worker}::text)
        FROM claimed
    )
    SELECT * FROM claimed`;
  if (rows.length === 0) return [];
  const campaigns = await campaignsOf(rows.map((r) => r.campaignId));
  return rows.map((row) => ({ ...row, campaign: campaigns.get(row.campaignId) as Campaign }));
}

/**
 * The campaigns of claimed payouts, read at most once a second each: a claim comes every few milliseconds
 * while a campaign's rail details (crowd number) never change and its status is checked by the claim itself.
 */
const CAMPAIGN_TTL_MS = 1000;
const campaignCache = new Map<string, { campaign: Campaign; readAt: number }>();

async function campaignsOf(ids: string[]): Promise<Map<string, Campaign>> {
  const now = Date.now();
  const found = new Map<string, Campaign>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const cached = campaignCache.get(id);
    if (cached && now - cached.readAt < CAMPAIGN_TTL_MS) found.set(id, cached.campaign);
    else missing.push(id);
  }
  if (missing.length > 0) {
    for (const campaign of await db.campaign.findMany({ where: { id: { in: missing } } })) {
      campaignCache.set(campaign.id, { campaign, readAt: now });
      found.set(campaign.id, campaign);
    }
  }
  if (campaignCache.size > 10_000) campaignCache.clear();
  return found;
}
