import "server-only";
import pg from "pg";
import type PgBoss from "pg-boss";
import { env } from "@/lib/env";

/** One advisory lock key for "a process is creating pg-boss queues" (any fixed 64-bit number of our own). */
const QUEUE_CREATION_LOCK = 4_311_720_101;
const DEADLOCK = "40P01";
const ATTEMPTS = 5;

/**
 * `boss.createQueue` that survives processes starting together. pg-boss creates a queue's partition and row in
 * one function; processes creating queues at the same moment (a first deployment, or a release that adds a
 * queue, with several workers) deadlock there, and PostgreSQL aborts one of them — which crashed that worker at
 * start-up (seen in the chaos suite; retrying alone was not enough with four processes). So creation is
 * serialised across processes by a session advisory lock, held on a connection of its own (pg-boss uses its own
 * pool, and a transaction held open here would block the embedded database, which runs one at a time); a
 * process that dies releases it with its connection. The loser of any remaining deadlock tries again.
 */
export async function createQueueOnce(boss: PgBoss, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [QUEUE_CREATION_LOCK]);
    for (let attempt = 1; ; attempt++) {
      try {
        await boss.createQueue(name);
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code !== DEADLOCK || attempt >= ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
      }
    }
  } finally {
    // Ending the session releases the lock.
    await client.end();
  }
}
