import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { JOBS_SCHEMA } from "@/lib/jobs/boss-schema";
import { log } from "@/lib/log";
import { WEBHOOK_QUEUE } from "./relay";

/**
 * The way out for a webhook delivery whose last attempt was interrupted (docs/decisions/019-webhook-events-from-
 * the-audit-log.md, rule 9). A process that dies mid-attempt leaves the delivery PENDING under an `active`
 * pg-boss job; when the job's expiry (WEBHOOK_JOB_EXPIRE_SECONDS) passes, pg-boss fails it and retries it while
 * attempts remain, so those deliveries need nothing from here. On the last attempt pg-boss just marks the job
 * failed, and nothing would ever settle the delivery: this sweep does, as FAILED with a note in place of the
 * attempt's answer, so a person sees why and can resend it.
 */

/** The note recorded when pg-boss failed the job (a worker that died or stopped during the last attempt). */
export const WEBHOOK_INTERRUPTED_NOTE =
  "interrupted: the worker stopped during delivery; resend to try again";

/** Deliveries settled per statement; a full batch is followed by the next. */
const SWEEP_BATCH = 500;
/** Batches per run, so that one run stays short; the next run (a minute later) goes on. */
const SWEEP_MAX_BATCHES = 20;

/** Where the delivery's job was found, and in what state (null: neither in the queue nor in its archive). */
type Orphan = {
  id: string;
  endpointId: string;
  number: number;
  jobState: string | null;
  archived: boolean;
  startedOn: Date | null;
};

function noteFor(orphan: Orphan): string {
  if (orphan.jobState === "failed") return WEBHOOK_INTERRUPTED_NOTE;
  if (!orphan.archived && (orphan.jobState === "completed" || orphan.jobState === "cancelled"))
    return `abandoned: its job was ${orphan.jobState} before the delivery settled; resend to try again`;
  // Archived before it ran (pg-boss's retention passed) or removed: it will never run.
  return "abandoned: its job is gone; resend to try again";
}

export type WebhookSweepResult = { swept: number };

/**
 * Marks FAILED the PENDING deliveries that no pg-boss job will ever attempt again: handed over (enqueuedAt) more
 * than `finishedForMs` ago, and whose job finished (failed, completed or cancelled) more than `finishedForMs`
 * ago, or was archived or removed. Each gets one more attempt row carrying the reason, in the transaction that
 * settles it. A job that is waiting, retrying or running is left to pg-boss.
 *
 * `finishedForMs` (default one job expiry) is a grace period: pg-boss also fails a batch whose handler outlived
 * the expiry, and that handler may still be about to record its answer, which then wins.
 */
export async function sweepInterruptedWebhookDeliveries({
  finishedForMs = env.WEBHOOK_JOB_EXPIRE_SECONDS * 1000,
  now = new Date(),
}: { finishedForMs?: number; now?: Date } = {}): Promise<WebhookSweepResult> {
  // Prisma sends a Date as UTC without a zone: right for its own `timestamp` columns, and read AT TIME ZONE 'UTC'
  // against pg-boss's `timestamptz` ones, whatever the session's time zone.
  const cutoff = new Date(now.getTime() - finishedForMs);
  const jobTable = Prisma.raw(`"${JOBS_SCHEMA}".job`);
  const archiveTable = Prisma.raw(`"${JOBS_SCHEMA}".archive`);
  let swept = 0;
  for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
    const settled = await db.$transaction(async (tx) => {
      // One statement: the deliveries, their jobs (the job id is the delivery id; pg-boss's primary key is
      // (name, id)) and the guarded move. A delivery the job's handler settles meanwhile fails the
      // `status = 'PENDING'` recheck of the UPDATE and is left as that handler recorded it.
      const rows = await tx.$queryRaw<Orphan[]>`
        WITH orphaned AS (
          SELECT d.id,
                 COALESCE(j.state::text, a.state::text) AS "jobState",
                 (j.id IS NULL AND a.id IS NOT NULL) AS archived,
                 COALESCE(j.started_on, a.started_on) AS "startedOn"
            FROM "WebhookDelivery" d
            LEFT JOIN ${jobTable} j ON j.name = ${WEBHOOK_QUEUE} AND j.id = d.id::uuid
            LEFT JOIN ${archiveTable} a ON a.name = ${WEBHOOK_QUEUE} AND a.id = d.id::uuid
           WHERE d.status = 'PENDING'
             AND d."enqueuedAt" < ${cutoff}
             AND CASE
                   WHEN j.id IS NOT NULL
                     THEN j.state::text IN ('completed', 'cancelled', 'failed')
                      AND j.completed_on < (${cutoff}::timestamp AT TIME ZONE 'UTC')
                   -- Archived (whatever its state, it never runs again) or gone.
                   ELSE TRUE
                 END
           ORDER BY d."enqueuedAt"
           LIMIT ${SWEEP_BATCH}
        )
        UPDATE "WebhookDelivery" d
           SET status = 'FAILED', "attemptCount" = d."attemptCount" + 1
          FROM orphaned o
         WHERE d.id = o.id AND d.status = 'PENDING'
        RETURNING d.id, d."endpointId", d."attemptCount" AS number, o."jobState", o.archived, o."startedOn"`;
      if (rows.length > 0) {
        await tx.webhookAttempt.createMany({
          data: rows.map((row) => ({
            deliveryId: row.id,
            number: row.number,
            // The interrupted attempt began when its job last started; how long it ran is not known.
            startedAt: row.startedOn ?? now,
            latencyMs: 0,
            statusCode: null,
            error: noteFor(row),
            responseExcerpt: null,
          })),
        });
      }
      return rows;
    });
    for (const row of settled) {
      log.warn("webhook.interrupted", {
        deliveryId: row.id,
        endpointId: row.endpointId,
        attempt: row.number,
        jobState: row.jobState ?? "gone",
        error: noteFor(row),
      });
    }
    swept += settled.length;
    if (settled.length < SWEEP_BATCH) break;
  }
  return { swept };
}
