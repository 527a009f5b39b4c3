import "server-only";
import { Prisma, type PayoutStatus } from "@/generated/prisma/client";
import { actorId, actorLabel, type Actor } from "@/lib/auth/actor";
import type { Tx } from "@/lib/db";
import { assertTransition, type PayoutEvent } from "./transitions";

export type MovedSet = {
  count: number;
  /** What the moved payouts held of the budget, summed. */
  heldFen: number;
};

/**
 * movePayout for every payout of a batch in `from`: ONE guarded statement moves them to `to` along the
 * transition table (rows another process moved first are not in `from` any more, so are left alone) and
 * writes each one's `payout.<event>` audit event, in the caller's transaction. `set` adds columns to the
 * update (", col = value, ..."), `where` narrows the rows ("AND ...").
 */
export async function moveBatchPayouts(
  tx: Tx,
  actor: Actor,
  batchId: string,
  from: PayoutStatus,
  to: PayoutStatus,
  event: PayoutEvent,
  options: { set?: Prisma.Sql; where?: Prisma.Sql } = {},
): Promise<MovedSet> {
  assertTransition(from, to);
  const [row] = await tx.$queryRaw<{ count: number; held: number }[]>`
    WITH moved AS (
      UPDATE "Payout" p
         SET status = ${to}::"PayoutStatus", "updatedAt" = now() ${options.set ?? Prisma.empty}
       WHERE p."batchId" = ${batchId} AND p.status = ${from}::"PayoutStatus" ${options.where ?? Prisma.empty}
   RETURNING p.*
    ), audited AS (
      INSERT INTO "AuditEvent" (id, "createdAt", "actorType", "actorId", "actorLabel", action, "entityType",
                                "entityId", before, after, ip, "userAgent")
      SELECT 'a' || md5(random()::text || clock_timestamp()::text || m.id), now(), ${actor.type}::"ActorType",
             ${actorId(actor)}, ${actorLabel(actor)}, ${`payout.${event}`}, 'Payout', m.id,
             jsonb_build_object('status', ${from}::text),
             jsonb_build_object('status', m.status, 'campaignId', m."campaignId", 'outBizNo', m."outBizNo",
                                'amountFen', m."amountFen", 'awardedFen', m."awardedFen", 'scene', m.scene,
                                'source', m.source, 'autoApproved', m."autoApproved",
                                'attemptCount', m."attemptCount", 'failureCode', m."failureCode",
                                'attentionReason', m."attentionReason", 'batchId', m."batchId"),
             ${actor.ip}, ${actor.userAgent?.slice(0, 500) ?? null}
        FROM moved m
    )
    SELECT COUNT(*)::int AS count, COALESCE(SUM("amountFen"), 0)::int AS held FROM moved`;
  return { count: row?.count ?? 0, heldFen: row?.held ?? 0 };
}
