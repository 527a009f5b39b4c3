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
  payeeName: string | null;
  fundOrderId: string | null;
  /** The web request that asked for it, for the log lines of its sends. */
  requestId: string | null;
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
    -- Single payouts (console, API) first, then batch rows with what is left of the limit, so a 50,000-row
    -- batch never delays a single send by more than one claim; batch rows whose outcome is unknown before first
    -- sends, each oldest first.
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
    ), batch_unknown AS (
      -- Batch rows whose outcome is being learned, whatever their batch's or campaign's status.
      SELECT p.id, p.status
        FROM "Payout" p
       WHERE p.status = 'UNKNOWN' AND p."batchId" IS NOT NULL AND p."nextAttemptAt" <= now()
       ORDER BY p."nextAttemptAt"
       LIMIT (SELECT ${limit}::int - COUNT(*)::int FROM singles)
         FOR UPDATE OF p SKIP LOCKED
    ), batch_approved AS (
      -- First sends of approved batches of active campaigns (a paused or cancelled batch sends nothing new),
      -- each batch's rows read in order from its (batchId, status, nextAttemptAt) index and the walk stopped at
      -- the limit: the cost of a claim does not grow with the rows a batch still has to send. (One scan of
      -- every due batch row sorted by nextAttemptAt cost ~95 ms a claim on PGlite with 50,000 rows left.)
      SELECT d.id, d.status, d."nextAttemptAt"
        FROM "Batch" b JOIN "Campaign" c ON c.id = b."campaignId"
       CROSS JOIN LATERAL (
             SELECT p.id, p.status, p."nextAttemptAt"
               FROM "Payout" p
              WHERE p."batchId" = b.id AND p.status = 'APPROVED' AND p."nextAttemptAt" <= now()
              ORDER BY p."nextAttemptAt"
              LIMIT (SELECT ${limit}::int - COUNT(*)::int FROM singles) - (SELECT COUNT(*)::int FROM batch_unknown)
                FOR UPDATE OF p SKIP LOCKED
           ) AS d
       WHERE b.status = 'APPROVED' AND c.status = 'ACTIVE'
       ORDER BY d."nextAttemptAt"
       LIMIT (SELECT ${limit}::int - COUNT(*)::int FROM singles) - (SELECT COUNT(*)::int FROM batch_unknown)
    ), due AS (
      SELECT * FROM singles UNION ALL SELECT * FROM batch_unknown UNION ALL SELECT id, status FROM batch_approved
    ), claimed AS (
      UPDATE "Payout" p
         SET status = 'SENDING', "leaseOwner" = ${worker},
             "leaseExpiresAt" = now() + ${Math.round(leaseMs)}::int * interval '1 millisecond',
             "attemptCount" = p."attemptCount" + 1, "nextAttemptAt" = NULL, "updatedAt" = now()
        FROM due
       WHERE p.id = due.id
   RETURNING p.id, p."campaignId", p."outBizNo", p."identityType", p.identity, p."amountFen", p."payeeName",
             p."fundOrderId", p."requestId", p."attemptCount",
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
