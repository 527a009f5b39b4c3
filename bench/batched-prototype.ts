/**
 * A PROTOTYPE, in the benchmark only, of what bench/payout-dispatch.ts suggested: record the outcomes of finished
 * calls in batches (group commit) instead of one 7-statement interactive transaction per payout. The console has
 * since adopted it (lib/payouts/dispatch/record-paid-batch.ts); this copy is not console code and is never used by
 * it, and stays to reproduce the figures of docs/benchmarks.md (`npm run bench -- dispatch --prototype=1`).
 *
 * Same claim (lib's `claimDuePayouts`), same rail call (lib's `railFor(…).send` through the process's
 * AlipayClient), same concurrency; a payout's slot is held until its outcome is recorded, as in the Dispatcher.
 * Outcomes that are plain first payments (paid, not a repeat, awarded ≤ held) are written by ONE statement per
 * batch — attempts, guarded payout moves (status SENDING and this worker's lease), their audit events and one
 * budget update per campaign — while the previous batch is being written the next one accumulates. Anything
 * else goes through lib's `recordOutcome`, unchanged.
 */
import type { AlipayClient } from "../lib/alipay/client";
import type { ClaimedPayout } from "../lib/payouts/dispatch/claim";
import type { RetryPolicy } from "../lib/payouts/dispatch/record-outcome";
import type { PayoutRail, SendOutcome } from "../lib/payouts/rails";

type Deps = {
  queryRaw: (sql: string, ...values: unknown[]) => Promise<unknown>;
  claimDuePayouts: (worker: string, limit: number, leaseMs: number) => Promise<ClaimedPayout[]>;
  railFor: (rail: ClaimedPayout["campaign"]["rail"]) => PayoutRail;
  recordOutcome: (
    claimed: ClaimedPayout,
    outcome: SendOutcome,
    worker: string,
    policy: RetryPolicy,
  ) => Promise<void>;
  client: AlipayClient;
  concurrency: number;
  leaseMs: number;
  retry: RetryPolicy;
  worker: string;
};

export type PrototypeStats = { batches: number; batchSizes: number[]; fallbacks: number; claims: number };

/** One statement: attempts, guarded moves, audit events, budget per campaign; fails whole if a budget disagrees. */
const RECORD_PAID_BATCH = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
    id text, number int, "startedAt" timestamp(3), "latencyMs" int, code text, "subCode" text, "subMsg" text,
    "traceId" text, "awardedFen" int, reference text, "rawReply" jsonb, "recordedAt" timestamp(3))
), moved AS (
  UPDATE "Payout" p
     SET status = 'SUCCEEDED', "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "awardedFen" = i."awardedFen",
         "alipayReference" = i.reference, "succeededAt" = i."recordedAt", "updatedAt" = now()
    FROM input i
   WHERE p.id = i.id AND p.status = 'SENDING' AND p."leaseOwner" = $2
RETURNING p.id, p."campaignId", p."outBizNo", p."amountFen", p."awardedFen", p.scene, p.source, p."autoApproved",
          p."attemptCount"
), attempts AS (
  INSERT INTO "PayoutAttempt" (id, "payoutId", number, "startedAt", "latencyMs", outcome, code, "subCode", "subMsg",
                               "traceId", "awardedFen", repeat, worker, "rawReply")
  SELECT 't' || md5(random()::text || clock_timestamp()::text || i.id), i.id, i.number, i."startedAt", i."latencyMs",
         'OK'::"AttemptOutcome", i.code, i."subCode", i."subMsg", i."traceId", i."awardedFen", false, $2, i."rawReply"
    FROM input i
), audited AS (
  INSERT INTO "AuditEvent" (id, "createdAt", "actorType", "actorLabel", action, "entityType", "entityId", before, after)
  SELECT 'a' || md5(random()::text || clock_timestamp()::text || m.id), now(), 'SYSTEM'::"ActorType", 'dispatcher',
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
SELECT (SELECT COUNT(*) FROM moved)::int AS moved,
       1 / (CASE WHEN (SELECT COUNT(*) FROM settled) = (SELECT COUNT(*) FROM per_campaign) THEN 1 ELSE 0 END) AS ok`;

function isPlainPayment(payout: ClaimedPayout, outcome: SendOutcome): boolean {
  return outcome.kind === "paid" && !outcome.repeat && outcome.awardedFen <= payout.amountFen;
}

/**
 * Runs until `done()` says so (the caller polls the database as for the Dispatcher), then waits for what is in
 * flight.
 */
export async function runBatchedPrototype(deps: Deps, done: () => boolean): Promise<PrototypeStats> {
  const stats: PrototypeStats = { batches: 0, batchSizes: [], fallbacks: 0, claims: 0 };
  const inFlight = new Set<Promise<void>>();
  let buffer: Array<{ payout: ClaimedPayout; outcome: SendOutcome; release: () => void }> = [];
  let writing: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  async function write(batch: typeof buffer): Promise<void> {
    const plain = batch.filter((b) => isPlainPayment(b.payout, b.outcome));
    const others = batch.filter((b) => !isPlainPayment(b.payout, b.outcome));
    if (plain.length > 0) {
      const rows = plain.map(({ payout, outcome }) => {
        const a = outcome.attempt;
        return {
          id: payout.id,
          number: payout.attemptCount,
          startedAt: a.startedAt.toISOString(),
          latencyMs: Math.max(0, a.latencyMs),
          code: a.code,
          subCode: a.subCode,
          subMsg: a.subMsg?.slice(0, 500) ?? null,
          traceId: a.traceId,
          awardedFen: outcome.kind === "paid" ? outcome.awardedFen : null,
          reference: outcome.kind === "paid" ? outcome.reference : null,
          rawReply: a.rawReply,
          recordedAt: new Date().toISOString(),
        };
      });
      await deps.queryRaw(RECORD_PAID_BATCH, JSON.stringify(rows), deps.worker);
      stats.batches += 1;
      stats.batchSizes.push(plain.length);
    }
    for (const { payout, outcome } of others) {
      stats.fallbacks += 1;
      await deps.recordOutcome(payout, outcome, deps.worker, deps.retry);
    }
  }

  function flush(): void {
    if (writing || buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    writing = write(batch)
      .catch((error: unknown) => console.error(`[prototype] batch write failed: ${(error as Error).message}`))
      .finally(() => {
        for (const b of batch) b.release();
        writing = null;
        flush();
      });
  }

  async function send(payout: ClaimedPayout): Promise<void> {
    const outcome = await deps.railFor(payout.campaign.rail).send(deps.client, payout.campaign, payout);
    await new Promise<void>((release) => {
      buffer.push({ payout, outcome, release });
      flush();
    });
  }

  const batch = Math.max(1, Math.floor(deps.concurrency / 8));
  while (!done()) {
    const room = deps.concurrency - inFlight.size;
    if (room < batch) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
      continue;
    }
    const claimed = await deps.claimDuePayouts(deps.worker, room, deps.leaseMs);
    stats.claims += 1;
    for (const payout of claimed) {
      const task = send(payout).finally(() => {
        inFlight.delete(task);
        signal();
      });
      inFlight.add(task);
    }
    if (claimed.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await Promise.allSettled([...inFlight]);
  return stats;
}
