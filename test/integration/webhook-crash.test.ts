/**
 * Webhook delivery when the process dies (rule 9, docs/decisions/014-in-flight-sweeper.md): a child process runs
 * webhook delivery as the job worker does (pg-boss on the test database, the relay and the `webhook.deliver`
 * worker, real HTTP to a local receiver) and is killed by SIGKILL at a crash point; then a fresh worker in this
 * process, with a 2-second job expiry and pg-boss's maintenance every second, takes over. With attempts left,
 * every delivery ends DELIVERED; killed on its last attempt, the sweep marks it FAILED with the reason. Nothing
 * stays PENDING.
 */
import { randomBytes, randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "@/lib/db";
import type { CrashPointName } from "@/lib/runtime/crash-point";
import {
  startWebhookDelivery,
  WEBHOOK_QUEUE,
  type WebhookDeliveryService,
  type WebhookRetryPolicy,
} from "@/lib/webhooks/relay";
import { WEBHOOK_ID_HEADER } from "@/lib/webhooks/signing";
import { sweepInterruptedWebhookDeliveries, WEBHOOK_INTERRUPTED_NOTE } from "@/lib/webhooks/sweep";
import { databaseOnlyEnv, startConsoleScript, type ConsoleProcess } from "../support/child-process";
import { startWebhookReceiver } from "../support/webhooks";

/** Short enough for a test, and at least twice the attempt timeout, as startWebhookDelivery requires. */
const EXPIRE_SECONDS = 2;
const TIMEOUT_MS = 1_000;
/** Two attempts: a kill on the first leaves one to pg-boss, a kill on the second is the last. */
const RETRY: WebhookRetryPolicy = { baseSeconds: 1, maxAttempts: 2 };

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const endpoints: string[] = [];
/** Child processes and workers still running when a test ends (it failed): stopped so they cannot outlive it. */
const started: ConsoleProcess[] = [];
const workers: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  // Only this file's endpoints receive anything, so a child reaches its crash point with this file's delivery.
  await db.webhookEndpoint.updateMany({ where: { disabledAt: null }, data: { disabledAt: new Date() } });
  receiver = await startWebhookReceiver({ "/last": [500, 200] });
});

afterEach(async () => {
  for (const running of started.splice(0)) {
    if (running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill("SIGKILL");
      await running.exited;
    }
  }
  for (const worker of workers.splice(0)) await worker.stop();
});

afterAll(async () => {
  await receiver.close();
  await db.webhookEndpoint.deleteMany({ where: { id: { in: endpoints } } });
});

/** A PENDING delivery in the relay's outbox, as the trigger writes it, to an endpoint of its own. */
async function pendingDelivery(path: string) {
  const endpoint = await db.webhookEndpoint.create({
    data: {
      url: receiver.url(path),
      description: `webhook-crash ${path}`,
      events: ["campaign.active"],
      secret: `whsec_${randomBytes(24).toString("hex")}`,
      createdByLabel: "webhook-crash.test",
    },
  });
  endpoints.push(endpoint.id);
  const campaignId = randomUUID();
  const event = await db.webhookEvent.create({
    data: {
      type: "campaign.active",
      entityType: "Campaign",
      entityId: campaignId,
      data: { id: campaignId, status: "ACTIVE" },
    },
  });
  return db.webhookDelivery.create({ data: { eventId: event.id, endpointId: endpoint.id } });
}

/** Runs webhook delivery in a child process until it kills itself at `crashAt`. */
async function killChildAt(crashAt: CrashPointName): Promise<void> {
  const child = startConsoleScript(
    "test/support/webhook-child.ts",
    ["20000", String(TIMEOUT_MS)],
    databaseOnlyEnv({
      HONGBAO_CRASH_AT: crashAt,
      WEBHOOK_POLL_MS: "100",
      WEBHOOK_RETRY_BASE_SECONDS: String(RETRY.baseSeconds),
      WEBHOOK_MAX_ATTEMPTS: String(RETRY.maxAttempts),
      WEBHOOK_JOB_EXPIRE_SECONDS: String(EXPIRE_SECONDS),
    }),
  );
  started.push(child);
  const result = await child.exited;
  expect(result.signal, `${crashAt}: ${result.output}`).toBe("SIGKILL");
}

/** A worker as lib/jobs/worker.ts starts one, but expiring jobs within about a second of their expiry. */
async function startWorker(retry: WebhookRetryPolicy = RETRY) {
  const boss = new PgBoss({
    connectionString: inject("databaseUrl"),
    schema: "pgboss",
    max: 3,
    schedule: false,
    maintenanceIntervalSeconds: 1,
  });
  boss.on("error", (error) => console.error("[pg-boss]", error.message));
  await boss.start();
  let service: WebhookDeliveryService | null = null;
  const worker = {
    boss,
    async stop() {
      const index = workers.indexOf(worker);
      if (index >= 0) workers.splice(index, 1);
      await service?.stop();
      await boss.stop({ graceful: true, timeout: 3_000 });
    },
  };
  workers.push(worker);
  service = await startWebhookDelivery(boss, {
    pollMs: 100,
    retry,
    timeoutMs: TIMEOUT_MS,
    expireSeconds: EXPIRE_SECONDS,
  });
  return worker;
}

/** Polls `check` until it returns something other than null (or fails after `timeoutMs`). */
async function eventually<T>(what: string, check: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== null) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function deliveryWithAttempts(id: string) {
  return db.webhookDelivery.findUniqueOrThrow({
    where: { id },
    include: { attempts: { orderBy: { number: "asc" } } },
  });
}

/** The delivery once it left PENDING, with the sweep running (as `in-flight.sweep` does) while it waits. */
function settled(id: string) {
  return eventually(`delivery ${id} to settle`, async () => {
    await sweepInterruptedWebhookDeliveries({ finishedForMs: 500 });
    const delivery = await deliveryWithAttempts(id);
    return delivery.status === "PENDING" ? null : delivery;
  });
}

function jobOf(boss: PgBoss, id: string) {
  return boss.getJobById<{ deliveryId: string }>(WEBHOOK_QUEUE, id, { includeArchive: true });
}

/** What the receiver got for this delivery (its event id, at its endpoint's path). */
function receivedFor(path: string, eventId: string) {
  return receiver.to(path).filter((r) => r.headers[WEBHOOK_ID_HEADER.toLowerCase()] === eventId);
}

describe("a webhook worker killed at a crash point", () => {
  it("with an attempt left, every delivery ends DELIVERED: pg-boss expires the dead worker's job and retries it", async () => {
    // In this order, so that each child finds only its own delivery due: the jobs of the children before it
    // are active (no maintenance runs until the fresh worker starts), and the relay's is the only one left in
    // the outbox.
    const cases: Array<{ crashAt: CrashPointName; path: string }> = [
      { crashAt: "webhook.deliver.before-post", path: "/before-post" },
      { crashAt: "webhook.deliver.after-post", path: "/after-post" },
      { crashAt: "webhook.deliver.after-record", path: "/after-record" },
      { crashAt: "webhook.relay.after-insert", path: "/relay" },
    ];
    const deliveries = new Map<CrashPointName, Awaited<ReturnType<typeof pendingDelivery>>>();
    for (const { crashAt, path } of cases) {
      const delivery = await pendingDelivery(path);
      deliveries.set(crashAt, delivery);
      await killChildAt(crashAt);
    }
    const left = async (crashAt: CrashPointName) => deliveryWithAttempts(deliveries.get(crashAt)!.id);

    // What each kill left behind.
    const beforePost = await left("webhook.deliver.before-post");
    expect(beforePost).toMatchObject({ status: "PENDING", attemptCount: 0, attempts: [] });
    expect(receivedFor("/before-post", beforePost.eventId)).toHaveLength(0);
    const afterPost = await left("webhook.deliver.after-post");
    expect(afterPost).toMatchObject({ status: "PENDING", attemptCount: 0, attempts: [] });
    expect(receivedFor("/after-post", afterPost.eventId)).toHaveLength(1); // answered, never recorded
    const afterRecord = await left("webhook.deliver.after-record");
    expect(afterRecord).toMatchObject({ status: "DELIVERED", attemptCount: 1 }); // recorded, job still active
    const relayed = await left("webhook.relay.after-insert");
    expect(relayed).toMatchObject({ status: "PENDING", enqueuedAt: null }); // queued, not marked

    // Jobs still running or waiting belong to pg-boss: the sweep leaves them alone.
    await sweepInterruptedWebhookDeliveries({ finishedForMs: 0 });
    for (const crashAt of ["webhook.deliver.before-post", "webhook.deliver.after-post"] as const)
      expect((await left(crashAt)).status, crashAt).toBe("PENDING");

    const worker = await startWorker();
    for (const { crashAt, path } of cases) {
      const delivery = await settled(deliveries.get(crashAt)!.id);
      expect(delivery, crashAt).toMatchObject({ status: "DELIVERED", attemptCount: 1 });
      expect(delivery.attempts, crashAt).toEqual([
        expect.objectContaining({ number: 1, statusCode: 200, error: null }),
      ]);
      // Its job finished: completed, after a retry for each job whose worker died while holding it.
      const job = await eventually(`${crashAt} job to complete`, async () => {
        const found = await jobOf(worker.boss, delivery.id);
        return found?.state === "completed" ? found : null;
      });
      expect(job.retryCount, crashAt).toBe(crashAt === "webhook.relay.after-insert" ? 0 : 1);
      // At least once: twice only when the receiver answered the attempt that died before recording it.
      expect(receivedFor(path, delivery.eventId), crashAt).toHaveLength(
        crashAt === "webhook.deliver.after-post" ? 2 : 1,
      );
    }
    // The relay's second pass found the job pg-boss already held: one job, one POST.
    const [jobs] = await db.$queryRaw<{ n: number }[]>`
      SELECT COUNT(*)::int AS n FROM pgboss.job
       WHERE name = ${WEBHOOK_QUEUE} AND id = ${deliveries.get("webhook.relay.after-insert")!.id}::uuid`;
    expect(jobs?.n).toBe(1);
    await worker.stop();
  }, 50_000);

  it("killed on the last attempt, the delivery is marked FAILED by the sweep with the reason, never left PENDING", async () => {
    const delivery = await pendingDelivery("/last");
    // The first attempt, by a worker that lives: the receiver answers 500, pg-boss schedules the last attempt
    // 2–4 s later (a 2-second base, so that this worker is stopped before it is due).
    const first = await startWorker({ baseSeconds: 2, maxAttempts: 2 });
    await eventually("the first attempt to be recorded and its retry scheduled", async () => {
      const job = await jobOf(first.boss, delivery.id);
      return job?.state === "retry" ? job : null;
    });
    await first.stop();
    expect(await deliveryWithAttempts(delivery.id)).toMatchObject({ status: "PENDING", attemptCount: 1 });

    // The last attempt: answered 200, and the process dies before recording it.
    await killChildAt("webhook.deliver.after-post");
    expect(receivedFor("/last", delivery.eventId)).toHaveLength(2);
    expect(await deliveryWithAttempts(delivery.id)).toMatchObject({ status: "PENDING", attemptCount: 1 });

    // pg-boss fails the expired job with no retry left; the sweep gives the delivery up.
    const worker = await startWorker();
    const job = await eventually("the last attempt's job to fail", async () => {
      const found = await jobOf(worker.boss, delivery.id);
      return found?.state === "failed" ? found : null;
    });
    expect(job).toMatchObject({ retryCount: 1, retryLimit: 1 });
    const done = await settled(delivery.id);
    expect(done).toMatchObject({ status: "FAILED", attemptCount: 2, deliveredAt: null });
    expect(done.attempts.map((a) => [a.number, a.statusCode, a.error])).toEqual([
      [1, 500, null],
      [2, null, WEBHOOK_INTERRUPTED_NOTE],
    ]);
    // Nothing posts it again on its own (a person resends it); a second sweep changes nothing.
    await sweepInterruptedWebhookDeliveries({ finishedForMs: 0 });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(receivedFor("/last", delivery.eventId)).toHaveLength(2);
    expect(await deliveryWithAttempts(delivery.id)).toEqual(done);
    await worker.stop();
  }, 45_000);
});

describe("the interrupted-delivery sweep", () => {
  it("gives up only deliveries that no job will attempt again, once their grace period has passed", async () => {
    // pg-boss without a worker: the jobs stay as this test puts them.
    const boss = new PgBoss({
      connectionString: inject("databaseUrl"),
      schema: "pgboss",
      max: 2,
      schedule: false,
      supervise: false,
    });
    await boss.start();
    try {
      await boss.createQueue(WEBHOOK_QUEUE);
      const [gone, waiting, cancelled] = await Promise.all(
        ["/sweep-gone", "/sweep-waiting", "/sweep-cancelled"].map((path) => pendingDelivery(path)),
      );
      // Handed over a minute ago; one job waits an hour for its turn, one was cancelled, one never existed.
      await db.webhookDelivery.updateMany({
        where: { id: { in: [gone!.id, waiting!.id, cancelled!.id] } },
        data: { enqueuedAt: new Date(Date.now() - 60_000) },
      });
      await boss.send(WEBHOOK_QUEUE, { deliveryId: waiting!.id }, { id: waiting!.id, startAfter: 3600 });
      await boss.send(WEBHOOK_QUEUE, { deliveryId: cancelled!.id }, { id: cancelled!.id });
      await boss.cancel(WEBHOOK_QUEUE, cancelled!.id);
      const status = async (id: string) =>
        (await db.webhookDelivery.findUniqueOrThrow({ where: { id } })).status;

      // Within the grace period nothing moves: a handler that outlived its job may still record its answer.
      await sweepInterruptedWebhookDeliveries({ finishedForMs: 120_000 });
      expect([await status(gone!.id), await status(cancelled!.id)]).toEqual(["PENDING", "PENDING"]);
      // Handed over longer ago than the grace, with no job: given up. The job cancelled just now: not yet.
      await sweepInterruptedWebhookDeliveries({ finishedForMs: 30_000 });
      expect([await status(gone!.id), await status(cancelled!.id)]).toEqual(["FAILED", "PENDING"]);
      await sweepInterruptedWebhookDeliveries({ finishedForMs: 0 });
      expect(await status(cancelled!.id)).toBe("FAILED");
      // A job still waiting for its turn is pg-boss's, however long ago it was handed over…
      expect(await status(waiting!.id)).toBe("PENDING");
      // …until it is gone.
      await boss.deleteJob(WEBHOOK_QUEUE, waiting!.id);
      await sweepInterruptedWebhookDeliveries({ finishedForMs: 0 });

      const notes = await db.webhookAttempt.findMany({
        where: { deliveryId: { in: [gone!.id, waiting!.id, cancelled!.id] } },
        select: { deliveryId: true, number: true, statusCode: true, error: true },
      });
      expect(new Map(notes.map((n) => [n.deliveryId, n]))).toEqual(
        new Map([
          [
            gone!.id,
            {
              deliveryId: gone!.id,
              number: 1,
              statusCode: null,
              error: "abandoned: its job is gone; resend to try again",
            },
          ],
          [
            waiting!.id,
            {
              deliveryId: waiting!.id,
              number: 1,
              statusCode: null,
              error: "abandoned: its job is gone; resend to try again",
            },
          ],
          [
            cancelled!.id,
            {
              deliveryId: cancelled!.id,
              number: 1,
              statusCode: null,
              error: "abandoned: its job was cancelled before the delivery settled; resend to try again",
            },
          ],
        ]),
      );
      expect(await status(waiting!.id)).toBe("FAILED");
    } finally {
      await boss.stop({ graceful: false });
    }
  });
});
