import "server-only";
import { Prisma, type Campaign, type IdentityType, type PayoutScene } from "@/generated/prisma/client";
import { actorId, actorLabel, type Actor } from "@/lib/auth/actor";
import { reserveUpTo, type Reservation } from "@/lib/budget/service";
import type { Tx } from "@/lib/db";
import { fieldError } from "@/lib/errors";
import { formatFen } from "@/lib/format/money";
import { beijingPeriodStart } from "@/lib/time/beijing";
import { campaignFrequencyLockKey } from "./frequency";
import { currentRequestId } from "./log";
import { railFor } from "./rails";
import { generateOutBizNo, recordBudgetLowIfCrossed } from "./request";
import { COUNTED_STATUSES } from "./transitions";

/** One payout of a set: `PayoutRequestInput` without the campaign (the set has one). */
export type PayoutSetRow = {
  identityType: IdentityType;
  identity: string;
  scene: PayoutScene;
  memo: string | null;
  outBizNo: string | null;
  /** The payee's real name (the batch file's `name` column), for rails that need one. */
  payeeName?: string | null;
};

/** Rows per INSERT: a few hundred KB of JSON each, well below any statement or parameter limit. */
const CHUNK_ROWS = 5_000;

/**
 * The request path (requestPayout) for a set of payouts of one campaign, as set-based statements in the
 * caller's transaction, for batches: the same rules in the same order, each checked once for the whole set —
 * the campaign can pay (its rail says), the recipients' frequency (one campaign-wide lock instead of one per
 * recipient, then one count over the set), one guarded reservation for all of them (every row holds what a
 * single request holds), each row inserted under its idempotency key (campaignId, outBizNo), one audit event
 * per payout. All or nothing: any row whose key is taken or whose recipient is over the limit throws, and the
 * caller's transaction writes nothing. Payouts wait for an approver (PENDING_APPROVAL), as batches do.
 */
export async function requestPayoutSet(
  tx: Tx,
  actor: Actor,
  campaign: Campaign,
  rows: readonly PayoutSetRow[],
  batchId: string,
  now: Date,
): Promise<Reservation> {
  const rail = railFor(campaign.rail);
  if (!rail.canPay(campaign))
    throw fieldError("CONFLICT", "campaignId", "payouts.errors.campaignNotPaying", {
      status: campaign.status,
    });
  const payeeProblem = rail.payeeProblem
    ? rows.map((row) => rail.payeeProblem?.(row.identityType, row.payeeName ?? null)).find(Boolean)
    : null;
  if (payeeProblem) throw fieldError("VALIDATION", "payeeName", payeeProblem);
  // Exclusive: no single request of this campaign counts a recipient between this set's insert and its check.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${campaignFrequencyLockKey(campaign.id)}, 0))`;

  const { maxFen } = rail.reservation(campaign, null);
  const totalFen = maxFen * rows.length;
  const reservation = await reserveUpTo(tx, campaign.id, totalFen, totalFen);
  if (!reservation) throw fieldError("CONFLICT", "campaignId", "payouts.errors.budgetExhausted");

  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const chunk = rows.slice(start, start + CHUNK_ROWS).map((row) => ({
      identityType: row.identityType,
      identity: row.identity,
      scene: row.scene,
      memo: row.memo,
      outBizNo: row.outBizNo ?? generateOutBizNo(now),
      payeeName: row.payeeName ?? null,
    }));
    const inserted = await tx.$executeRaw`
      INSERT INTO "Payout" (id, "campaignId", "batchId", "outBizNo", "identityType", identity, "amountFen", scene,
                            source, memo, "payeeName", "merchantKey", status, "requestedByType", "requestedById",
                            "requestedByLabel", "requestIp", "requestId", "createdAt", "updatedAt")
      SELECT 'p' || substr(md5(random()::text || clock_timestamp()::text || r."outBizNo"), 1, 24), ${campaign.id},
             ${batchId}, r."outBizNo", r."identityType"::"IdentityType", r.identity, ${maxFen},
             r.scene::"PayoutScene", 'BATCH', r.memo, r."payeeName",
             CASE WHEN ${rail.keyScope === "merchant"} THEN r."outBizNo" END, 'PENDING_APPROVAL', ${actor.type}::"ActorType",
             ${actorId(actor)}, ${actorLabel(actor)}, ${actor.ip}, ${currentRequestId()}, ${now}, ${now}
        FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
             AS r("identityType" text, identity text, scene text, memo text, "outBizNo" text, "payeeName" text)
      ON CONFLICT DO NOTHING`;
    if (inserted !== chunk.length) throw fieldError("CONFLICT", "file", "batches.errors.outBizNoTaken");
  }

  const counted = Prisma.join(COUNTED_STATUSES.map((s) => Prisma.sql`${s}::"PayoutStatus"`));
  const periodStart = campaign.frequencyPeriod ? beijingPeriodStart(now, campaign.frequencyPeriod) : now;
  const periodLimit = campaign.frequencyPeriod ? campaign.frequencyPeriodLimit : null;
  const dayStart = beijingPeriodStart(now, "DAY");
  const dailyLimitFen = campaign.dailyAmountPerUserFen;
  // Each of the set's recipients counted through the (campaignId, identityType, identity) index, one lookup
  // each. Not `(identityType, identity) IN (SELECT … WHERE batchId = …)`: the rows were inserted by this very
  // transaction, so the planner's statistics know nothing of them and it chose a nested loop that read the whole
  // batch once per row — quadratic, ~60 s for 50,000 rows on PGlite and ~25 s on PostgreSQL, with the campaign's
  // frequency lock held exclusively meanwhile.
  // The same count sums each recipient's amount this Beijing day against dailyAmountPerUserFen (the set's rows
  // included, each holding maxFen), as dailyAmountExceeded does for a single request.
  const [over] = await tx.$queryRaw<{ recipients: number; overAmount: number }[]>`
    SELECT (COUNT(*) FILTER (WHERE n.lifetime > ${campaign.frequencyLifetime}
                               OR (${periodLimit}::int IS NOT NULL AND n.period > ${periodLimit}::int)))::int
             AS recipients,
           (COUNT(*) FILTER (WHERE ${dailyLimitFen}::int IS NOT NULL AND n.day_fen > ${dailyLimitFen}::int))::int
             AS "overAmount"
      FROM (SELECT DISTINCT "identityType", identity FROM "Payout" WHERE "batchId" = ${batchId}) AS r
     CROSS JOIN LATERAL (
           SELECT COUNT(*)::int AS lifetime,
                  (COUNT(*) FILTER (WHERE p."createdAt" >= ${periodStart}))::int AS period,
                  COALESCE(SUM(COALESCE(p."awardedFen", p."amountFen")) FILTER (WHERE p."createdAt" >= ${dayStart}), 0)
                    AS day_fen
             FROM "Payout" p
            WHERE p."campaignId" = ${campaign.id} AND p."identityType" = r."identityType"
              AND p.identity = r.identity AND p.status IN (${counted})) AS n`;
  if ((over?.recipients ?? 0) > 0) throw fieldError("CONFLICT", "file", "batches.errors.frequencyChanged");
  if ((over?.overAmount ?? 0) > 0)
    throw fieldError("CONFLICT", "file", "payouts.errors.dailyAmountLimit", {
      limit: formatFen(dailyLimitFen ?? 0),
    });

  // One audit event per payout, as requestPayout writes it, in one statement.
  await tx.$executeRaw`
    INSERT INTO "AuditEvent" (id, "createdAt", "actorType", "actorId", "actorLabel", action, "entityType",
                              "entityId", after, ip, "userAgent")
    SELECT 'a' || md5(random()::text || clock_timestamp()::text || p.id), ${now}, ${actor.type}::"ActorType",
           ${actorId(actor)}, ${actorLabel(actor)}, 'payout.request', 'Payout', p.id,
           jsonb_build_object('status', p.status, 'campaignId', p."campaignId", 'outBizNo', p."outBizNo",
                              'amountFen', p."amountFen", 'awardedFen', p."awardedFen", 'scene', p.scene,
                              'source', p.source, 'autoApproved', p."autoApproved",
                              'attemptCount', p."attemptCount", 'failureCode', p."failureCode",
                              'attentionReason', p."attentionReason", 'identityType', p."identityType",
                              'batchId', p."batchId"),
           ${actor.ip}, ${actor.userAgent?.slice(0, 500) ?? null}
      FROM "Payout" p
     WHERE p."batchId" = ${batchId}`;
  await recordBudgetLowIfCrossed(tx, campaign.id, reservation);
  return reservation;
}
