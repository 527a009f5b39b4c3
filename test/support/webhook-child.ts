/**
 * Child process for the webhook crash tests: runs webhook delivery exactly as the job worker does (pg-boss on the
 * test database, the relay and the `webhook.deliver` worker configured from WEBHOOK_*), without the other jobs.
 * With HONGBAO_CRASH_AT set it dies there by SIGKILL; otherwise it stops by itself after <maxMs> (exit code 3),
 * so a crash point that is never reached fails the test instead of hanging it.
 * Usage: webhook-child.ts [maxMs] [attemptTimeoutMs]
 */
import PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { JOBS_SCHEMA } from "@/lib/jobs/boss-schema";
import { startWebhookDelivery, webhookDeliveryOptionsFromEnv } from "@/lib/webhooks/relay";

const maxMs = Number(process.argv[2] ?? 30_000);
const timeoutMs = Number(process.argv[3] ?? 1_000);

// No cron and no maintenance: expiring the jobs this process leaves behind is the surviving worker's part.
const boss = new PgBoss({
  connectionString: env.DATABASE_URL,
  schema: JOBS_SCHEMA,
  max: 2,
  schedule: false,
  supervise: false,
});
boss.on("error", (error) => console.error("[pg-boss]", error.message));
await boss.start();
const service = await startWebhookDelivery(boss, { ...webhookDeliveryOptionsFromEnv(), timeoutMs });
console.log(JSON.stringify({ started: process.pid }));
setTimeout(() => {
  void service
    .stop()
    .then(() => boss.stop({ graceful: false }))
    .finally(() => process.exit(3));
}, maxMs);
