/**
 * `npm run bench:batch -- [--key=value …]`: a batch file at the size limit (50,000 rows) through the console's
 * services, in this process, against a real database. Prints figures and the method; never asserts a timing
 * (it does exit non-zero when a check fails). docs/benchmarks.md ("Batches") has the results.
 *
 * Per repetition, on a fresh ACTIVE campaign (inserted directly: the Alipay side plays no part here) whose budget
 * covers the file exactly and whose per-person limit is 1:
 *   1. generate the file in memory (UTF-8, the Chinese template's columns, distinct recipients and references);
 *   2. previewBatch: decode, parse and validate the file, and the two reads of what the database knows
 *      (references used, recipients' earlier payouts), as the preview page does;
 *   3. submitBatch: the same checks again, then ONE transaction — the batch row, the campaign-wide frequency
 *      lock, one guarded reservation, the payouts in chunks of 5,000, the set-based frequency check, one audit
 *      event per payout — as the submit button does;
 *   4. decideBatch (approve: one statement moves every row and writes its audit event), then cancelBatch (one
 *      statement cancels every row and the reservation is released), so each repetition leaves nothing held.
 * Each phase: wall time (performance.now() around the awaited call); this process's peak RSS (VmHWM from
 * /proc/self/status after resetting it through /proc/self/clear_refs at the start of the phase, and RSS sampled
 * every 10 ms, which misses synchronous stretches such as the parse); the PGlite child's peak RSS the same way;
 * the CPU every other process on the machine used meanwhile (it is shared; /proc/stat minus this process and
 * PGlite's; on PostgreSQL its backends count as others); and for submit, time by statement class (pg's Client#query wrapped in this process). Checks after each
 * repetition: the batch's payouts, distinct references, amounts, audit events and the campaign's figures.
 *
 * Database: embedded PGlite in memory in a child process (bench/dispatch-child.ts, as the launcher runs it), or
 * with BENCH_DATABASE_URL the PostgreSQL database it names, used as is (create it and `prisma migrate deploy`
 * it first; the rows written stay).
 *
 * Options (defaults): --rows=50000 --repeat=3 --pool=10 (DATABASE_POOL_SIZE) --json=<file>
 *   --quiet-wait=30 (seconds to wait, before each repetition, for other processes to go quiet)
 *
 * lib/env.ts reads the environment once, when first imported: every console module is imported dynamically,
 * after this file has set the variables.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import {
  benchUser,
  batchCsv,
  cpuMeter,
  fmt,
  machineLine,
  median,
  memoryOf,
  openBenchDatabase,
  parseOptions,
  resetPeak,
  rssSampler,
  waitForQuiet,
} from "./support/batch";

const PACKET_FEN = 100;

const options = parseOptions(process.argv.slice(2), {
  rows: 50_000,
  repeat: 3,
  pool: 10,
  quietWait: 30,
  json: "",
});

// ---------------------------------------------------------------------------------------------------------------
// Statement profile: time by statement class, for the submit phase.

const statements = new Map<string, { count: number; ms: number }>();
let profiling = false;

function classify(sql: string): string {
  const s = sql.replace(/\s+/g, " ").trim();
  if (/^(BEGIN|COMMIT|ROLLBACK)/i.test(s)) return s.split(" ")[0]!.toUpperCase();
  if (s.includes("pg_advisory_xact_lock")) return "campaign frequency lock (exclusive)";
  if (s.startsWith('INSERT INTO "Payout"')) return "INSERT payouts (chunks of 5,000, jsonb_to_recordset)";
  if (s.includes("CROSS JOIN LATERAL")) return "set-based frequency check";
  if (s.startsWith('INSERT INTO "AuditEvent"') && s.includes("'payout.request'"))
    return "INSERT one audit event per payout";
  if (s.includes('"reservedFen"') && s.startsWith("WITH")) return "guarded reservation (UPDATE Campaign)";
  if (s.includes('"outBizNo" = ANY')) return "read: references already used";
  if (s.includes("identity = ANY")) return "read: recipients' earlier payouts";
  const verb = (/^(\w+)/.exec(s)?.[1] ?? "?").toUpperCase();
  const table = /"(?!public")(\w+)"/.exec(s)?.[1] ?? "?";
  return `${verb} ${table}`;
}

function installProfiler(): void {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: object, ...args: unknown[]) {
    const config = args[0];
    const text = typeof config === "string" ? config : (config as { text?: unknown } | null)?.text;
    if (!profiling || typeof text !== "string") return query.apply(this, args);
    const started = performance.now();
    const record = () => {
      const category = classify(text);
      const stat = statements.get(category) ?? { count: 0, ms: 0 };
      stat.count += 1;
      stat.ms += performance.now() - started;
      statements.set(category, stat);
    };
    // pg-pool's Pool#query (Prisma's statements outside a transaction) calls Client#query with a callback.
    const callbackAt = args.findIndex((a, i) => i > 0 && typeof a === "function");
    if (callbackAt !== -1) {
      const callback = args[callbackAt] as (...cbArgs: unknown[]) => unknown;
      args[callbackAt] = (...cbArgs: unknown[]) => {
        record();
        return callback(...cbArgs);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args) as Promise<unknown> | undefined;
    if (result && typeof result.then === "function") result.then(record, record);
    return result;
  };
}

// ---------------------------------------------------------------------------------------------------------------

type Phase = {
  ms: number;
  peakRssMiB: number;
  sampledPeakMiB: number;
  dbPeakMiB: number | null;
  /** What every other process on the machine used meanwhile, in % of one core (the machine is shared). */
  othersPct: number;
};
type Rep = {
  generate: Phase;
  preview: Phase;
  submit: Phase;
  approve: Phase;
  cancel: Phase;
  fileBytes: number;
  statements: Record<string, { count: number; ms: number }>;
  checkOk: boolean;
};

async function measure<T>(dbPid: number | null, work: () => Promise<T> | T): Promise<{ result: T } & Phase> {
  const canReset = resetPeak("self");
  if (dbPid) resetPeak(dbPid);
  const before = memoryOf("self");
  const sampler = rssSampler(10);
  const meter = cpuMeter(dbPid ? ["self", dbPid] : ["self"]);
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  const { othersPct } = meter.stop();
  const sampledPeakMiB = sampler.stop();
  const after = memoryOf("self");
  const peakRssMiB = canReset && after ? after.peakMiB : Math.max(sampledPeakMiB, before?.rssMiB ?? 0);
  const dbPeakMiB = dbPid ? (memoryOf(dbPid)?.peakMiB ?? null) : null;
  return { result, ms, peakRssMiB, sampledPeakMiB, dbPeakMiB, othersPct };
}

async function main(): Promise<void> {
  console.log(`Hongbao Console — batch submission benchmark — ${new Date().toISOString()}`);
  console.log(machineLine());
  console.log(`Options: ${JSON.stringify(options)}`);
  const database = await openBenchDatabase();
  console.log(`Database: ${database.label}`);
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: String(options.pool),
    LOG_LEVEL: "warn",
  });
  installProfiler();
  const { migrateDeploy } = await import("../lib/runtime/migrate");
  await migrateDeploy(database.url, { quiet: true });
  const { db } = await import("../lib/db");
  const { previewBatch, submitBatch, decideBatch, cancelBatch } = await import("../lib/batches/service");
  const { recomputeBudget } = await import("../lib/budget/service");

  const tag = crypto.randomBytes(4).toString("hex");
  const marketer = await benchUser(db, "marketer", `bench-batch-${tag}`);
  const approver = await benchUser(db, "approver", `bench-batch-${tag}`);

  const rows = options.rows;
  const reps: Rep[] = [];
  let allOk = true;
  for (let rep = 0; rep < options.repeat; rep++) {
    const campaign = await db.campaign.create({
      data: {
        name: `Batch bench ${tag} #${rep + 1}`,
        prizeMessage: "Thanks",
        prizeType: "FIXED",
        rail: "CASH_CAMPAIGN",
        status: "ACTIVE",
        budgetFen: rows * PACKET_FEN,
        packetCount: rows,
        endsAt: new Date(Date.now() + 30 * 86_400_000),
        frequencyLifetime: 1,
        defaultScene: "POINTS_REDEMPTION",
        autoApproveMaxFen: 0,
        autoApproveDailyCapFen: 0,
        crowdNo: `crowd_bench_${tag}_${rep}`,
        alipayStatus: "READY",
        createdById: marketer.userId,
        createdByLabel: "bench",
      },
    });
    const quiet = await waitForQuiet(options.quietWait);
    const generate = await measure(null, () => batchCsv(rows, 0, `b${tag}r${rep}`));
    const file = { name: "bench.csv", bytes: generate.result };
    const preview = await measure(database.pid, () =>
      previewBatch(marketer, { campaignId: campaign.id, file }),
    );
    if (preview.result.summary.validRows !== rows)
      throw new Error(`preview: ${preview.result.summary.validRows} valid rows of ${rows}`);
    statements.clear();
    profiling = true;
    const submit = await measure(database.pid, () =>
      submitBatch(marketer, { campaignId: campaign.id, file, expectedValidRows: rows }),
    );
    profiling = false;
    const profile = Object.fromEntries(statements);
    const batch = submit.result;

    const [check] = await db.$queryRaw<{ n: number; refs: number; held: number; audited: number }[]>`
      SELECT COUNT(*)::int AS n, COUNT(DISTINCT p."outBizNo")::int AS refs, COALESCE(SUM(p."amountFen"), 0)::int AS held,
             (SELECT COUNT(*)::int FROM "AuditEvent" a JOIN "Payout" q ON q.id = a."entityId"
               WHERE q."batchId" = ${batch.id} AND a.action = 'payout.request') AS audited
        FROM "Payout" p WHERE p."batchId" = ${batch.id}`;
    const held = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    const submitOk =
      check?.n === rows &&
      check.refs === rows &&
      check.held === rows * PACKET_FEN &&
      check.audited === rows &&
      held.reservedFen === rows * PACKET_FEN;

    const approve = await measure(database.pid, () =>
      decideBatch(approver, { batchId: batch.id, decision: "approve", reason: null }),
    );
    const cancel = await measure(database.pid, () => cancelBatch(marketer, batch.id));
    const after = await recomputeBudget(db, campaign.id);
    const stored = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    const checkOk =
      submitOk && cancel.result.canceled === rows && after.reservedFen === 0 && stored.reservedFen === 0;
    if (!checkOk) allOk = false;

    const strip = <T>({ result: _, ...phase }: { result: T } & Phase): Phase => phase;
    reps.push({
      generate: strip(generate),
      preview: strip(preview),
      submit: strip(submit),
      approve: strip(approve),
      cancel: strip(cancel),
      fileBytes: file.bytes.byteLength,
      statements: profile,
      checkOk,
    });
    const mb = (p: Phase) =>
      `peak RSS ${fmt(p.peakRssMiB)} MiB${p.dbPeakMiB !== null ? `, PGlite ${fmt(p.dbPeakMiB)} MiB` : ""}; ` +
      `other processes ${fmt(p.othersPct)} % of a core`;
    console.log(
      `\n#${rep + 1} (${quiet}; load average at the end ${os.loadavg()[0]?.toFixed(2)}): file ${fmt(file.bytes.byteLength / 2 ** 20, 1)} MiB generated in ${fmt(generate.ms)} ms; ` +
        `preview ${fmt(preview.ms)} ms (${mb(preview)}); submit ${fmt(submit.ms)} ms (${mb(submit)}); ` +
        `approve ${fmt(approve.ms)} ms (${mb(approve)}); cancel ${fmt(cancel.ms)} ms (${mb(cancel)}); checks ${checkOk ? "OK" : "FAILED"} ` +
        `(${check?.n} payouts, ${check?.refs} references, ${check?.audited} request events, held ${held.reservedFen} fen; ` +
        `after cancel ${cancel.result.canceled} cancelled, reserved ${stored.reservedFen})`,
    );
    console.log("  submit by statement class (ms, count):");
    for (const [name, stat] of [...statements.entries()].sort((a, b) => b[1].ms - a[1].ms))
      console.log(`    ${fmt(stat.ms).padStart(7)} ms  ×${String(stat.count).padEnd(4)} ${name}`);
  }

  const med = (pick: (r: Rep) => number) => median(reps.map(pick));
  const range = (pick: (r: Rep) => number) => {
    const values = reps.map(pick);
    return reps.length > 1 ? ` [${fmt(Math.min(...values))}–${fmt(Math.max(...values))}]` : "";
  };
  const row = (
    label: string,
    phase: keyof Pick<Rep, "generate" | "preview" | "submit" | "approve" | "cancel">,
  ) =>
    `| ${label.padEnd(50)} | ${`${fmt(med((r) => r[phase].ms))} ms${range((r) => r[phase].ms)}`.padEnd(24)} | ` +
    `${`${fmt(med((r) => r[phase].peakRssMiB))} MiB`.padEnd(16)} | ${(database.pid && phase !== "generate"
      ? `${fmt(med((r) => r[phase].dbPeakMiB ?? NaN))} MiB`
      : "-"
    ).padEnd(17)} |`;
  console.log(
    `\n=== Summary: ${fmt(rows)} rows, ${reps.length} repetitions (medians, ranges) — ${database.label} ===`,
  );
  console.log(`| ${"Phase".padEnd(50)} | Wall time                | Peak RSS (bench) | Peak RSS (PGlite) |`);
  console.log(`| ${"-".repeat(50)} | ------------------------ | ---------------- | ----------------- |`);
  console.log(row("generate the CSV in memory", "generate"));
  console.log(row("previewBatch (decode, parse, validate, 2 reads)", "preview"));
  console.log(row("submitBatch (checks again + one transaction)", "submit"));
  console.log(row("decideBatch approve (one statement)", "approve"));
  console.log(row("cancelBatch (one statement + release)", "cancel"));
  console.log(
    `Rows/s: preview ${fmt(rows / (med((r) => r.preview.ms) / 1000))}, submit ${fmt(rows / (med((r) => r.submit.ms) / 1000))}. ` +
      `Baseline RSS of the bench process after the run: ${fmt(memoryOf("self")?.rssMiB ?? NaN)} MiB; ` +
      `process.resourceUsage().maxRSS (lifetime) ${fmt(process.resourceUsage().maxRSS / 1024)} MiB. Checks: ${allOk ? "all OK" : "FAILED"}`,
  );
  if (options.json)
    fs.writeFileSync(
      options.json,
      `${JSON.stringify({ date: new Date().toISOString(), database: database.label, machine: machineLine(), options, reps }, null, 2)}\n`,
    );
  await db.$disconnect();
  await database.close();
  if (!allOk) process.exitCode = 1;
}

await main();
process.exit(process.exitCode ?? 0);
