/**
 * `npm run bench:metrics -- [--rows=1000000] [--repeat=10] [--keep=1]`: what one /api/metrics collection costs
 * with a million payouts on PostgreSQL. Prints figures; never asserts a timing (docs/benchmarks.md, "Metrics
 * scrape", has the results).
 *
 *   1. Creates the database `hongbao_bench_metrics` on BENCH_DATABASE_URL's server (default
 *      postgresql://postgres@127.0.0.1:5432/postgres), migrates it and seeds --rows payouts as
 *      bench/payout-history.ts does (bench/support/payout-seed.ts), plus one attempt per sent payout (OK,
 *      REJECTED or UNKNOWN by its status, at its time: ~23 a minute over 30 days) and 200,000 webhook deliveries
 *      (1 % pending, 1 % failed), then VACUUM ANALYZE.
 *   2. Runs collectMetrics() (lib/metrics/collect.ts, uncached, the 5-minute payout counts included) --repeat
 *      times and prints each run's total and each query's median and slowest time (hongbao_metrics_query_seconds),
 *      then EXPLAIN (ANALYZE, BUFFERS) of the payout counts: by rail and status (the one full read of the table,
 *      at most every 5 minutes) and the backlog by status (every collection).
 *
 * lib/env.ts reads the environment once, when it is first imported: console modules are imported dynamically,
 * after this file has set DATABASE_URL.
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { seedStatements } from "./support/payout-seed";

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [key, value] = a.replace(/^--/, "").split("=");
    return [key ?? "", value ?? "1"];
  }),
);
const rows = Number(args.rows ?? 1_000_000);
const repeat = Number(args.repeat ?? 10);
const keep = args.keep === "1";
const reuse = args.reuse === "1";
const DATABASE = "hongbao_bench_metrics";
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseUrl = (() => {
  const url = new URL(serverUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
})();

const EXTRA_SEED = [
  `INSERT INTO "PayoutAttempt" (id, "payoutId", number, method, "startedAt", "latencyMs", outcome, code, "subCode",
     worker)
   SELECT 't' || substr(p.id, 2), p.id, 1, 'alipay.marketing.campaign.cash.trigger', p."createdAt" + interval '1 second',
     40,
     (CASE p.status WHEN 'SUCCEEDED' THEN 'OK' WHEN 'FAILED' THEN 'REJECTED' ELSE 'UNKNOWN' END)::"AttemptOutcome",
     CASE p.status WHEN 'SUCCEEDED' THEN '10000' WHEN 'FAILED' THEN '40004' ELSE '20000' END,
     CASE p.status WHEN 'FAILED' THEN 'USER_NOT_EXIST' WHEN 'SUCCEEDED' THEN NULL ELSE 'aop.unknow-error' END,
     'bench'
   FROM "Payout" p WHERE p.status IN ('SUCCEEDED', 'FAILED', 'UNKNOWN', 'NEEDS_ATTENTION')`,
  `INSERT INTO "WebhookEndpoint" (id, url, events, secret, "createdByLabel")
   VALUES ('wbench', 'http://127.0.0.1:9/hook', ARRAY['payout.succeeded'], 'whsec_bench', 'bench')`,
  `INSERT INTO "WebhookEvent" (id, type, "entityType", "entityId", data)
   VALUES ('ebench', 'payout.succeeded', 'Payout', 'x', '{}')`,
  `INSERT INTO "WebhookDelivery" (id, "eventId", "endpointId", status, "createdAt")
   SELECT 'd' || i, 'ebench', 'wbench',
     (CASE WHEN i % 100 = 0 THEN 'PENDING' WHEN i % 100 = 1 THEN 'FAILED' ELSE 'DELIVERED' END)::"WebhookDeliveryStatus",
     (now() AT TIME ZONE 'UTC') - (i || ' seconds')::interval
   FROM generate_series(1, 200000) AS i`,
];

async function prepare(): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [DATABASE])).rowCount;
  if (exists && reuse) {
    await admin.end();
    console.log(`[1] Reusing ${DATABASE}`);
    return;
  }
  await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}"`);
  await admin.query(`CREATE DATABASE "${DATABASE}"`);
  await admin.end();
  const { migrateDeploy } = await import("../lib/runtime/migrate");
  await migrateDeploy(databaseUrl, { quiet: true });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = performance.now();
  for (const sql of [...seedStatements(rows), ...EXTRA_SEED]) await client.query(sql);
  await client.query("VACUUM ANALYZE");
  const counts = await client.query<{ payouts: string; attempts: string; deliveries: string }>(
    `SELECT (SELECT count(*) FROM "Payout") AS payouts, (SELECT count(*) FROM "PayoutAttempt") AS attempts,
            (SELECT count(*) FROM "WebhookDelivery") AS deliveries`,
  );
  await client.end();
  const c = counts.rows[0];
  console.log(
    `[1] Seeded ${c?.payouts} payouts, ${c?.attempts} attempts, ${c?.deliveries} webhook deliveries in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s (incl. VACUUM ANALYZE)`,
  );
}

async function main(): Promise<void> {
  // Before any console module is imported (lib/runtime/migrate.ts imports lib/env.ts through the logger).
  process.env.DATABASE_URL = databaseUrl;
  await prepare();
  const { clearMetricsCache, collectMetrics } = await import("../lib/metrics/collect");
  const { db } = await import("../lib/db");
  console.log(`[2] collectMetrics() × ${repeat} (all queries at once, uncached)`);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  // Worst case: every run counts the payouts by rail too. Steady state: they are kept (5 minutes), as in most
  // scrapes.
  for (const mode of ["with the 5-minute payout counts", "steady state (payout counts kept)"] as const) {
    const times = new Map<string, number[]>();
    const totals: number[] = [];
    for (let i = 0; i < repeat; i++) {
      if (mode.startsWith("with")) clearMetricsCache();
      const started = performance.now();
      const families = await collectMetrics();
      totals.push(performance.now() - started);
      for (const sample of families.find((f) => f.name === "hongbao_metrics_query_seconds")?.samples ?? []) {
        const query = sample.labels?.query ?? "";
        times.set(query, [...(times.get(query) ?? []), sample.value * 1000]);
      }
    }
    console.log(
      `    ${mode}: runs ${totals.map((t) => t.toFixed(0)).join(", ")} ms; median ${median(totals).toFixed(1)} ms`,
    );
    console.log("      per query, median and slowest (ms; they run at once):");
    for (const [query, values] of [...times].sort((x, y) => median(y[1]) - median(x[1])))
      console.log(
        `        ${query.padEnd(20)} ${median(values).toFixed(1).padStart(8)} ${Math.max(...values)
          .toFixed(1)
          .padStart(8)}`,
      );
  }
  for (const [label, sql] of [
    [
      "hongbao_payouts (whole table, at most every 5 minutes)",
      `SELECT c.rail::text AS rail, s.status::text AS status, SUM(s.n)::int AS n
         FROM (SELECT "campaignId", status, COUNT(*) AS n FROM "Payout" GROUP BY 1, 2) AS s
         JOIN "Campaign" c ON c.id = s."campaignId"
        GROUP BY 1, 2`,
    ],
    [
      "hongbao_payouts_waiting (every collection)",
      `SELECT status::text AS status, COUNT(*)::int AS n FROM "Payout"
        WHERE status = ANY(ARRAY['PENDING_APPROVAL','APPROVED','SENDING','UNKNOWN','NEEDS_ATTENTION']::"PayoutStatus"[])
        GROUP BY 1`,
    ],
  ] as const) {
    const plan = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
    console.log(`[3] ${label}:`);
    console.log(plan.map((r) => `    ${r["QUERY PLAN"]}`).join("\n"));
  }
  await db.$disconnect();
  if (!keep) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}"`);
    await admin.end();
  }
}

await main();
process.exit(process.exitCode ?? 0);
