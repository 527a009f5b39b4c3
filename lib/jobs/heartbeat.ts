import "server-only";
import os from "node:os";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

/** `worker`: `npm run worker`; `web`: the job worker inside a web server (JOBS_IN_WEB). */
export type WorkerKind = "worker" | "web";

/** A process whose newest beat is older than this many intervals is not live (two beats may be lost). */
export const STALE_AFTER_BEATS = 3;
/** Rows silent this long (a process killed without a graceful stop) are deleted by the next beat of any process. */
const PRUNE_AFTER_SECONDS = 3600;

export function staleAfterSeconds(): number {
  return STALE_AFTER_BEATS * env.WORKER_HEARTBEAT_SECONDS;
}

/**
 * Records that this process is alive, with the database's clock (so the age /api/health reports does not
 * depend on the web server's clock agreeing with the worker's), and prunes long-silent rows, in one statement.
 */
export async function beat(id: string, kind: WorkerKind, startedAt: Date): Promise<void> {
  await db.$executeRaw`
    WITH pruned AS (
      DELETE FROM "WorkerHeartbeat"
       WHERE "beatAt" < now() - ${PRUNE_AFTER_SECONDS}::int * interval '1 second' AND id <> ${id}
    )
    INSERT INTO "WorkerHeartbeat" (id, kind, host, pid, "startedAt", "beatAt")
    VALUES (${id}, ${kind}, ${os.hostname()}, ${process.pid}, ${startedAt}, now())
    ON CONFLICT (id) DO UPDATE SET "beatAt" = now()`;
}

export type Heartbeat = { stop(): Promise<void> };

/**
 * Beats now and every WORKER_HEARTBEAT_SECONDS until stopped; stopping deletes the row, so a graceful stop
 * (deploy) is seen at once rather than after the staleness window. A failed beat is logged and retried on the
 * next tick: the row simply ages.
 */
export function startHeartbeat(id: string, kind: WorkerKind): Heartbeat {
  const startedAt = new Date();
  let pending: Promise<void> = Promise.resolve();
  const tick = () => {
    pending = beat(id, kind, startedAt).catch((error: unknown) =>
      log.warn("worker.heartbeat-failed", { worker: id, error: (error as Error).message }),
    );
  };
  tick();
  const timer = setInterval(tick, env.WORKER_HEARTBEAT_SECONDS * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      await db.workerHeartbeat.deleteMany({ where: { id } }).catch(() => {});
    },
  };
}

export type WorkerLiveness = {
  /** Processes whose newest beat is within the staleness window. */
  live: number;
  /** Of those, per kind. */
  liveByKind: Record<WorkerKind, number>;
  /** Age of the newest beat of any process (s); null when none has ever beaten (or all were pruned). */
  newestBeatAgeSeconds: number | null;
  staleAfterSeconds: number;
};

/** What the heartbeat table says about the job processes: one read of a table of a few rows. */
export async function workerLiveness(): Promise<WorkerLiveness> {
  const stale = staleAfterSeconds();
  const rows = await db.$queryRaw<{ kind: string; live: number; age: number | null }[]>`
    SELECT kind,
           (COUNT(*) FILTER (WHERE "beatAt" >= now() - ${stale}::int * interval '1 second'))::int AS live,
           EXTRACT(EPOCH FROM (now() - MAX("beatAt")))::float8 AS age
      FROM "WorkerHeartbeat"
     GROUP BY kind`;
  const liveByKind: Record<WorkerKind, number> = { worker: 0, web: 0 };
  let newest: number | null = null;
  for (const row of rows) {
    if (row.kind === "worker" || row.kind === "web") liveByKind[row.kind] += row.live;
    if (row.age !== null) newest = newest === null ? row.age : Math.min(newest, row.age);
  }
  return {
    live: liveByKind.worker + liveByKind.web,
    liveByKind,
    newestBeatAgeSeconds: newest === null ? null : Math.max(0, Math.round(newest * 10) / 10),
    staleAfterSeconds: stale,
  };
}
