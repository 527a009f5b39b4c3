import "server-only";
import type PgBoss from "pg-boss";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { createQueueOnce } from "@/lib/jobs/create-queue";
import { log } from "@/lib/log";
import { crashPoint } from "@/lib/runtime/crash-point";
import { deliverWebhook, WEBHOOK_TIMEOUT_MS } from "./deliver";

/**
 * Webhook deliveries on pg-boss (docs/decisions/019-webhook-events-from-the-audit-log.md). The database writes
 * each delivery as a PENDING row in the transaction of the change (its outbox: `enqueuedAt IS NULL`); the relay
 * hands outbox rows to the `webhook.deliver` queue with the delivery's id as the job id and then marks them. A
 * process that dies between the two hands them over again, and pg-boss ignores a job id it already holds, so a
 * delivery is queued once. pg-boss then runs the attempts and their retries.
 */
export const WEBHOOK_QUEUE = "webhook.deliver";

/** Deliveries handed over per pass (one insert statement); a full pass is followed by the next at once. */
const RELAY_BATCH = 200;
/** Jobs one fetch of the deliver worker takes; they are posted concurrently. */
const DELIVER_BATCH = 20;

/**
 * The attempts of one delivery: the first, then retries `baseSeconds` × 2^n apart (pg-boss's backoff adds up
 * to as much again at random), `maxAttempts` in all.
 */
export type WebhookRetryPolicy = { baseSeconds: number; maxAttempts: number };

export type DeliverJob = { deliveryId: string };

/** pg-boss's retry options for a policy (retryLimit counts the retries after the first attempt). */
export function retryOptions(policy: WebhookRetryPolicy) {
  return {
    retryLimit: Math.max(0, policy.maxAttempts - 1),
    retryDelay: policy.baseSeconds,
    retryBackoff: true,
  };
}

/**
 * Seconds from the first attempt to the last when every attempt fails, without pg-boss's random extra (which
 * can add as much again): the sum of the waits before each retry, `base × 2^n` for n = 0…retries − 1.
 */
export function retryWindowSeconds(policy: WebhookRetryPolicy): number {
  const retries = Math.max(0, policy.maxAttempts - 1);
  let total = 0;
  for (let n = 0; n < retries; n++) total += policy.baseSeconds * 2 ** Math.min(n, 15);
  return total;
}

/**
 * One relay pass: hands up to `limit` outbox deliveries (oldest first) to pg-boss and marks them handed over.
 * Nothing here runs in a transaction: several processes may hand the same rows over at once, which pg-boss's
 * job id makes harmless. Returns how many were handed over.
 *
 * `expireSeconds` (WEBHOOK_JOB_EXPIRE_SECONDS) is how long an attempt may stay active: pg-boss fails a job whose
 * worker died once it passes, and retries it while attempts remain (sweep.ts settles the last one).
 */
export async function relayWebhookDeliveries(
  boss: PgBoss,
  policy: WebhookRetryPolicy,
  { expireSeconds = env.WEBHOOK_JOB_EXPIRE_SECONDS, limit = RELAY_BATCH } = {},
): Promise<number> {
  const due = await db.webhookDelivery.findMany({
    where: { enqueuedAt: null },
    orderBy: { createdAt: "asc" },
    select: { id: true },
    take: limit,
  });
  if (due.length === 0) return 0;
  const retry = retryOptions(policy);
  await boss.insert(
    due.map(({ id }) => ({
      id,
      name: WEBHOOK_QUEUE,
      data: { deliveryId: id } satisfies DeliverJob,
      expireInSeconds: expireSeconds,
      ...retry,
    })),
  );
  // Dying here leaves the rows in the outbox: the next pass hands them over again, and pg-boss keeps one job.
  crashPoint("webhook.relay.after-insert");
  await db.webhookDelivery.updateMany({
    where: { id: { in: due.map((d) => d.id) }, enqueuedAt: null },
    data: { enqueuedAt: new Date() },
  });
  return due.length;
}

export type WebhookDeliveryOptions = {
  /** How often the relay looks for new deliveries when the last pass found few. */
  pollMs: number;
  retry: WebhookRetryPolicy;
  /** Per-attempt HTTP timeout (tests shorten it). */
  timeoutMs?: number;
  /** How long an attempt's job may stay active before pg-boss fails it (default WEBHOOK_JOB_EXPIRE_SECONDS). */
  expireSeconds?: number;
};

/** The options lib/jobs/worker.ts runs delivery with, from the WEBHOOK_* settings. */
export function webhookDeliveryOptionsFromEnv(): WebhookDeliveryOptions {
  return {
    pollMs: env.WEBHOOK_POLL_MS,
    retry: { baseSeconds: env.WEBHOOK_RETRY_BASE_SECONDS, maxAttempts: env.WEBHOOK_MAX_ATTEMPTS },
    expireSeconds: env.WEBHOOK_JOB_EXPIRE_SECONDS,
  };
}

export type WebhookDeliveryService = { stop(): Promise<void> };

/**
 * Starts webhook delivery on a started pg-boss: the `webhook.deliver` queue, its worker, and the relay loop
 * (lib/jobs/worker.ts runs it beside the payout dispatcher; tests run it with a short retry policy).
 * `stop` ends the relay; the worker stops with pg-boss.
 */
export async function startWebhookDelivery(
  boss: PgBoss,
  options: WebhookDeliveryOptions,
): Promise<WebhookDeliveryService> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const expireSeconds = options.expireSeconds ?? env.WEBHOOK_JOB_EXPIRE_SECONDS;
  // pg-boss also fails a batch whose handler outlives the expiry: an attempt that times out must still have time
  // to record itself, or live receivers would see their deliveries retried as if the worker had died.
  if (expireSeconds * 1000 < 2 * timeoutMs) {
    throw new Error(
      `WEBHOOK_JOB_EXPIRE_SECONDS (${expireSeconds}) must be at least twice the ${timeoutMs} ms attempt timeout`,
    );
  }
  await createQueueOnce(boss, WEBHOOK_QUEUE);
  let workerId: string | null = null;
  workerId = await boss.work<DeliverJob>(
    WEBHOOK_QUEUE,
    { batchSize: DELIVER_BATCH, includeMetadata: true, pollingIntervalSeconds: 1 },
    async (jobs) => {
      await Promise.all(
        jobs.map(async (job) => {
          try {
            // retryCount counts the earlier attempts of this job: the last one is where it meets the limit.
            await deliverWebhook(job.data.deliveryId, {
              isLastAttempt: job.retryCount >= job.retryLimit,
              timeoutMs,
            });
          } catch (error) {
            // Failed one by one, so one receiver's failure does not retry the others of the batch (which
            // pg-boss then completes).
            await boss.fail(WEBHOOK_QUEUE, job.id, {
              message: error instanceof Error ? error.message : String(error),
            });
          }
        }),
      );
      // A full batch: more jobs are probably waiting, so fetch again without the polling pause.
      if (jobs.length === DELIVER_BATCH && workerId) boss.notifyWorker(workerId);
    },
  );

  let running = true;
  let wake: () => void = () => undefined;
  const loop = (async () => {
    while (running) {
      let handed = 0;
      try {
        handed = await relayWebhookDeliveries(boss, options.retry, { expireSeconds });
        if (handed > 0 && workerId) boss.notifyWorker(workerId);
      } catch (error) {
        log.error("webhook.relay_failed", { error: error instanceof Error ? error.message : String(error) });
      }
      // A full pass: more are probably waiting, so go again at once.
      if (handed >= RELAY_BATCH || !running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();

  return {
    async stop() {
      running = false;
      wake();
      await loop;
    },
  };
}
