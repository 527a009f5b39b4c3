import "server-only";
import { db } from "@/lib/db";
import { JOBS_SCHEMA } from "./boss-schema";

export type QueueLag = {
  queue: string;
  /** Jobs waiting to run: created or waiting for a retry, due or not. */
  waiting: number;
  /** Of those, the ones whose start time has come (a worker should have taken them). */
  due: number;
  /** How long the oldest due job has waited past its start time (s); null when none is due. */
  oldestDueAgeSeconds: number | null;
};

/**
 * Per pg-boss queue, what is waiting and for how long. Reads only the jobs not yet active, through pg-boss's
 * own partial index on them (job_i5: (name, start_after) WHERE state < 'active'), so its cost follows the
 * backlog, not the job history. Empty before pg-boss has created its schema (no job process has started).
 */
export async function queueLag(): Promise<QueueLag[]> {
  const [schema] = await db.$queryRaw<{ ready: boolean }[]>`
    SELECT to_regclass(${`${JOBS_SCHEMA}.queue`}) IS NOT NULL AND to_regclass(${`${JOBS_SCHEMA}.job`}) IS NOT NULL
             AS ready`;
  if (!schema?.ready) return [];
  return db.$queryRawUnsafe<QueueLag[]>(`
    SELECT q.name AS queue,
           COALESCE(j.waiting, 0)::int AS waiting,
           COALESCE(j.due, 0)::int AS due,
           j.oldest_due::float8 AS "oldestDueAgeSeconds"
      FROM ${JOBS_SCHEMA}.queue q
      LEFT JOIN LATERAL (
           SELECT COUNT(*) AS waiting,
                  COUNT(*) FILTER (WHERE start_after <= now()) AS due,
                  EXTRACT(EPOCH FROM (now() - MIN(start_after) FILTER (WHERE start_after <= now()))) AS oldest_due
             FROM ${JOBS_SCHEMA}.job
            WHERE name = q.name AND state < 'active') AS j ON true
     WHERE q.name NOT LIKE '\\_\\_pgboss%'
     ORDER BY q.name`);
}
