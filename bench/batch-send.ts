/**
 * `npm run bench:batch-send -- [--key=value …]`: an approved batch sent by the console's dispatcher against the
 * simulator, while single payouts keep arriving — does a batch hold up a packet sent from the console or the
 * API? Prints figures and the method; never asserts a timing (it does exit non-zero when the ledger check
 * fails). docs/benchmarks.md ("Batches") has the results.
 *
 *   0. The simulator in a child process (bench/dispatch-child.ts) answering every
 *      `alipay.marketing.campaign.cash.trigger` after `--latency-ms` (50); the database (embedded PGlite in a
 *      child process, or the PostgreSQL database BENCH_DATABASE_URL names, used as is: create it and
 *      `prisma migrate deploy` it first). One ACTIVE campaign created, paid and synced through the console's
 *      services, whose policy approves single packets automatically. The dispatcher: `dispatcherFromEnv()` in
 *      this process, as the worker runs it (PAYOUT_CONCURRENCY `--concurrency`, the other PAYOUT_* at their
 *      defaults, ALIPAY_MAX_QPS high enough never to bind), started once and running throughout.
 *   1. Singles alone: one `requestPayout` (source API, auto-approved, its own recipient) every
 *      `--single-every-ms` (100) for `--singles-alone-s` (10) seconds; each one's latency is from just before the
 *      call to its stored `succeededAt` (both this process's clock).
 *   2. The batch: a file of `--rows` rows (BENCH_ROWS, default 10,000) submitted (submitBatch) and approved
 *      (decideBatch by another user); from the approval's return until no row of the batch is APPROVED,
 *      SENDING or UNKNOWN (polled every 50 ms), singles keep arriving at the same pace. Batch payouts/s = rows ÷
 *      (last row's succeededAt − approval), and the 10 %→90 % steady state; the singles' latencies during
 *      the batch, compared with (1); where a single's time went (request → its claim's audit event → the
 *      call's latency → succeededAt).
 *   3. Check: every payout of the campaign SUCCEEDED, the simulator's ledger holds exactly one entry per payout
 *      under its key, and the campaign's stored figures equal those recomputed from its payouts.
 *
 * Each repetition (`--repeat`) on a fresh campaign, the dispatcher running throughout; 20 warm-up singles first.
 * The machine is shared: the CPU used meanwhile by our processes (this one, the simulator's, PGlite's) and by
 * every other process (from /proc) is printed with each phase, and the CPU per batch row of this process, the
 * simulator and the database (PGlite's process, or the PostgreSQL backends of the bench database).
 *
 * Options (defaults): --rows=$BENCH_ROWS|10000 --latency-ms=50 --single-every-ms=100 --singles-alone-s=10
 *   --concurrency=64 --pool=10 (DATABASE_POOL_SIZE) --repeat=1 --json=<file>
 *   --quiet-wait=30 (seconds to wait, before each measured phase, for other processes to go quiet)
 *
 * lib/env.ts reads the environment once, when first imported: every console module is imported dynamically,
 * after this file has set the variables.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { generateKeyPair } from "../lib/alipay-sim/keys";
import {
  benchUser,
  batchCsv,
  benchUserId,
  cpuMeter,
  fmt,
  machineLine,
  median,
  openBenchDatabase,
  parseOptions,
  processCpuMs,
  quantile,
  sleep,
  startSimulatorChild,
  waitForQuiet,
} from "./support/batch";

const TRIGGER = "alipay.marketing.campaign.cash.trigger";
const APP_ID = "2021000000000099";
const PACKET_FEN = 100;
/** Recipients: singles from here, batch rows from BATCH_FIRST (distinct, so no frequency limit is near). */
const SINGLE_FIRST = 20_000_000;
const BATCH_FIRST = 30_000_000;

const options = parseOptions(process.argv.slice(2), {
  rows: Number(process.env.BENCH_ROWS ?? 10_000),
  latencyMs: 50,
  singleEveryMs: 100,
  singlesAloneS: 10,
  concurrency: 64,
  pool: 10,
  repeat: 1,
  quietWait: 30,
  json: "",
});

type Single = { id: string; requestedAt: number; acceptMs: number };

async function main(): Promise<void> {
  console.log(`Hongbao Console — batch send benchmark — ${new Date().toISOString()}`);
  console.log(machineLine());
  console.log(`Options: ${JSON.stringify(options)}`);

  const app = generateKeyPair();
  const alipayKeys = generateKeyPair();
  const sim = await startSimulatorChild({
    appId: APP_ID,
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipayKeys.privateKey,
    faults: { rules: [{ methods: TRIGGER, latencyMs: options.latencyMs }] },
  });
  const database = await openBenchDatabase();
  console.log(
    `Simulator: child process pid ${sim.pid}, every trigger answered after ${options.latencyMs} ms`,
  );
  console.log(`Database: ${database.label}`);
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: String(options.pool),
    ALIPAY_APP_ID: APP_ID,
    ALIPAY_PRIVATE_KEY: app.privateKey,
    ALIPAY_KEY_TYPE: "PKCS8",
    ALIPAY_PUBLIC_KEY: alipayKeys.publicKey,
    ALIPAY_GATEWAY: `${sim.url}/gateway.do`,
    ALIPAY_TIMEOUT_MS: "5000",
    ALIPAY_MAX_QPS: "5000",
    PAYOUT_CONCURRENCY: String(options.concurrency),
    LOG_LEVEL: "warn",
  });
  const { migrateDeploy } = await import("../lib/runtime/migrate");
  await migrateDeploy(database.url, { quiet: true });
  const { db } = await import("../lib/db");
  const { alipay } = await import("../lib/alipay");
  const { env } = await import("../lib/env");
  const { createCampaign, syncCampaign } = await import("../lib/campaigns/service");
  const { requestPayout } = await import("../lib/payouts/request");
  const { submitBatch, decideBatch } = await import("../lib/batches/service");
  const { dispatcherFromEnv } = await import("../lib/payouts/dispatch");
  const { recomputeBudget } = await import("../lib/budget/service");
  console.log(
    `Dispatcher: dispatcherFromEnv() in this process, PAYOUT_CONCURRENCY=${env.PAYOUT_CONCURRENCY}, ` +
      `PAYOUT_POLL_MS=${env.PAYOUT_POLL_MS}, PAYOUT_LEASE_MS=${env.PAYOUT_LEASE_MS}, ALIPAY_MAX_QPS=${env.ALIPAY_MAX_QPS}, ` +
      `DATABASE_POOL_SIZE=${env.DATABASE_POOL_SIZE}`,
  );

  const simAdmin = async (route: string, body?: unknown) => {
    const response = await fetch(`${sim.url}${route}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`simulator ${route}: HTTP ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };

  const tag = crypto.randomBytes(4).toString("hex");
  const marketer = await benchUser(db, "marketer", `bench-send-${tag}`);
  const approver = await benchUser(db, "approver", `bench-send-${tag}`);

  const rows = options.rows;
  const packets = rows * 2 + 10_000; // the batch plus every single, with room to spare
  /** An ACTIVE campaign created at the simulator, paid and synced; singles approved by its policy. */
  const activeCampaign = async (label: string) => {
    const created = await createCampaign(alipay(), marketer, {
      name: `Batch send bench ${tag} ${label}`,
      prizeMessage: "Thanks",
      prizeType: "FIXED",
      rail: "CASH_CAMPAIGN",
      budgetFen: packets * PACKET_FEN,
      packetCount: packets,
      startsAt: null,
      endsAt: new Date(Math.floor((Date.now() + 30 * 86_400_000) / 1000) * 1000),
      frequencyLifetime: 1,
      frequencyPeriod: null,
      frequencyPeriodLimit: null,
      merchantLink: null,
      defaultScene: "POINTS_REDEMPTION",
      autoApproveMaxFen: 100_000,
      autoApproveDailyCapFen: packets * PACKET_FEN,
      maxPacketFen: null,
      dailyAmountPerUserFen: null,
    });
    await simAdmin(`/__sim/campaigns/${encodeURIComponent(created.crowdNo ?? "")}/pay`, {});
    const campaign = await syncCampaign(alipay(), marketer, created.id);
    if (campaign.status !== "ACTIVE" || !campaign.crowdNo) throw new Error(`campaign is ${campaign.status}`);
    return { id: campaign.id, crowdNo: campaign.crowdNo };
  };

  let nextSingle = SINGLE_FIRST;
  const single = async (campaignId: string): Promise<Single> => {
    const requestedAt = Date.now();
    const started = performance.now();
    const { payout } = await requestPayout(marketer, {
      campaignId,
      identityType: "USER_ID",
      identity: benchUserId(nextSingle++),
      scene: "POINTS_REDEMPTION",
      memo: null,
      outBizNo: null,
      source: "API",
    });
    if (payout.status !== "APPROVED") throw new Error(`single payout is ${payout.status}`);
    return { id: payout.id, requestedAt, acceptMs: performance.now() - started };
  };
  /** Singles every `singleEveryMs` (on a fixed schedule, not after each other) until `until()` says stop. */
  const singlesWhile = async (campaignId: string, until: () => boolean): Promise<Single[]> => {
    const fired: Promise<Single>[] = [];
    const start = performance.now();
    for (let k = 0; !until(); k++) {
      // Waits in short steps, so that the end is noticed even when singles are far apart.
      while (!until() && performance.now() < start + k * options.singleEveryMs)
        await sleep(Math.min(20, start + k * options.singleEveryMs - performance.now()));
      if (until()) break;
      fired.push(single(campaignId));
    }
    return Promise.all(fired);
  };
  const untilNone = async (where: "campaignId" | "batchId", id: string, timeoutMs = 30 * 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [left] = await db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT COUNT(*)::int AS n FROM "Payout" WHERE "${where}" = $1 AND status IN ('APPROVED', 'SENDING', 'UNKNOWN')`,
        id,
      );
      if ((left?.n ?? 0) === 0) return;
      if (Date.now() > deadline) throw new Error(`${left?.n} payouts still in flight`);
      await sleep(50);
    }
  };
  type Timing = { requestToDone: number; requestToClaim: number; callMs: number; claimToDone: number };
  const timings = async (singles: Single[]): Promise<Timing[]> => {
    const ids = singles.map((s) => s.id);
    const stored = await db.$queryRaw<
      { id: string; succeededAt: Date | null; claimedAt: Date | null; latencyMs: number | null }[]
    >`
      SELECT p.id, p."succeededAt",
             (SELECT MAX(a."createdAt") FROM "AuditEvent" a WHERE a."entityId" = p.id AND a.action = 'payout.claim') AS "claimedAt",
             (SELECT MAX(t."latencyMs") FROM "PayoutAttempt" t WHERE t."payoutId" = p.id) AS "latencyMs"
        FROM "Payout" p WHERE p.id = ANY(${ids}::text[])`;
    const byId = new Map(stored.map((s) => [s.id, s]));
    return singles.map((s) => {
      const row = byId.get(s.id);
      const done = row?.succeededAt?.getTime() ?? NaN;
      const claimed = row?.claimedAt?.getTime() ?? NaN;
      return {
        requestToDone: done - s.requestedAt,
        requestToClaim: claimed - s.requestedAt,
        callMs: row?.latencyMs ?? NaN,
        claimToDone: done - claimed,
      };
    });
  };
  type SinglesStats = {
    n: number;
    p50: number;
    p95: number;
    max: number;
    acceptP50: number;
    acceptP95: number;
    requestToClaimP50: number;
    requestToClaimP95: number;
    callP50: number;
    claimToDoneP50: number;
    claimToDoneP95: number;
    cpu: { oursPct: number; othersPct: number };
  };
  const summarise = (
    label: string,
    singles: Single[],
    t: Timing[],
    cpu: { oursPct: number; othersPct: number },
  ): SinglesStats => {
    const pick = (f: (x: Timing) => number) => t.map(f).filter((v) => !Number.isNaN(v));
    const done = pick((x) => x.requestToDone);
    const accept = singles.map((s) => s.acceptMs);
    const stats: SinglesStats = {
      n: singles.length,
      p50: median(done),
      p95: quantile(done, 0.95),
      max: Math.max(...done),
      acceptP50: median(accept),
      acceptP95: quantile(accept, 0.95),
      requestToClaimP50: median(pick((x) => x.requestToClaim)),
      requestToClaimP95: quantile(
        pick((x) => x.requestToClaim),
        0.95,
      ),
      callP50: median(pick((x) => x.callMs)),
      claimToDoneP50: median(pick((x) => x.claimToDone)),
      claimToDoneP95: quantile(
        pick((x) => x.claimToDone),
        0.95,
      ),
      cpu,
    };
    console.log(
      `  ${label}: ${stats.n} singles; request→SUCCEEDED p50 ${fmt(stats.p50)} ms, p95 ${fmt(stats.p95)} ms, ` +
        `max ${fmt(stats.max)} ms; of which accepting the request (requestPayout) p50 ${fmt(stats.acceptP50, 1)} ms, ` +
        `p95 ${fmt(stats.acceptP95, 1)} ms; request→claim p50 ${fmt(stats.requestToClaimP50)} ms, ` +
        `p95 ${fmt(stats.requestToClaimP95)} ms; the call p50 ${fmt(stats.callP50)} ms; ` +
        `claim→SUCCEEDED p50 ${fmt(stats.claimToDoneP50)} ms, p95 ${fmt(stats.claimToDoneP95)} ms`,
    );
    console.log(`  ${cpuText(cpu)}`);
    return stats;
  };
  const cpuText = (cpu: { oursPct: number; othersPct: number }) =>
    `CPU meanwhile: bench + simulator${database.pid ? " + PGlite" : ""} processes ${fmt(cpu.oursPct)} % of a core; ` +
    `other processes on the machine${database.kind === "postgresql" ? " (PostgreSQL's included)" : ""} ${fmt(cpu.othersPct)} %`;
  const ourPids: Array<number | "self"> = ["self", sim.pid, ...(database.pid ? [database.pid] : [])];
  /**
   * On PostgreSQL, the CPU of the server processes serving this database (its backends, from
   * pg_stat_activity, read at the start and the end of a phase; a backend that started meanwhile counts from
   * zero, one that ended meanwhile is missed). Null on PGlite, whose process is one of ours.
   */
  const backendPids = async () =>
    (
      await db.$queryRaw<{ pid: number }[]>`
        SELECT pid FROM pg_stat_activity WHERE datname = current_database()`
    ).map((r) => r.pid);
  const backendMeter = async () => {
    if (database.kind !== "postgresql") return null;
    const start = new Map((await backendPids()).map((pid) => [pid, processCpuMs(pid)]));
    return async () => {
      let ms = 0;
      for (const pid of await backendPids()) ms += processCpuMs(pid) - (start.get(pid) ?? 0);
      return ms;
    };
  };

  type Rep = {
    submitMs: number;
    approveMs: number;
    batchSeconds: number;
    batchPerSec: number;
    steadyPerSec: number;
    batchCpu: { oursPct: number; othersPct: number };
    /** CPU per batch row in the batch phase (the singles' included), ms: this process, the simulator, the database. */
    cpuPerRowMs: number[];
    alone: SinglesStats;
    during: SinglesStats;
    ok: boolean;
  };
  const reps: Rep[] = [];
  const dispatcher = dispatcherFromEnv();
  dispatcher.start();

  for (let rep = 0; rep < options.repeat; rep++) {
    console.log(`\n=== Repetition ${rep + 1} of ${options.repeat} ===`);
    const campaign = await activeCampaign(`#${rep + 1}`);
    // Warm-up: connections, JIT, the first claims.
    for (let i = 0; i < 20; i++) await single(campaign.id);
    await untilNone("campaignId", campaign.id, 60_000);

    // 1. Singles alone.
    console.log(`(1) singles alone, one every ${options.singleEveryMs} ms for ${options.singlesAloneS} s`);
    console.log(`  ${await waitForQuiet(options.quietWait)}`);
    const aloneUntil = performance.now() + options.singlesAloneS * 1000;
    let meter = cpuMeter(ourPids);
    const aloneSingles = await singlesWhile(campaign.id, () => performance.now() >= aloneUntil);
    await untilNone("campaignId", campaign.id, 60_000);
    const alone = summarise("singles alone", aloneSingles, await timings(aloneSingles), meter.stop());

    // 2. The batch, with singles arriving meanwhile.
    const file = { name: "bench.csv", bytes: batchCsv(rows, BATCH_FIRST, `s${tag}r${rep}`) };
    const quiet = await waitForQuiet(options.quietWait);
    let started = performance.now();
    const batch = await submitBatch(marketer, { campaignId: campaign.id, file, expectedValidRows: rows });
    const submitMs = performance.now() - started;
    started = performance.now();
    meter = cpuMeter(ourPids);
    const backends = await backendMeter();
    await decideBatch(approver, { batchId: batch.id, decision: "approve", reason: null });
    const approveMs = performance.now() - started;
    const approvedAt = Date.now();
    const approvedPerf = performance.now();
    console.log(
      `(2) batch of ${fmt(rows)} rows: submitted in ${fmt(submitMs)} ms, approved in ${fmt(approveMs)} ms; sending, with a single every ${options.singleEveryMs} ms`,
    );
    console.log(`  ${quiet}`);
    let batchDone = false;
    const watcher = untilNone("batchId", batch.id).then(() => {
      batchDone = true;
    });
    const duringSingles = await singlesWhile(campaign.id, () => batchDone);
    await watcher;
    const batchCpu = meter.stop();
    const backendMs = backends ? await backends() : null;
    const observedMs = performance.now() - approvedPerf;
    await untilNone("campaignId", campaign.id, 120_000);

    const done = (
      await db.$queryRaw<{ at: Date }[]>`
        SELECT "succeededAt" AS at FROM "Payout" WHERE "batchId" = ${batch.id} AND "succeededAt" IS NOT NULL
         ORDER BY "succeededAt"`
    ).map((r) => r.at.getTime() - approvedAt);
    const lastMs = done.at(-1) ?? NaN;
    const t10 = done[Math.floor(done.length * 0.1)] ?? 0;
    const t90 = done[Math.floor(done.length * 0.9)] ?? 0;
    const batchPerSec = (rows / lastMs) * 1000;
    const steadyPerSec = ((done.length * 0.8) / Math.max(1, t90 - t10)) * 1000;
    console.log(
      `  batch: ${fmt(rows)} rows paid in ${fmt(lastMs / 1000, 2)} s from the approval = ${fmt(batchPerSec)} payouts/s ` +
        `(steady state, 10→90 %: ${fmt(steadyPerSec)} payouts/s; the watcher saw it finish after ${fmt(observedMs / 1000, 2)} s)`,
    );
    const during = summarise(
      "singles during the batch",
      duringSingles,
      await timings(duringSingles),
      batchCpu,
    );
    const cpuPerRowMs = [...batchCpu.msByPid, ...(backendMs !== null ? [backendMs] : [])].map(
      (ms) => ms / rows,
    );
    console.log(
      `  CPU per batch row (the singles' share included): this process ${fmt(cpuPerRowMs[0] ?? NaN, 2)} ms, ` +
        `simulator ${fmt(cpuPerRowMs[1] ?? NaN, 2)} ms, ${database.pid ? "PGlite" : "PostgreSQL backends"} ${fmt(cpuPerRowMs[2] ?? NaN, 2)} ms`,
    );

    // 3. Check.
    const payouts = await db.payout.findMany({
      where: { campaignId: campaign.id },
      select: { outBizNo: true, status: true },
    });
    const ledger = (
      (await simAdmin("/__sim/ledger")) as { key: string; kind: string; amountFen: number }[]
    ).filter((e) => e.kind === "CAMPAIGN_TRIGGER" && e.key.startsWith(`${campaign.crowdNo}/`));
    const keys = new Set(ledger.map((e) => e.key));
    const figures = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    const recomputed = await recomputeBudget(db, campaign.id);
    const ok =
      payouts.every((p) => p.status === "SUCCEEDED") &&
      ledger.length === payouts.length &&
      keys.size === payouts.length &&
      payouts.every((p) => keys.has(`${campaign.crowdNo}/${p.outBizNo}`)) &&
      figures.reservedFen === 0 &&
      recomputed.spentFen === figures.spentFen &&
      recomputed.sentCount === figures.sentCount &&
      figures.spentFen === ledger.reduce((sum, e) => sum + e.amountFen, 0);
    console.log(
      `(3) check: ${fmt(payouts.length)} payouts (${fmt(rows)} batch rows, ${fmt(payouts.length - rows)} singles), ` +
        `ledger ${fmt(ledger.length)} entries / ${fmt(keys.size)} keys, spent ${fmt(figures.spentFen)} fen, reserved ${figures.reservedFen} → ${ok ? "OK" : "FAILED"}`,
    );
    reps.push({
      submitMs,
      approveMs,
      batchSeconds: lastMs / 1000,
      batchPerSec,
      steadyPerSec,
      batchCpu,
      cpuPerRowMs,
      alone,
      during,
      ok,
    });
  }
  await dispatcher.stop();

  const med = (f: (r: Rep) => number, digits = 0) => {
    const values = reps.map(f);
    const range =
      reps.length > 1 ? ` [${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}]` : "";
    return `${fmt(median(values), digits)}${range}`;
  };
  const ok = reps.every((r) => r.ok);
  const many = reps.length > 1 ? `medians of ${reps.length} repetitions [ranges]` : "one run";
  console.log(`\n=== Summary (${many}) — ${database.label}, ${options.latencyMs} ms gateway latency ===`);
  const line = (a: string, b: string) => console.log(`| ${a.padEnd(48)} | ${b.padEnd(56)} |`);
  line("Measure", "Value");
  line("-".repeat(48), "-".repeat(56));
  line(`submit ${fmt(rows)} rows (submitBatch)`, `${med((r) => r.submitMs)} ms`);
  line("approve (decideBatch)", `${med((r) => r.approveMs)} ms`);
  line("batch: approval → last row paid", `${med((r) => r.batchSeconds, 1)} s`);
  line(
    "batch payouts/s (whole batch)",
    med((r) => r.batchPerSec),
  );
  line(
    "batch payouts/s (steady state, 10→90 %)",
    med((r) => r.steadyPerSec),
  );
  line("CPU per batch row: this process", `${med((r) => r.cpuPerRowMs[0] ?? NaN, 2)} ms`);
  line("CPU per batch row: simulator", `${med((r) => r.cpuPerRowMs[1] ?? NaN, 2)} ms`);
  line(
    `CPU per batch row: ${database.pid ? "PGlite" : "PostgreSQL backends"}`,
    `${med((r) => r.cpuPerRowMs[2] ?? NaN, 2)} ms`,
  );
  for (const [label, pick] of [
    ["alone", (r: Rep) => r.alone],
    ["during the batch", (r: Rep) => r.during],
  ] as const) {
    line(
      `single request→SUCCEEDED p50 / p95 / max, ${label}`,
      `${med((r) => pick(r).p50)} / ${med((r) => pick(r).p95)} / ${med((r) => pick(r).max)} ms`,
    );
    line(
      `  accepting the request p50 / p95, ${label}`,
      `${med((r) => pick(r).acceptP50, 1)} / ${med((r) => pick(r).acceptP95, 1)} ms`,
    );
    line(
      `  request→claim p50 / p95, ${label}`,
      `${med((r) => pick(r).requestToClaimP50)} / ${med((r) => pick(r).requestToClaimP95)} ms`,
    );
    line(
      `  singles measured, ${label}`,
      med((r) => pick(r).n),
    );
    line(`  other processes' CPU, ${label}`, `${med((r) => pick(r).cpu.othersPct)} % of a core`);
  }
  line("ledger checks", ok ? "all OK" : "FAILED");

  if (options.json)
    fs.writeFileSync(
      options.json,
      `${JSON.stringify(
        { date: new Date().toISOString(), database: database.label, machine: machineLine(), options, reps },
        null,
        2,
      )}\n`,
    );
  await db.$disconnect();
  await database.close();
  await sim.stop();
  if (!ok) process.exitCode = 1;
}

await main();
process.exit(process.exitCode ?? 0);
