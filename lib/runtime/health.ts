import "server-only";
import { alipaySelfCheck, type AlipaySelfCheck } from "@/lib/alipay/self-check";
import { db } from "@/lib/db";
import { workerLiveness } from "@/lib/jobs/heartbeat";
import { queueLag } from "@/lib/jobs/queue-lag";

/** A check that takes longer than this has failed: a load balancer must get an answer, not a hung request. */
const CHECK_TIMEOUT_MS = 3000;

export type HealthCheckName = "database" | "workers" | "alipay";

export type HealthReport = {
  ok: boolean;
  /** The checks that failed, in this order: database, workers, alipay. Empty when ok. */
  failing: HealthCheckName[];
  checks: {
    database: { ok: boolean; latencyMs: number };
    /** null when the database is down (nothing to read it from). */
    workers: {
      ok: boolean;
      live: number;
      newestBeatAgeSeconds: number | null;
      staleAfterSeconds: number;
    } | null;
    alipay: AlipaySelfCheck;
    /**
     * Per queue, what waits and how long the oldest due job has waited. Reported, never failing: a backlog is
     * for alerting on /api/metrics, not a reason to take a web process out of a load balancer. null when the
     * database is down or the queue tables could not be read.
     */
    queues: Record<string, { waiting: number; due: number; oldestDueAgeSeconds: number | null }> | null;
  };
};

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function checkDatabase(timeoutMs: number): Promise<{ ok: boolean; latencyMs: number }> {
  const started = performance.now();
  let ok = true;
  try {
    await withTimeout(db.$queryRaw`SELECT 1`, timeoutMs);
  } catch {
    ok = false;
  }
  return { ok, latencyMs: Math.round(performance.now() - started) };
}

/**
 * What /api/health answers (docs/operations.md → Health). Healthy when the database answers, at least one job
 * process (`npm run worker`, or a web server with JOBS_IN_WEB) has beaten within the staleness window, and the
 * Alipay configuration passed its self-check. Nothing sensitive: no host names, process ids, keys or URLs.
 */
export async function healthReport({
  timeoutMs = CHECK_TIMEOUT_MS,
}: { timeoutMs?: number } = {}): Promise<HealthReport> {
  const alipay = alipaySelfCheck();
  const database = await checkDatabase(timeoutMs);
  if (!database.ok) {
    return {
      ok: false,
      failing: alipay.ok ? ["database"] : ["database", "alipay"],
      checks: { database, workers: null, alipay, queues: null },
    };
  }
  const [liveness, lag] = await Promise.all([
    withTimeout(workerLiveness(), timeoutMs).catch(() => null),
    withTimeout(queueLag(), timeoutMs).catch(() => null),
  ]);
  const workers = liveness
    ? {
        ok: liveness.live > 0,
        live: liveness.live,
        newestBeatAgeSeconds: liveness.newestBeatAgeSeconds,
        staleAfterSeconds: liveness.staleAfterSeconds,
      }
    : null;
  const failing: HealthCheckName[] = [];
  if (!workers?.ok) failing.push("workers");
  if (!alipay.ok) failing.push("alipay");
  return {
    ok: failing.length === 0,
    failing,
    checks: {
      database,
      workers,
      alipay,
      queues: lag
        ? Object.fromEntries(
            lag.map(({ queue, waiting, due, oldestDueAgeSeconds }) => [
              queue,
              {
                waiting,
                due,
                oldestDueAgeSeconds: oldestDueAgeSeconds === null ? null : Math.round(oldestDueAgeSeconds),
              },
            ]),
          )
        : null,
    },
  };
}
