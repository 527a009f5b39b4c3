/**
 * `npm run worker`: runs the background jobs (campaign sync, budget check) in their own process, beside web
 * processes started with JOBS_IN_WEB=false. Needs DATABASE_URL and the Alipay variables, like the web server.
 */
import "../lib/load-env-files";
import { alipay } from "../lib/alipay";
import { env } from "../lib/env";
import { log } from "../lib/log";
import { QUEUES, startWorker, stopWorker } from "../lib/jobs/worker";

if (!env.DATABASE_URL) {
  console.error("DATABASE_URL is not set: a separate worker needs the shared PostgreSQL database.");
  process.exit(2);
}
alipay(); // fail now, with the variable's name, if the Alipay configuration is wrong
await startWorker("worker");
log.info("worker.started", { queues: Object.values(QUEUES) });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void stopWorker().then(() => process.exit(0));
  });
}
