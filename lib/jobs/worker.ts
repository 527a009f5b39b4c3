import "server-only";
import PgBoss from "pg-boss";
import { alipay } from "@/lib/alipay";
import { checkBudgets } from "@/lib/budget/service";
import { syncDueCampaigns } from "@/lib/campaigns/sync";
import { env } from "@/lib/env";

/**
 * Background jobs on pg-boss (PostgreSQL-backed, so N web processes and workers share one queue and a job runs
 * once). In the single-node default the worker runs inside the web server (instrumentation.ts); at scale, run
 * `npm run worker` beside the web processes and set JOBS_IN_WEB=false.
 */
export const QUEUES = {
  campaignSync: "campaign.sync",
  budgetCheck: "campaign.budget-check",
} as const;

const globalForJobs = globalThis as unknown as { hongbaoBoss?: Promise<PgBoss> };

async function start(): Promise<PgBoss> {
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is required to run jobs");
  const boss = new PgBoss({
    connectionString: env.DATABASE_URL,
    max: 3,
    schema: "pgboss",
    // Scheduled jobs are checked twice a minute; sync is not latency-sensitive.
    cronMonitorIntervalSeconds: 30,
  });
  boss.on("error", (error) => console.error("[jobs]", error.message));
  await boss.start();
  await boss.createQueue(QUEUES.campaignSync);
  await boss.createQueue(QUEUES.budgetCheck);
  await boss.schedule(QUEUES.campaignSync, `*/${env.CAMPAIGN_SYNC_MINUTES} * * * *`);
  await boss.schedule(QUEUES.budgetCheck, "17 * * * *");
  await boss.work(QUEUES.campaignSync, { batchSize: 1 }, async () => {
    const result = await syncDueCampaigns(alipay());
    if (result.failed > 0)
      console.warn(`[jobs] campaign sync: ${result.synced} synced, ${result.failed} failed`);
  });
  await boss.work(QUEUES.budgetCheck, { batchSize: 1 }, async () => {
    const mismatches = await checkBudgets();
    if (mismatches.length > 0)
      console.warn(`[jobs] budget check: ${mismatches.length} campaigns disagree with their payouts`);
  });
  return boss;
}

/** Starts the worker once per process. */
export function startWorker(): Promise<PgBoss> {
  globalForJobs.hongbaoBoss ??= start();
  return globalForJobs.hongbaoBoss;
}

export async function stopWorker(): Promise<void> {
  const boss = await globalForJobs.hongbaoBoss;
  globalForJobs.hongbaoBoss = undefined;
  await boss?.stop({ graceful: true, timeout: 10_000 });
}
