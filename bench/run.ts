/**
 * `npm run bench`: measures, prints figures and the method. Never asserts timings (docs/benchmarks.md has the
 * results and how to read them). Runs on the embedded PGlite database, or on PostgreSQL when
 * BENCH_DATABASE_URL is set (a fresh database is created on that server and dropped afterwards).
 *
 *   1. Budget reservations: the guarded single-statement UPDATE under concurrency (throughput, latency, and the
 *      invariant: exactly as many succeed as fit).
 *   2. Campaign list query (the /campaigns page's data read) over 5,000 campaigns: first page, search, filter.
 *   3. Alipay client round trips to the local simulator over HTTP (real SDK, RSA2 both ways), and the rate
 *      limiter holding ALIPAY_MAX_QPS.
 *
 * `npm run bench -- dispatch [options]` runs the bulk payout-dispatch benchmark instead (bench/payout-dispatch.ts).
 *
 * lib/env.ts reads the environment once, when it is first imported: everything that imports it (lib/db, lib/log,
 * lib/runtime/migrate) is imported dynamically, after DATABASE_URL is set.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { startEmbeddedDatabase } from "../lib/runtime/embedded-database";

type Stats = { n: number; totalMs: number; p50: number; p95: number; max: number };

function stats(samples: number[], totalMs: number): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { n: samples.length, totalMs, p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? 0 };
}

function line(label: string, s: Stats, unit = "ops/s"): string {
  const rate = (s.n / s.totalMs) * 1000;
  return `  ${label.padEnd(52)} ${rate.toFixed(0).padStart(7)} ${unit}   p50 ${s.p50.toFixed(2)} ms   p95 ${s.p95.toFixed(2)} ms   max ${s.max.toFixed(1)} ms   (n=${s.n})`;
}

async function timed<T>(fn: () => Promise<T>, samples: number[]): Promise<T> {
  const start = performance.now();
  const result = await fn();
  samples.push(performance.now() - start);
  return result;
}

async function runWithConcurrency(total: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

async function benchDatabase(label: string, databaseUrl: string) {
  process.env.DATABASE_URL = databaseUrl;
  process.env.DATABASE_POOL_SIZE = "10";
  const { db } = await import("../lib/db");
  const { reserveBudget } = await import("../lib/budget/service");
  const { listCampaigns } = await import("../lib/campaigns/queries");
  const { campaignListQuerySchema } = await import("../lib/validation/campaigns");

  console.log(`\n[${label}]`);
  const user = await db.user.create({
    data: { email: `bench-${Date.now()}@bench.example`, name: "Bench", role: "marketer", passwordHash: "x" },
  });
  const campaignData = (i: number, budgetFen: number) => ({
    name: `Bench campaign ${i}`,
    prizeMessage: "Bench",
    prizeType: "FIXED" as const,
    rail: "CASH_CAMPAIGN" as const,
    status: "ACTIVE" as const,
    budgetFen,
    packetCount: 100,
    endsAt: new Date(Date.now() + 86_400_000),
    defaultScene: "POINTS_REDEMPTION" as const,
    createdById: user.id,
    crowdNo: `bench-crowd-${Date.now()}-${i}`,
  });

  // 1. Reservations
  for (const concurrency of [1, 10]) {
    const campaign = await db.campaign.create({ data: campaignData(-concurrency, 1_000_000_000) });
    const samples: number[] = [];
    const started = performance.now();
    await runWithConcurrency(2000, concurrency, async () => {
      await timed(() => reserveBudget(db, campaign.id, 100), samples);
    });
    console.log(
      line(`reserveBudget, ${concurrency} concurrent`, stats(samples, performance.now() - started)),
    );
  }
  const scarce = await db.campaign.create({ data: campaignData(-99, 10_000) });
  const attempts = await Promise.all(Array.from({ length: 200 }, () => reserveBudget(db, scarce.id, 100)));
  const after = await db.campaign.findUniqueOrThrow({ where: { id: scarce.id } });
  console.log(
    `  200 concurrent reservations of ¥1.00 on ¥100.00: ${attempts.filter(Boolean).length} succeeded, reserved ${after.reservedFen} fen, available ${after.budgetFen - after.reservedFen} fen`,
  );

  // 2. The campaign list over 5,000 campaigns
  const rows = Array.from({ length: 5000 }, (_, i) => campaignData(i, 10_000 + i));
  for (let i = 0; i < rows.length; i += 500) await db.campaign.createMany({ data: rows.slice(i, i + 500) });
  const actor = { type: "SYSTEM" as const, label: "bench", ip: null, userAgent: null };
  for (const [name, params] of [
    ["list: first page (20), newest first", {}],
    ["list: search by name", { q: "campaign 4321" }],
    ["list: filter status + sort by budget", { status: "ACTIVE", sort: "budgetFen.desc" }],
    ["list: page 100", { page: "100" }],
  ] as const) {
    const query = campaignListQuerySchema().parse(params);
    const samples: number[] = [];
    await listCampaigns(actor, query, "Asia/Shanghai"); // warm-up
    const started = performance.now();
    for (let i = 0; i < 50; i++) await timed(() => listCampaigns(actor, query, "Asia/Shanghai"), samples);
    console.log(line(name, stats(samples, performance.now() - started), "req/s"));
  }
  await db.$disconnect();
}

async function benchAlipay() {
  const { generateKeyPair, startSimulator } = await import("../lib/alipay-sim");
  const { AlipayClient } = await import("../lib/alipay/client");
  const { createCashCampaign, getCashCampaignDetail } = await import("../lib/alipay/campaign");
  console.log("\n[Alipay client → local simulator over HTTP, RSA2 both ways]");
  const app = generateKeyPair();
  const alipayKeys = generateKeyPair();
  const sim = await startSimulator({
    port: 0,
    apps: [{ appId: "2021000000000001", publicKey: app.publicKey }],
    alipayPrivateKey: alipayKeys.privateKey,
  });
  const client = (maxQps: number) =>
    new AlipayClient({
      appId: "2021000000000001",
      privateKey: app.privateKey,
      keyType: "PKCS8",
      alipayPublicKey: alipayKeys.publicKey,
      gateway: sim.gatewayUrl,
      timeoutMs: 5000,
      maxQps,
    });
  const fast = client(10_000);
  const created = await createCashCampaign(fast, {
    couponName: "bench",
    prizeMsg: "bench",
    prizeType: "fixed",
    totalFen: 10_000,
    count: 10,
    start: "now",
    end: new Date(Date.now() + 86_400_000),
  });
  if (created.kind !== "ok") throw new Error("create failed");
  for (const concurrency of [1, 10]) {
    const samples: number[] = [];
    const started = performance.now();
    await runWithConcurrency(300, concurrency, async () => {
      await timed(() => getCashCampaignDetail(fast, created.data.crowdNo), samples);
    });
    console.log(
      line(
        `detail.query round trip, ${concurrency} concurrent`,
        stats(samples, performance.now() - started),
        "calls/s",
      ),
    );
  }
  const limited = client(10);
  const samples: number[] = [];
  const started = performance.now();
  await runWithConcurrency(40, 10, async () => {
    await timed(() => getCashCampaignDetail(limited, created.data.crowdNo), samples);
  });
  console.log(
    line(
      "with ALIPAY_MAX_QPS=10, 10 concurrent callers",
      stats(samples, performance.now() - started),
      "calls/s",
    ),
  );
  await sim.stop();
}

/** Sets DATABASE_URL before anything reads lib/env.ts, then applies the migrations. */
async function migrate(databaseUrl: string) {
  process.env.DATABASE_URL = databaseUrl;
  const { migrateDeploy } = await import("../lib/runtime/migrate");
  await migrateDeploy(databaseUrl, { quiet: true });
}

async function main() {
  if (process.argv[2] === "dispatch") {
    const { runDispatchBench } = await import("./payout-dispatch");
    await runDispatchBench(process.argv.slice(3));
    return;
  }
  console.log(`Hongbao Console benchmarks — ${new Date().toISOString()}`);
  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, ${os.platform()}`,
  );
  await benchAlipay();

  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedDatabase("memory://", 0);
    await migrate(embedded.url);
    await benchDatabase("embedded PGlite 0.5.14 over pglite-socket (in memory)", embedded.url);
    await embedded.stop();
    return;
  }
  // PostgreSQL: a fresh database on that server, dropped afterwards.
  const name = `hongbao_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    await migrate(url.toString());
    await benchDatabase(`PostgreSQL at ${url.host}`, url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

await main();
process.exit(process.exitCode ?? 0);
