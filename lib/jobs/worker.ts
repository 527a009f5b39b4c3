import "server-only";
import PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { runBudgetCheck } from "./budget-check";
import { runCampaignSync } from "./campaign-sync";
import { dispatcherFromEnv, type Dispatcher } from "@/lib/payouts/dispatch";
import { runPayoutReconcile } from "./payout-reconcile";
import { runInFlightSweep } from "./sweep-in-flight";
import {
  startWebhookDelivery,
  WEBHOOK_QUEUE,
  webhookDeliveryOptionsFromEnv,
  type WebhookDeliveryService,
} from "@/lib/webhooks/relay";
import { JOBS_SCHEMA } from "./boss-schema";
import { createQueueOnce } from "./create-queue";
import { startHeartbeat, type Heartbeat, type WorkerKind } from "./heartbeat";

/**
 * Background jobs on pg-boss (PostgreSQL-backed, so N web processes and workers share one queue and a job runs
 * once). In the single-node default the worker runs inside the web server (instrumentation.ts); at scale, run
 * `npm run worker` beside the web processes and set JOBS_IN_WEB=false.
 */
export const QUEUES = {
  campaignSync: "campaign.sync",
  budgetCheck: "campaign.budget-check",
  inFlightSweep: "in-flight.sweep",
  payoutReconcile: "payout.reconcile",
  webhookDeliver: WEBHOOK_QUEUE,
} as const;

/** Each queue's schedule and handler (one handler per file in this folder). */
const SCHEDULED_JOBS: ReadonlyArray<{ queue: string; cron: string; run: () => Promise<void> }> = [
  { queue: QUEUES.campaignSync, cron: `*/${env.CAMPAIGN_SYNC_MINUTES} * * * *`, run: runCampaignSync },
  { queue: QUEUES.budgetCheck, cron: "17 * * * *", run: runBudgetCheck },
  { queue: QUEUES.inFlightSweep, cron: "* * * * *", run: runInFlightSweep },
  { queue: QUEUES.payoutReconcile, cron: "* * * * *", run: runPayoutReconcile },
];

const globalForJobs = globalThis as unknown as {
  hongbaoBoss?: Promise<PgBoss>;
  hongbaoDispatcher?: Dispatcher;
  hongbaoWebhooks?: WebhookDeliveryService;
  hongbaoHeartbeat?: Heartbeat;
};

async function start(kind: WorkerKind): Promise<PgBoss> {
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is required to run jobs");
  const boss = new PgBoss({
    connectionString: env.DATABASE_URL,
    max: 3,
    schema: JOBS_SCHEMA,
    // Scheduled jobs are checked twice a minute; sync is not latency-sensitive.
    cronMonitorIntervalSeconds: 30,
  });
  boss.on("error", (error) => console.error("[jobs]", error.message));
  await boss.start();
  for (const job of SCHEDULED_JOBS) {
    await createQueueOnce(boss, job.queue);
    await boss.schedule(job.queue, job.cron);
    await boss.work(job.queue, { batchSize: 1 }, () => job.run());
  }
  // The payout dispatcher runs beside the scheduled jobs: its queue is the outbox of APPROVED payouts
  // (see docs/decisions/016-payout-dispatch.md).
  globalForJobs.hongbaoDispatcher = dispatcherFromEnv();
  globalForJobs.hongbaoDispatcher.start();
  // Webhooks: a relay hands the deliveries the database wrote (its outbox) to the `webhook.deliver` queue,
  // whose jobs post them and retry (docs/decisions/019-webhook-events-from-the-audit-log.md). A job whose worker
  // died is failed by pg-boss's maintenance after WEBHOOK_JOB_EXPIRE_SECONDS and retried; `in-flight.sweep`
  // settles the deliveries whose last attempt it was.
  globalForJobs.hongbaoWebhooks = await startWebhookDelivery(boss, webhookDeliveryOptionsFromEnv());
  // Only once everything above runs: /api/health counts this process as a live worker from its first beat.
  globalForJobs.hongbaoHeartbeat = startHeartbeat(globalForJobs.hongbaoDispatcher.worker, kind);
  return boss;
}

/** Starts the worker once per process: `web` inside a web server (JOBS_IN_WEB), `worker` for npm run worker. */
export function startWorker(kind: WorkerKind = "web"): Promise<PgBoss> {
  globalForJobs.hongbaoBoss ??= start(kind);
  return globalForJobs.hongbaoBoss;
}

export async function stopWorker(): Promise<void> {
  const boss = await globalForJobs.hongbaoBoss;
  globalForJobs.hongbaoBoss = undefined;
  await globalForJobs.hongbaoHeartbeat?.stop();
  globalForJobs.hongbaoHeartbeat = undefined;
  await globalForJobs.hongbaoDispatcher?.stop();
  globalForJobs.hongbaoDispatcher = undefined;
  await globalForJobs.hongbaoWebhooks?.stop();
  globalForJobs.hongbaoWebhooks = undefined;
  await boss?.stop({ graceful: true, timeout: 10_000 });
}
