import "server-only";
import { db } from "@/lib/db";
import { logPayoutMove } from "../log";
import type { SendOutcome } from "../rails";
import { DISPATCHER_LABEL, type ClaimedPayout } from "./claim";

export type PaidOutcome = Extract<SendOutcome, { kind: "paid" }>;

/** A payment that needs nothing beyond its reservation: the common case, written in batches. */
export function isPlainPayment(claimed: ClaimedPayout, outcome: SendOutcome): outcome is PaidOutcome {
  return outcome.kind === "paid" && outcome.awardedFen <= claimed.amountFen;
}

/**
 * ONE statement for a batch of plain payments (group commit): each payout's attempt, its guarded move
 * SENDING → SUCCEEDED (this worker's lease and this claim's attempt number, as recordOutcome guards it), its
 * audit event, and one budget settlement per campaign. If a campaign's reservation does not cover its payouts
 * the statement fails as a whole (division by zero), changing nothing, and the caller records them one by one.
 */
const RECORD_PAID_BATCH = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
    id text, number int, method text, "startedAt" timestamp(3), "latencyMs" int, code text, "subCode" text, "subMsg" text,
    "traceId" text, "awardedFen" int, repeat boolean, reference text, "rawReply" jsonb, "recordedAt" timestamp(3))
), attempts AS (
  INSERT INTO "PayoutAttempt" (id, "payoutId", number, method, "startedAt", "latencyMs", outcome, code, "subCode",
                               "subMsg", "traceId", "awardedFen", repeat, worker, "rawReply")
  SELECT 't' || md5(random()::text || clock_timestamp()::text || i.id), i.id, i.number, i.method, i."startedAt",
         i."latencyMs",
         'OK'::"AttemptOutcome", i.code, i."subCode", i."subMsg", i."traceId", i."awardedFen", i.repeat, $2,
         i."rawReply"
    FROM input i
), moved AS (
  UPDATE "Payout" p
     SET status = 'SUCCEEDED', "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "awardedFen" = i."awardedFen",
         "alipayReference" = i.reference, "succeededAt" = i."recordedAt", "updatedAt" = now()
    FROM input i
   WHERE p.id = i.id AND p.status = 'SENDING' AND p."leaseOwner" = $2 AND p."attemptCount" = i.number
RETURNING p.id, p."campaignId", p."outBizNo", p."amountFen", p."awardedFen", p.scene, p.source, p."autoApproved",
          p."attemptCount", p."requestId"
), audited AS (
  INSERT INTO "AuditEvent" (id, "createdAt", "actorType", "actorLabel", action, "entityType", "entityId", before, after)
  SELECT 'a' || md5(random()::text || clock_timestamp()::text || m.id), now(), 'SYSTEM'::"ActorType", $3,
         'payout.succeed', 'Payout', m.id, jsonb_build_object('status', 'SENDING'),
         jsonb_build_object('status', 'SUCCEEDED', 'campaignId', m."campaignId", 'outBizNo', m."outBizNo",
                            'amountFen', m."amountFen", 'awardedFen', m."awardedFen", 'scene', m.scene,
                            'source', m.source, 'autoApproved', m."autoApproved", 'attemptCount', m."attemptCount")
    FROM moved m
), per_campaign AS (
  SELECT "campaignId", SUM("amountFen")::int AS held, SUM("awardedFen")::int AS spent, COUNT(*)::int AS n
    FROM moved GROUP BY "campaignId"
), settled AS (
  UPDATE "Campaign" c
     SET "reservedFen" = c."reservedFen" - s.held, "spentFen" = c."spentFen" + s.spent,
         "sentCount" = c."sentCount" + s.n, "updatedAt" = now()
    FROM per_campaign s
   WHERE c.id = s."campaignId" AND c."reservedFen" >= s.held
RETURNING c.id
)
SELECT (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', m.id, 'campaignId', m."campaignId",
                 'outBizNo', m."outBizNo", 'requestId', m."requestId", 'amountFen', m."amountFen",
                 'awardedFen', m."awardedFen", 'attempt', m."attemptCount")), '[]'::jsonb) FROM moved m) AS moved,
       1 / (CASE WHEN (SELECT COUNT(*) FROM settled) = (SELECT COUNT(*) FROM per_campaign) THEN 1 ELSE 0 END) AS ok`;

type MovedRow = {
  id: string;
  campaignId: string;
  outBizNo: string;
  requestId: string | null;
  amountFen: number;
  awardedFen: number;
  attempt: number;
};

/**
 * Records plain payments of this worker's claims in one statement and logs each move once it is committed;
 * returns how many payouts it moved.
 */
export async function recordPaidBatch(
  worker: string,
  batch: ReadonlyArray<{ claimed: ClaimedPayout; outcome: PaidOutcome }>,
): Promise<number> {
  const recordedAt = new Date().toISOString();
  const rows = batch.map(({ claimed, outcome }) => {
    const a = outcome.attempt;
    return {
      id: claimed.id,
      number: claimed.attemptCount,
      method: a.method ?? null,
      startedAt: a.startedAt.toISOString(),
      latencyMs: Math.max(0, a.latencyMs),
      code: a.code,
      subCode: a.subCode,
      subMsg: a.subMsg?.slice(0, 500) ?? null,
      traceId: a.traceId,
      awardedFen: outcome.awardedFen,
      repeat: outcome.repeat,
      reference: outcome.reference,
      rawReply: a.rawReply,
      recordedAt,
    };
  });
  const [result] = await db.$queryRawUnsafe<{ moved: MovedRow[] }[]>(
    RECORD_PAID_BATCH,
    JSON.stringify(rows),
    worker,
    DISPATCHER_LABEL,
  );
  const moved = result?.moved ?? [];
  for (const m of moved) {
    logPayoutMove({
      payoutId: m.id,
      outBizNo: m.outBizNo,
      campaignId: m.campaignId,
      requestId: m.requestId,
      from: "SENDING",
      to: "SUCCEEDED",
      move: "succeed",
      attempt: m.attempt,
      amountFen: m.amountFen,
      awardedFen: m.awardedFen,
    });
  }
  return moved.length;
}
