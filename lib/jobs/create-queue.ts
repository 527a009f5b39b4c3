import "server-only";
import type PgBoss from "pg-boss";

const DEADLOCK = "40P01";
const ATTEMPTS = 5;

/**
 * `boss.createQueue` that survives processes starting together. pg-boss creates a queue's partition and row in
 * one function; two processes creating the same queues at the same moment (a first deployment, or a release
 * that adds a queue, with several workers) can deadlock there, and PostgreSQL aborts one of them — which would
 * crash that worker at start-up (seen in the chaos suite). The loser simply tries again: by then the queue
 * usually exists and the call is a no-op.
 */
export async function createQueueOnce(boss: PgBoss, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(name);
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== DEADLOCK || attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}
