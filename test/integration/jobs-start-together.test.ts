/**
 * Several job processes starting at the same moment (a first deployment, a release that adds a queue) create the
 * same pg-boss queues concurrently; on PostgreSQL that can deadlock inside pg-boss, and the aborted process used
 * to crash at start-up. Each "process" here is its own PgBoss instance with its own connections.
 */
import PgBoss from "pg-boss";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createQueueOnce } from "@/lib/jobs/create-queue";

const schema = `pgboss_together_${crypto.randomUUID().slice(0, 8)}`;
const bosses: PgBoss[] = [];

afterAll(async () => {
  await Promise.all(bosses.map((boss) => boss.stop({ graceful: false, wait: true })));
  await db.$executeRawUnsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
});

describe("job processes starting together", () => {
  it("all start and every queue exists once, whoever created it", async () => {
    const url = process.env.DATABASE_URL ?? "";
    for (let i = 0; i < 4; i++) bosses.push(new PgBoss({ connectionString: url, max: 3, schema }));
    // pg-boss installs its schema under its own advisory lock; start them one after another as that is not
    // what is under test.
    for (const boss of bosses) await boss.start();
    const queues = Array.from({ length: 6 }, (_, i) => `together-${i}`);
    const started = await Promise.allSettled(
      // Each process creates its queues one after another, as lib/jobs/worker.ts does; the processes race.
      bosses.map(async (boss) => {
        for (const queue of queues) await createQueueOnce(boss, queue);
      }),
    );
    const reasons = started.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
    expect(reasons).toEqual([]);
    expect(started.map((result) => result.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
    const rows = await db.$queryRawUnsafe<Array<{ name: string }>>(
      `SELECT name FROM "${schema}".queue WHERE name LIKE 'together-%' ORDER BY name`,
    );
    expect(rows.map((row) => row.name)).toEqual(queues);
  });
});
