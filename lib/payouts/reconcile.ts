import "server-only";
import { systemActor } from "@/lib/auth/actor";
import { checkBudgets, settleReservation } from "@/lib/budget/service";
import { db, QUEUED_TRANSACTION } from "@/lib/db";
import { log } from "@/lib/log";
import { expireLeases } from "./dispatch/leases";
import { movePayout } from "./move";

const RECONCILER = systemActor("reconciler");
/** Campaigns touched this recently have their figures recomputed every run; the hourly check covers all. */
const RECENT_MS = 15 * 60 * 1000;
const ENDED = ["CLOSED", "SETTLED", "FAILED"] as const;

export type ReconcileReport = {
  leasesExpired: number;
  abandoned: number;
  budgetMismatches: number;
  /** Campaigns whose spent figure differs from Alipay's send_amount with nothing in flight. */
  alipayDrift: { campaignId: string; spentFen: number; alipaySentFen: number }[];
};

/**
 * Payouts of a campaign that ended before they were sent can never be sent: approved ones fail ("campaign
 * ended", not retryable), pending ones are cancelled, and their reservations are released.
 */
async function abandonEnded(): Promise<number> {
  const stranded = await db.payout.findMany({
    where: { status: { in: ["APPROVED", "PENDING_APPROVAL"] }, campaign: { status: { in: [...ENDED] } } },
    select: { id: true, status: true, campaignId: true, amountFen: true },
    take: 500,
  });
  let moved = 0;
  for (const payout of stranded) {
    const done = await db.$transaction(async (tx) => {
      const ended =
        payout.status === "APPROVED"
          ? await movePayout(tx, RECONCILER, payout, "FAILED", "abandon", {
              nextAttemptAt: null,
              failureCode: "CAMPAIGN_ENDED",
              failureMessage: "campaign ended before the payout was sent",
              failureRetryable: false,
            })
          : await movePayout(tx, RECONCILER, payout, "CANCELED", "cancel", {
              decisionReason: "campaign ended",
            });
      if (ended) await settleReservation(tx, payout.campaignId, payout.amountFen, "released");
      return ended !== null;
    }, QUEUED_TRANSACTION);
    if (done) moved += 1;
  }
  return moved;
}

/**
 * Campaigns whose spent total disagrees with Alipay's send_amount, as synced after their last payout changed,
 * while nothing is in flight.
 */
async function alipayDrift(): Promise<ReconcileReport["alipayDrift"]> {
  const rows = await db.$queryRaw<ReconcileReport["alipayDrift"]>`
    SELECT c.id AS "campaignId", c."spentFen", c."alipaySentFen"
      FROM "Campaign" c
     WHERE c."alipaySentFen" IS NOT NULL AND c."alipaySentFen" <> c."spentFen"
       AND NOT EXISTS (SELECT 1 FROM "Payout" p
                        WHERE p."campaignId" = c.id AND p.status IN ('SENDING', 'UNKNOWN', 'NEEDS_ATTENTION'))
       -- Alipay's figure must be newer than our last settled payout, or every payout since the last sync
       -- would look like drift until the next one.
       AND c."lastSyncedAt" > COALESCE((SELECT max(p."updatedAt") FROM "Payout" p WHERE p."campaignId" = c.id),
                                       'epoch'::timestamp)`;
  return rows;
}

/**
 * A point of the burn-down chart for each recently active campaign whose figures moved since its last point: at
 * most one per campaign per run, whatever the number of payouts. Returns how many.
 */
async function snapshotFigures(since: Date): Promise<number> {
  return db.$executeRaw`
    INSERT INTO "CampaignSnapshot" (id, "campaignId", at, "spentFen", "reservedFen", "alipaySentFen")
    SELECT 's' || md5(random()::text || clock_timestamp()::text || c.id), c.id, now(), c."spentFen",
           c."reservedFen", c."alipaySentFen"
      FROM "Campaign" c
      LEFT JOIN LATERAL (
        SELECT s."spentFen", s."reservedFen" FROM "CampaignSnapshot" s
         WHERE s."campaignId" = c.id ORDER BY s.at DESC LIMIT 1
      ) last ON true
     WHERE c."updatedAt" >= ${since}
       AND (last."spentFen" IS NULL OR last."spentFen" <> c."spentFen" OR last."reservedFen" <> c."reservedFen")`;
}

/**
 * `payout.reconcile` (every minute): dead workers' payouts become UNKNOWN (the dispatcher learns their outcome
 * with the same key), stranded payouts of ended campaigns are released, recently active campaigns' figures are
 * recomputed from their payouts (drift is flagged on the campaign) and given a burn-down point, and spent is
 * compared with Alipay's send_amount.
 */
export async function reconcilePayouts(now: Date = new Date()): Promise<ReconcileReport> {
  const leasesExpired = await expireLeases();
  const abandoned = await abandonEnded();
  const since = new Date(now.getTime() - RECENT_MS);
  const mismatches = await checkBudgets({ since });
  await snapshotFigures(since);
  const drift = await alipayDrift();
  const report = { leasesExpired, abandoned, budgetMismatches: mismatches.length, alipayDrift: drift };
  if (leasesExpired || abandoned || mismatches.length || drift.length) log.warn("payout.reconcile", report);
  return report;
}
