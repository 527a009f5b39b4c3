import "server-only";
import { db } from "@/lib/db";
import { logPayoutMove } from "../log";
import { DISPATCHER_LABEL } from "./claim";

/**
 * Payouts whose worker died mid-send (its lease ran out while SENDING): their outcome is unknown, so they become
 * UNKNOWN and due at once, to be sent again with the same key (Alipay answers an earlier success as a repeat).
 * One statement with its audit events. Returns how many.
 */
export async function expireLeases(): Promise<number> {
  const rows = await db.$queryRaw<
    { id: string; campaignId: string; outBizNo: string; requestId: string | null; attemptCount: number }[]
  >`
    WITH expired AS (
      UPDATE "Payout"
         SET status = 'UNKNOWN', "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "nextAttemptAt" = now(),
             "updatedAt" = now()
       WHERE status = 'SENDING' AND "leaseExpiresAt" < now()
   RETURNING id, "campaignId", "outBizNo", "requestId", "attemptCount"
    ), audited AS (
      INSERT INTO "AuditEvent" (id, "createdAt", "actorType", "actorLabel", action, "entityType", "entityId", before, after)
      SELECT 'a' || md5(random()::text || clock_timestamp()::text || expired.id), now(), 'SYSTEM'::"ActorType",
             ${DISPATCHER_LABEL}, 'payout.lease_expired', 'Payout', expired.id,
             jsonb_build_object('status', 'SENDING'), jsonb_build_object('status', 'UNKNOWN')
        FROM expired
    )
    SELECT * FROM expired`;
  for (const row of rows) {
    logPayoutMove({
      payoutId: row.id,
      outBizNo: row.outBizNo,
      campaignId: row.campaignId,
      requestId: row.requestId,
      from: "SENDING",
      to: "UNKNOWN",
      move: "lease_expired",
      attempt: row.attemptCount,
    });
  }
  return rows.length;
}
