/**
 * `npm run bench -- dispatch [--key=value …]` or `npm run bench:dispatch -- [--key=value …]`: bulk payout dispatch
 * against the local simulator, which answers every `alipay.marketing.campaign.cash.trigger` after a fixed latency
 * (fault rule `latencyMs`). Measures, prints figures and the method; never asserts a timing (it does exit non-zero
 * when a ledger check fails). docs/benchmarks.md ("Payout dispatch") has the results and how to read them.
 *
 * In ONE run, per repetition:
 *   (a)  the seed's loop: await each trigger in turn with the real AlipayClient, on a subset (`--seed-payouts`);
 *   (b)  a bare concurrent loop: a plain `new AlipaySdk(…)`, no console code, `--concurrency` calls in flight, N
 *        triggers with distinct out_biz_no on a second Alipay campaign;
 *   then for each rail of `--rails` (CASH_CAMPAIGN, FUND_COUPON, TRANSFER; default all three), on a campaign of
 *   that rail able to pay exactly N packets (a cash campaign paid at the simulator's cashier; a FUND_COUPON
 *   campaign funded by agreement pay; a TRANSFER campaign paying from the simulator's merchant balance):
 *   (c0) the console's request path: N payouts through `requestPayout` (auto-approved), `--create-concurrency`
 *        callers — reported apart, as requests/s, and not part of the dispatch figure;
 *   (c)  the console: `dispatcherFromEnv()` (PAYOUT_CONCURRENCY = `--concurrency`, ALIPAY_MAX_QPS = `--max-qps`),
 *        timed from `start()` until no payout of the campaign is APPROVED/SENDING/UNKNOWN;
 *   then the ledger check (GET /__sim/ledger against the payouts and the campaign's figures) and a profile of
 *   where the console's time goes (statements per payout, transaction times, pool waits, CPU per process, the
 *   per-payout timeline from the stored attempts and audit events, and on PostgreSQL what the backends wait on).
 * The simulator answers each rail's payment call (trigger, disburse, uni.transfer) after `--latency-ms`; queries
 * and funding calls are not delayed. A rail's (c0) and (c) run back to back, because the dispatcher claims every
 * due payout whatever its campaign: another rail's payouts must not be waiting meanwhile.
 *
 * TRANSFER is held to ALIPAY_TRANSFER_MAX_QPS (`--transfer-qps`, default 10: Alipay's documented B2C red-packet
 * rate), so at the default its figure is that rate, not the pipeline's. lib/env.ts reads the variable once, at
 * import, so the same process cannot run TRANSFER twice with two limits: when `--lifted-transfer-qps` is not 0
 * (default 5000), the bench runs itself again afterwards in a CHILD PROCESS with `--rails=TRANSFER
 * --phases=rails --transfer-qps=<lifted>` (its own simulator and database, the same N, concurrency and latency)
 * and adds that row to the per-rail table, so the pipeline's own ceiling on that rail is visible too.
 *
 * Processes: this one runs the console code and the bare loop (one after the other, never together); the
 * simulator runs in a child process (bench/dispatch-child.ts), and so does the embedded database (as the
 * launcher runs it apart from the web server) unless `--pglite=in-process`. With BENCH_DATABASE_URL set, a fresh
 * database is created on that PostgreSQL server and dropped afterwards.
 *
 * Options (defaults): --payouts=10000 --seed-payouts=300 --concurrency=64 --latency-ms=50 --repeat=1
 *   --rails=CASH_CAMPAIGN,FUND_COUPON,TRANSFER --transfer-qps=10 --lifted-transfer-qps=5000 (0: no child run)
 *   --phases=all|rails (rails: only (c0) and (c) per rail, no seed or bare loop)
 *   --create-concurrency=10 --pool=10 (DATABASE_POOL_SIZE) --max-qps=5000 --log-level=warn
 *   --quiet-wait=60 (seconds to wait, before each measured phase, for other processes to go quiet)
 *   --pglite=child|in-process --json=<file> (write the figures as JSON)
 *   --cpu-profile=<dir> (V8 CPU profiles of this process during (b) and (c), saved there and summarised)
 *   --vacuum=1 runs VACUUM ANALYZE on the database before each dispatch phase (what autovacuum would have done;
 *   the PostgreSQL server on the benchmark machine runs with autovacuum=off)
 *   --processes=N (default 0: the dispatcher runs in THIS process) runs phase (c) in N worker child processes
 *   (bench/dispatch-child.ts, role `dispatcher`), each with its own `dispatcherFromEnv()`, pool and
 *   PAYOUT_CONCURRENCY, sharing ALIPAY_MAX_QPS through the RateWindow row as separate workers do in production;
 *   loaded and connected before the clock starts
 *   --sim-qps=N (default 0: none) makes the simulator refuse payment calls above N per rolling second with
 *   `40005 isv.app-call-limited` (fault rule `rateLimitQps`), like Alipay's own limit
 *
 * lib/env.ts reads the environment once, when first imported: every console module is imported dynamically,
 * after this file has set the variables.
 */
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import inspector from "node:inspector";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { SIMULATOR_PARTNER_ID } from "../lib/alipay-sim";
import { generateKeyPair } from "../lib/alipay-sim/keys";
import { startEmbeddedDatabase } from "../lib/runtime/embedded-database";
import type { ChildStart } from "./dispatch-child";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TRIGGER = "alipay.marketing.campaign.cash.trigger";

const RAILS = ["CASH_CAMPAIGN", "FUND_COUPON", "TRANSFER"] as const;
type Rail = (typeof RAILS)[number];
/** out_biz_no prefixes: FUND_COUPON and TRANSFER keys are unique per merchant, so each rail has its own. */
const KEY_PREFIX: Record<Rail, string> = { CASH_CAMPAIGN: "c", FUND_COUPON: "f", TRANSFER: "t" };
/** Each rail's payment call: the one the latency rule delays (queries and funding calls answer at once). */
const SEND_METHOD: Record<Rail, string> = {
  CASH_CAMPAIGN: TRIGGER,
  FUND_COUPON: "alipay.fund.coupon.order.disburse",
  TRANSFER: "alipay.fund.trans.uni.transfer",
};
const APP_ID = "2021000000000077";
const PACKET_FEN = 100;

type Options = {
  payouts: number;
  seedPayouts: number;
  concurrency: number;
  latencyMs: number;
  repeat: number;
  createConcurrency: number;
  pool: number;
  maxQps: number;
  logLevel: string;
  quietWait: number;
  cpuProfile: string | null;
  vacuum: number;
  pglite: "child" | "in-process";
  json: string | null;
  rails: Rail[];
  transferQps: number;
  liftedTransferQps: number;
  phases: "all" | "rails";
  processes: number;
  simQps: number;
};

function parseOptions(args: string[]): Options {
  const options: Options = {
    payouts: 10_000,
    seedPayouts: 300,
    concurrency: 64,
    latencyMs: 50,
    repeat: 1,
    createConcurrency: 10,
    pool: 10,
    maxQps: 5000,
    logLevel: "warn",
    quietWait: 60,
    cpuProfile: null,
    vacuum: 0,
    pglite: "child",
    json: null,
    rails: [...RAILS],
    transferQps: 10,
    liftedTransferQps: 5000,
    phases: "all",
    processes: 0,
    simQps: 0,
  };
  for (const arg of args) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!match) throw new Error(`unexpected argument ${arg} (use --key=value)`);
    const [, key = "", value = ""] = match;
    const name = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof Options;
    if (!(name in options)) throw new Error(`unknown option --${key}`);
    if (name === "pglite") {
      if (value !== "child" && value !== "in-process") throw new Error("--pglite=child|in-process");
      options.pglite = value;
    } else if (name === "phases") {
      if (value !== "all" && value !== "rails") throw new Error("--phases=all|rails");
      options.phases = value;
    } else if (name === "rails") {
      const rails = value.split(",").map((r) => r.trim());
      const unknown = rails.filter((r) => !(RAILS as readonly string[]).includes(r));
      if (unknown.length > 0 || rails.length === 0)
        throw new Error(`--rails: unknown ${unknown.join(", ")} (use ${RAILS.join(",")})`);
      options.rails = RAILS.filter((r) => rails.includes(r));
    } else if (name === "json" || name === "logLevel" || name === "cpuProfile") {
      options[name] = value;
    } else {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--${key} must be a whole number`);
      options[name] = n;
    }
  }
  return options;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "-";

async function runPool(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

/** A distinct Alipay user id the simulator knows (2088 + 12 digits, never 20889999…). */
function userId(n: number): string {
  return `2088${String(100_000_000_000 + n).slice(-12)}`;
}

/** Beijing wall-clock time as Alipay wants it, computed here so the bare loop uses no console code. */
function beijingNow(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().replace("T", " ").slice(0, 19);
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes (simulator, embedded database)

type Child = {
  pid: number;
  ready: Promise<string>;
  cpuMs(): Promise<number>;
  /** A dispatcher child's mean calls in flight between its last two `cpuMs()` reads (null: not sampled). */
  inFlight(): number | null;
  go(): void;
  stop(): Promise<void>;
};

function startChild(start: ChildStart): Child {
  const proc: ChildProcess = fork(path.join(HERE, "dispatch-child.ts"), [], {
    execArgv: ["--conditions=react-server", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 0;
  const waiting = new Map<number, (usage: NodeJS.CpuUsage) => void>();
  let inFlight: number | null = null;
  const ready = new Promise<string>((resolve, reject) => {
    proc.on("message", (raw) => {
      const message = raw as {
        type: string;
        url?: string;
        id?: number;
        usage?: NodeJS.CpuUsage;
        inFlight?: number | null;
      };
      if (message.type === "ready") resolve(message.url ?? "");
      if (message.type === "cpu" && message.id !== undefined && message.usage) {
        inFlight = message.inFlight ?? null;
        waiting.get(message.id)?.(message.usage);
        waiting.delete(message.id);
      }
    });
    proc.once("exit", (code) => reject(new Error(`bench child (${start.role}) exited with ${code}`)));
  });
  proc.send(start);
  return {
    pid: proc.pid ?? 0,
    ready,
    cpuMs: () =>
      new Promise((resolve) => {
        const id = ++nextId;
        waiting.set(id, (usage) => resolve((usage.user + usage.system) / 1000));
        proc.send({ type: "cpu", id });
      }),
    inFlight: () => inFlight,
    go: () => proc.send({ type: "go" }),
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.send({ type: "stop" });
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CPU accounting: this process, the children, PostgreSQL's processes, the whole machine

const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

function procCpuMs(pid: number | string): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK; // utime + stime
  } catch {
    return 0;
  }
}

/**
 * CPU of the PostgreSQL processes that serve this benchmark: the backends connected to its database and the
 * server's own processes (no database: WAL writer, checkpointer, …), found through pg_stat_activity. Other
 * databases' backends (another project's tests) are left out. Cumulative across calls. pg's pool closes a
 * connection after 10 s idle, taking its backend's CPU with it: call this every second or so (the caller does),
 * so that at most the last second of an ending backend is missed.
 */
function postgresCpu(monitor: pg.Client): () => Promise<number> {
  const last = new Map<number, number>();
  let total = 0;
  let primed = false;
  let chain: Promise<number> = Promise.resolve(0);
  const read = async () => {
    const { rows } = await monitor.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() OR datname IS NULL`,
    );
    for (const { pid } of rows) {
      const now = procCpuMs(pid);
      // A backend first seen now was started since the last call (by this benchmark's pool): all of it counts.
      total += Math.max(0, now - (last.get(pid) ?? (primed ? 0 : now)));
      last.set(pid, now);
    }
    primed = true;
    return total;
  };
  // One query at a time on its connection, in call order.
  return () => (chain = chain.then(read, read));
}

function machineBusyMs(): number {
  const [cpu = ""] = fs.readFileSync("/proc/stat", "utf8").split("\n");
  const v = cpu.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = v;
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLK_TCK;
}

type CpuSources = Record<string, () => Promise<number> | number>;
type CpuSnapshot = Record<string, number>;

async function cpuSnapshot(sources: CpuSources): Promise<CpuSnapshot> {
  const out: CpuSnapshot = {};
  for (const [name, read] of Object.entries(sources)) out[name] = await read();
  return out;
}

function cpuDiff(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]));
}

/** What the processes that are not ours used meanwhile, in % of one core. */
function otherPct(diff: CpuSnapshot, wallMs: number): number {
  const ours = Object.entries(diff).filter(([name]) => name !== "machine");
  return (Math.max(0, (diff.machine ?? 0) - ours.reduce((a, [, ms]) => a + ms, 0)) / wallMs) * 100;
}

function cpuLine(diff: CpuSnapshot, wallMs: number, payouts: number): string {
  const ours = Object.entries(diff).filter(([name]) => name !== "machine");
  const others = (diff.machine ?? 0) - ours.reduce((a, [, ms]) => a + ms, 0);
  const part = (name: string, ms: number) =>
    `${name} ${fmt(ms)} ms (${fmt((ms / wallMs) * 100)} % of a core, ${fmt(ms / payouts, 2)} ms/payout)`;
  return `  CPU: ${ours.map(([name, ms]) => part(name, ms)).join("; ")}; other processes on the machine ${fmt((Math.max(0, others) / wallMs) * 100)} % of a core; capacity ${os.cpus().length * 100} %`;
}

/**
 * The machine is shared: before a measured phase, wait (at most `maxSeconds`) until the processes that are not
 * ours use less than a fifth of a core over a second. Ours are idle between phases, so the machine's busy time
 * is theirs. Returns what they used at the start.
 */
async function waitForQuiet(maxSeconds: number): Promise<string> {
  const deadline = Date.now() + maxSeconds * 1000;
  let first: number | null = null;
  for (;;) {
    const before = machineBusyMs();
    await sleep(1000);
    const busy = (machineBusyMs() - before) / 10; // % of one core over the second
    first ??= busy;
    if (busy < 20 || Date.now() > deadline) {
      return `other load before the phase: ${fmt(first)} % of a core${busy < 20 ? "" : ` (still ${fmt(busy)} % after waiting ${maxSeconds} s)`}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Statement profile: wraps pg.Client#query (the driver under Prisma's adapter) in this process only

type StatementStat = { count: number; ms: number; rows: number };
type TxStat = { count: number; ms: number; statements: number; statementMs: number };
type TxState = { start: number; first: string | null; statements: number; statementMs: number };

const IGNORED = new WeakSet<object>();

const profile = {
  on: false,
  statements: new Map<string, StatementStat>(),
  transactions: new Map<string, TxStat>(),
  poolWaits: [] as number[],
  reset() {
    this.statements.clear();
    this.transactions.clear();
    this.poolWaits = [];
  },
};

function classify(sql: string): string {
  const s = sql.trimStart();
  const head = s.slice(0, 8).toUpperCase();
  for (const word of ["BEGIN", "COMMIT", "ROLLBACK"]) if (head.startsWith(word)) return word;
  if (s.includes("WITH due AS") || s.includes("WITH singles AS")) return "claim (SKIP LOCKED CTE + audit)";
  if (s.includes("WITH expired AS")) return "expireLeases";
  if (s.includes("jsonb_to_recordset")) return "batched outcomes (one CTE per batch)";
  if (s.includes('"RateWindow"')) return "shared rate limiter (RateWindow)";
  if (s.includes("frequency_lock")) return "frequency advisory lock";
  // Exclusive: the fund-order allocation lock (FUND_COUPON dispatch), a recipient's frequency lock (requests).
  if (s.includes("pg_advisory_xact_lock")) return "exclusive advisory lock (fund orders / recipient)";
  if (s.includes("FOR NO KEY UPDATE")) return "reserveUpTo (Campaign)";
  const verb = (/^(\w+)/.exec(s)?.[1] ?? "?").toUpperCase();
  const table =
    verb === "SELECT"
      ? /\bFROM\s+(?:"public"\.)?"(\w+)"/i.exec(s)?.[1]
      : /^\w+(?:\s+INTO)?\s+(?:"public"\.)?"(\w+)"/i.exec(s)?.[1];
  return `${verb} ${table ?? "?"}`;
}

const txStates = new WeakMap<object, TxState>();

function recordStatement(client: object, category: string, ms: number, rows: number | null): void {
  const stat = profile.statements.get(category) ?? { count: 0, ms: 0, rows: 0 };
  stat.count += 1;
  stat.ms += ms;
  stat.rows += rows ?? 0;
  profile.statements.set(category, stat);
  const state = txStates.get(client);
  if (!state || category === "BEGIN") return;
  if (category === "COMMIT" || category === "ROLLBACK") {
    txStates.delete(client);
    const key = state.first ?? "(empty)";
    const tx = profile.transactions.get(key) ?? { count: 0, ms: 0, statements: 0, statementMs: 0 };
    tx.count += 1;
    tx.ms += performance.now() - state.start;
    tx.statements += state.statements + 2;
    tx.statementMs += state.statementMs + ms;
    profile.transactions.set(key, tx);
    return;
  }
  state.statements += 1;
  state.statementMs += ms;
  state.first ??= category;
}

function installPgProfiler(): void {
  const clientProto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = clientProto.query;
  clientProto.query = function (this: object, ...args: unknown[]) {
    const config = args[0];
    const text =
      typeof config === "string"
        ? config
        : ((config as { text?: unknown } | null)?.text as string | undefined);
    if (!profile.on || IGNORED.has(this) || typeof text !== "string") return query.apply(this, args);
    const category = classify(text);
    const started = performance.now();
    const finish = (rows: number | null) => {
      const now = performance.now();
      if (category === "BEGIN") {
        txStates.set(this, { start: now, first: null, statements: 0, statementMs: 0 });
      }
      recordStatement(this, category, now - started, rows);
    };
    // pg-pool's Pool#query (Prisma's statements outside a transaction) calls Client#query with a callback.
    const callbackAt = args.findIndex((a, i) => i > 0 && typeof a === "function");
    if (callbackAt !== -1) {
      const callback = args[callbackAt] as (err: unknown, res?: { rowCount?: number | null }) => unknown;
      args[callbackAt] = (err: unknown, res?: { rowCount?: number | null }) => {
        finish(res?.rowCount ?? null);
        return callback(err, res);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === "function") {
      (result as Promise<{ rowCount?: number | null }>).then(
        (res) => finish(res?.rowCount ?? null),
        () => finish(null),
      );
    }
    return result;
  };
  const poolProto = pg.Pool.prototype as unknown as { connect: (...args: unknown[]) => unknown };
  const connect = poolProto.connect;
  poolProto.connect = function (this: object, ...args: unknown[]) {
    if (!profile.on) return connect.apply(this, args);
    const started = performance.now();
    const done = () => profile.poolWaits.push(performance.now() - started);
    const callback = args[0];
    if (typeof callback === "function") {
      return connect.call(this, (...cbArgs: unknown[]) => {
        done();
        return (callback as (...a: unknown[]) => unknown)(...cbArgs);
      });
    }
    const result = connect.apply(this, args) as Promise<unknown>;
    void result.then(done, done);
    return result;
  };
}

function printProfile(payouts: number, wallMs: number): Record<string, unknown> {
  const rows = [...profile.statements.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const totalCount = rows.reduce((a, [, s]) => a + s.count, 0);
  const totalMs = rows.reduce((a, [, s]) => a + s.ms, 0);
  console.log(
    `  statements: ${fmt(totalCount)} = ${fmt(totalCount / payouts, 2)} per payout; ${fmt(totalMs)} ms of connection time = ${fmt(totalMs / payouts, 2)} ms per payout (client-side, incl. queueing)`,
  );
  for (const [name, s] of rows) {
    console.log(
      `    ${name.padEnd(40)} ${fmt(s.count).padStart(7)}  ${fmt(s.count / payouts, 3).padStart(6)}/payout  mean ${fmt(s.ms / s.count, 2).padStart(6)} ms  total ${fmt(s.ms).padStart(7)} ms`,
    );
  }
  const txs = [...profile.transactions.entries()].sort((a, b) => b[1].ms - a[1].ms);
  for (const [first, t] of txs) {
    const idle = t.ms - t.statementMs;
    console.log(
      `  transactions starting "${first}": ${fmt(t.count)}, held ${fmt(t.ms / t.count, 2)} ms each from BEGIN's answer to COMMIT's (${fmt(t.statements / t.count, 1)} statements; ${fmt(idle / t.count, 2)} ms of it between statements, i.e. in this process); Σ held ${fmt(t.ms)} ms = ${fmt((t.ms / wallMs) * 100)} % of wall`,
    );
  }
  if (profile.poolWaits.length > 0) {
    console.log(
      `  pool.connect waits: ${fmt(profile.poolWaits.length)}, mean ${fmt(mean(profile.poolWaits), 2)} ms, p95 ${fmt(quantile(profile.poolWaits, 0.95), 1)} ms`,
    );
  }
  return {
    statementsPerPayout: totalCount / payouts,
    statementMsPerPayout: totalMs / payouts,
    statements: Object.fromEntries(rows.map(([k, s]) => [k, { ...s, meanMs: s.ms / s.count }])),
    transactions: Object.fromEntries(txs.map(([k, t]) => [k, { ...t, meanMs: t.ms / t.count }])),
    poolWaitMeanMs: mean(profile.poolWaits),
    poolWaitP95Ms: quantile(profile.poolWaits, 0.95),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CPU profile of this process (node:inspector), summarised by package and by function

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
};

async function startCpuProfile(): Promise<() => Promise<{ nodes: ProfileNode[] }>> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 500 });
  await post("Profiler.start");
  return async () => {
    const { profile } = (await post("Profiler.stop")) as { profile: { nodes: ProfileNode[] } };
    session.disconnect();
    return profile;
  };
}

function codeGroup(url: string, functionName: string): string {
  if (!url) return `(${functionName.replace(/[()]/g, "") || "native"})`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] ?? url;
  if (url.startsWith("node:"))
    return url
      .replace(/^node:(internal\/)?/, "node:")
      .split("/")
      .slice(0, 2)
      .join("/");
  const rel = url.replace(/^file:\/\//, "").replace(`${process.cwd()}/`, "");
  return rel.split("/").slice(0, 2).join("/");
}

function summariseCpuProfile(label: string, profile: { nodes: ProfileNode[] }, payouts: number): void {
  const total = profile.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0);
  const byGroup = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const group = codeGroup(node.callFrame.url, node.callFrame.functionName);
    byGroup.set(group, (byGroup.get(group) ?? 0) + hits);
    const fn = `${node.callFrame.functionName || "(anonymous)"} ${group}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${k} ${fmt((v / total) * 100, 1)} %`);
  const busy = total - (byGroup.get("(idle)") ?? 0);
  console.log(
    `  CPU profile of this process (${label}; ${fmt(total)} samples of 0.5 ms, ${fmt((busy * 0.5) / payouts, 2)} ms busy per payout), self time by code: ${top(byGroup, 14).join("; ")}`,
  );
  console.log(`    top functions (self): ${top(byFunction, 14).join("; ")}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The database under test

type Database = {
  label: string;
  kind: "pglite" | "postgresql";
  url: string;
  cpu: CpuSources;
  close(): Promise<void>;
};

async function openDatabase(options: Options): Promise<Database> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    const version = (
      JSON.parse(
        fs.readFileSync(path.join("node_modules", "@electric-sql", "pglite", "package.json"), "utf8"),
      ) as {
        version: string;
      }
    ).version;
    if (options.pglite === "in-process") {
      const embedded = await startEmbeddedDatabase("memory://", 0);
      return {
        label: `embedded PGlite ${version} (in memory), in THIS process`,
        kind: "pglite",
        url: embedded.url,
        cpu: {},
        close: () => embedded.stop(),
      };
    }
    const child = startChild({ type: "start", role: "pglite" });
    const url = await child.ready;
    return {
      label: `embedded PGlite ${version} (in memory), in a child process (pid ${child.pid})`,
      kind: "pglite",
      url,
      cpu: { "pglite child": () => child.cpuMs() },
      close: () => child.stop(),
    };
  }
  const name = `hongbao_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const version = (await admin.query<{ server_version: string }>("SHOW server_version")).rows[0]
    ?.server_version;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    label: `PostgreSQL ${version} at ${url.host}, fresh database ${name}`,
    kind: "postgresql",
    url: url.toString(),
    cpu: {}, // added once the monitor connection exists (postgresCpu)
    close: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------

type LedgerEntry = { key: string; amountFen: number; kind: string; user: string };
/** A ledger entry with the payout key it was paid under (out_biz_no / out_order_no). */
type Payment = LedgerEntry & { outBizNo: string };

/** Phase (c) on one rail, for the per-rail table. */
type RailResult = {
  rail: Rail;
  /** The rail's rate limit as configured in the process that measured it. */
  limit: string;
  createPerSec: number;
  consolePerSec: number;
  consoleSteadyPerSec: number;
  consoleMs: number;
  /** The Alipay call per payout (PayoutAttempt.latencyMs). */
  callP50: number;
  callP95: number;
  /** Claimed → recorded as paid, per payout (claim audit event → succeededAt): includes waiting for the rate. */
  payoutP50: number;
  payoutP95: number;
  checkOk: boolean;
  dispatchOtherPct: number;
  dispatchCpu: CpuSnapshot;
  repetition?: number;
  /** How it was measured when not in this process (the child run with the limit lifted). */
  method?: string;
};

type RepResult = {
  createPerSec: number;
  seedPerSec: number;
  barePerSec: number;
  consolePerSec: number;
  consoleSteadyPerSec: number;
  ratio: number;
  checkOk: boolean;
  profile: Record<string, unknown>;
  [key: string]: unknown;
};

export async function runDispatchBench(args: string[]): Promise<void> {
  // The environment as given, for the child run (before this process sets the console's variables below).
  const givenEnv = { ...process.env };
  const options = parseOptions(args);
  const N = options.payouts;
  const cpus = os.cpus();
  console.log(`Hongbao Console — payout dispatch benchmark — ${new Date().toISOString()}`);
  console.log(
    `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? "CPU"}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB, ${os.type()} ${os.release()}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(`Options: ${JSON.stringify(options)}`);

  // The simulator, in its own process: Alipay's side must not eat the measured process's CPU. The seed and bare
  // loops trigger, so the trigger is always delayed; each measured rail's payment call is too.
  const latencyMethods = [...new Set([TRIGGER, ...options.rails.map((r) => SEND_METHOD[r])])].join(", ");
  const app = generateKeyPair();
  const alipayKeys = generateKeyPair();
  const sim = startChild({
    type: "start",
    role: "sim",
    appId: APP_ID,
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipayKeys.privateKey,
    faults: {
      rules: [
        {
          methods: latencyMethods,
          latencyMs: options.latencyMs,
          ...(options.simQps > 0 ? { rateLimitQps: options.simQps } : {}),
        },
      ],
    },
  });
  const simUrl = await sim.ready;
  const gateway = `${simUrl}/gateway.do`;
  const database = await openDatabase(options);
  console.log(
    `Simulator: child process pid ${sim.pid} at ${simUrl}, fault rule { methods: "${latencyMethods}", latencyMs: ${options.latencyMs}${options.simQps > 0 ? `, rateLimitQps: ${options.simQps}` : ""} }`,
  );
  console.log(`Database: ${database.label}`);

  // The console's environment, before anything imports lib/env.ts.
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: String(options.pool),
    ALIPAY_APP_ID: APP_ID,
    ALIPAY_PRIVATE_KEY: app.privateKey,
    ALIPAY_KEY_TYPE: "PKCS8",
    ALIPAY_PUBLIC_KEY: alipayKeys.publicKey,
    ALIPAY_GATEWAY: gateway,
    ALIPAY_TIMEOUT_MS: "5000",
    ALIPAY_MAX_QPS: String(options.maxQps),
    ALIPAY_TRANSFER_MAX_QPS: String(options.transferQps),
    // Agreement pay (FUND_COUPON funding) names the merchant's PID as the payer: the simulator's partner id.
    ALIPAY_MERCHANT_PID: SIMULATOR_PARTNER_ID,
    PAYOUT_CONCURRENCY: String(options.concurrency),
    LOG_LEVEL: options.logLevel,
  });
  installPgProfiler();
  const { migrateDeploy } = await import("../lib/runtime/migrate");
  await migrateDeploy(database.url, { quiet: true });

  const { db } = await import("../lib/db");
  const { alipay } = await import("../lib/alipay");
  const { createCashCampaign, getCashCampaignDetail, triggerCashCampaign } =
    await import("../lib/alipay/campaign");
  const { createCampaign, syncCampaign } = await import("../lib/campaigns/service");
  const { requestPayout } = await import("../lib/payouts/request");
  const { dispatcherFromEnv } = await import("../lib/payouts/dispatch");
  const { railFor } = await import("../lib/payouts/rails");
  const { fundByAgreement } = await import("../lib/fund-coupon/orders");
  const { env } = await import("../lib/env");
  const { AlipaySdk } = await import("alipay-sdk");

  const monitor = new pg.Client({ connectionString: database.url });
  IGNORED.add(monitor);
  await monitor.connect();
  if (database.kind === "postgresql") {
    const settings = await monitor.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit','fsync','wal_sync_method','shared_buffers','max_connections','commit_delay','autovacuum')`,
    );
    console.log(`PostgreSQL settings: ${settings.rows.map((r) => `${r.name}=${r.setting}`).join(", ")}`);
  }
  console.log(
    `Console: PAYOUT_CONCURRENCY=${env.PAYOUT_CONCURRENCY}, PAYOUT_POLL_MS=${env.PAYOUT_POLL_MS}, PAYOUT_LEASE_MS=${env.PAYOUT_LEASE_MS}, ALIPAY_MAX_QPS=${env.ALIPAY_MAX_QPS} (shared RateWindow limiter), ALIPAY_TRANSFER_MAX_QPS=${env.ALIPAY_TRANSFER_MAX_QPS}, DATABASE_POOL_SIZE=${env.DATABASE_POOL_SIZE}, LOG_LEVEL=${env.LOG_LEVEL}`,
  );

  // Its own connection: pg wants one query at a time per client, and the monitor polls meanwhile.
  const cpuMonitor =
    database.kind === "postgresql" ? new pg.Client({ connectionString: database.url }) : null;
  if (cpuMonitor) {
    IGNORED.add(cpuMonitor);
    await cpuMonitor.connect();
  }
  const cpu: CpuSources = {
    "this process": () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    },
    "sim child": () => sim.cpuMs(),
    ...database.cpu,
    ...(cpuMonitor ? { postgres: postgresCpu(cpuMonitor) } : {}),
    machine: machineBusyMs,
  };
  const pgCpuSampler =
    database.kind === "postgresql"
      ? setInterval(() => void Promise.resolve(cpu.postgres?.()).catch(() => undefined), 1000)
      : undefined;

  const user = await db.user.create({
    data: {
      email: `bench-dispatch-${Date.now()}@bench.example`,
      name: "Bench",
      role: "marketer",
      passwordHash: "x",
    },
  });
  const actor = {
    type: "USER" as const,
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    ip: null,
    userAgent: "bench",
  };
  const client = alipay(); // the process's client, exactly as the dispatcher uses it (shared RateWindow limiter)
  const sdk = new AlipaySdk({
    appId: APP_ID,
    privateKey: app.privateKey,
    keyType: "PKCS8",
    alipayPublicKey: alipayKeys.publicKey,
    gateway,
    timeout: 5000,
    camelcase: false, // as the console's client: no key conversion on either side
  });

  async function simAdmin<T>(route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${simUrl}${route}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`simulator ${route}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** A funded Alipay campaign that only the simulator knows (for the seed and bare loops). */
  async function simCampaign(label: string, count: number): Promise<string> {
    const created = await createCashCampaign(client, {
      couponName: `bench ${label}`,
      prizeMsg: "bench",
      prizeType: "fixed",
      totalFen: count * PACKET_FEN,
      count,
      start: "now",
      end: new Date(Date.now() + 7 * 86_400_000),
    });
    if (created.kind !== "ok") throw new Error(`create ${label}: ${created.kind}`);
    await simAdmin(`/__sim/campaigns/${encodeURIComponent(created.data.crowdNo)}/pay`, {});
    return created.data.crowdNo;
  }

  async function ledgerFor(crowdNo: string): Promise<LedgerEntry[]> {
    const ledger = await simAdmin<LedgerEntry[]>("/__sim/ledger");
    return ledger.filter((e) => e.kind === "CAMPAIGN_TRIGGER" && e.key.startsWith(`${crowdNo}/`));
  }

  const bareTrigger = (crowdNo: string, outBizNo: string, user: string) =>
    sdk.exec(
      TRIGGER,
      { bizContent: { crowd_no: crowdNo, out_biz_no: outBizNo, user_id: user }, timestamp: beijingNow() },
      { validateSign: true },
    );

  // Warm-up: connections, JIT, both clients (detail.query has no latency rule).
  const warm = await simCampaign("warm-up", 10);
  await runPool(300, 32, async () => {
    await getCashCampaignDetail(client, warm);
  });
  await runPool(300, 32, async () => {
    await sdk.exec(
      "alipay.marketing.campaign.cash.detail.query",
      { bizContent: { crowd_no: warm }, timestamp: beijingNow() },
      { validateSign: true },
    );
  });

  /**
   * The simulator's payments that belong to the campaign, each with the payout key it was paid under: every
   * trigger under the campaign's crowd_no (`<crowd_no>/<out_biz_no>`), any disbursement under one of its
   * payouts' out_order_no (`<out_order_no>/<out_request_no>`, whatever the request number), any transfer under
   * one of its payouts' out_biz_no. A second payment under a key would show, not be filtered away.
   */
  async function railLedger(rail: Rail, campaignId: string, crowdNo: string | null): Promise<Payment[]> {
    const ledger = await simAdmin<LedgerEntry[]>("/__sim/ledger");
    const payouts = await db.payout.findMany({ where: { campaignId }, select: { outBizNo: true } });
    const keys = new Set(payouts.map((p) => p.outBizNo));
    switch (rail) {
      case "CASH_CAMPAIGN": {
        const prefix = `${crowdNo}/`;
        return ledger
          .filter((e) => e.kind === "CAMPAIGN_TRIGGER" && e.key.startsWith(prefix))
          .map((e) => ({ ...e, outBizNo: e.key.slice(prefix.length) }));
      }
      case "FUND_COUPON":
        return ledger
          .filter((e) => e.kind === "FUND_COUPON_DISBURSE")
          .map((e) => ({ ...e, outBizNo: e.key.split("/")[0] ?? "" }))
          .filter((e) => keys.has(e.outBizNo));
      case "TRANSFER":
        return ledger
          .filter((e) => e.kind === "TRANSFER" && keys.has(e.key))
          .map((e) => ({ ...e, outBizNo: e.key }));
    }
  }

  /** Every payout of the campaign exactly once in Alipay's ledger, with its user and amount; Σ = spentFen. */
  async function checkCampaign(
    rail: Rail,
    campaignId: string,
    crowdNo: string | null,
  ): Promise<{ ok: boolean; line: string }> {
    const ledger = await railLedger(rail, campaignId, crowdNo);
    const byKey = new Map(ledger.map((e) => [e.outBizNo, e]));
    const payouts = await db.payout.findMany({
      where: { campaignId },
      select: { outBizNo: true, identity: true, status: true, awardedFen: true, attemptCount: true },
    });
    const figures = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    const ledgerFen = ledger.reduce((a, e) => a + e.amountFen, 0);
    const succeeded = payouts.filter((p) => p.status === "SUCCEEDED").length;
    const mismatched = payouts.filter((p) => {
      const entry = byKey.get(p.outBizNo);
      return !entry || entry.amountFen !== p.awardedFen || entry.user !== p.identity;
    }).length;
    const attempts = payouts.reduce((a, p) => a + p.attemptCount, 0);
    const ok =
      payouts.length === N &&
      ledger.length === N &&
      byKey.size === N &&
      ledgerFen === figures.spentFen &&
      succeeded === N &&
      mismatched === 0 &&
      figures.reservedFen === 0 &&
      figures.sentCount === N;
    return {
      ok,
      line: `  check: ledger ${fmt(ledger.length)} entries for this campaign, ${fmt(byKey.size)} distinct keys; Σ ledger ${fmt(ledgerFen)} fen vs campaign spentFen ${fmt(figures.spentFen)} (reserved ${figures.reservedFen}, sentCount ${fmt(figures.sentCount)}); payouts SUCCEEDED ${fmt(succeeded)}/${fmt(payouts.length)}, ${fmt(attempts)} attempts; ${mismatched} payouts without an exact ledger entry (key, user, amount) → ${ok ? "OK" : "FAILED"}`,
    };
  }

  /**
   * An ACTIVE console campaign of the rail able to pay exactly N packets of PACKET_FEN: a cash campaign created
   * at the simulator, paid at its cashier and synced; a FUND_COUPON campaign funded by one agreement-pay order of
   * N packets; a TRANSFER campaign with a budget of N packets (the simulator's merchant balance pays).
   */
  async function activeCampaign(rail: Rail, label: string) {
    const created = await createCampaign(client, actor, {
      name: `Bench ${label} ${Date.now()}`,
      prizeMessage: "Thanks",
      prizeType: "FIXED",
      rail,
      budgetFen: N * PACKET_FEN,
      packetCount: rail === "CASH_CAMPAIGN" ? N : 0,
      startsAt: null,
      endsAt: new Date(Math.floor((Date.now() + 30 * 86_400_000) / 1000) * 1000),
      frequencyLifetime: 1,
      frequencyPeriod: null,
      frequencyPeriodLimit: null,
      merchantLink: null,
      defaultScene: "POINTS_REDEMPTION",
      autoApproveMaxFen: 100_000,
      autoApproveDailyCapFen: N * PACKET_FEN * 10,
      maxPacketFen: rail === "CASH_CAMPAIGN" ? null : PACKET_FEN,
      dailyAmountPerUserFen: null,
    });
    if (rail === "CASH_CAMPAIGN") {
      await simAdmin(`/__sim/campaigns/${encodeURIComponent(created.crowdNo ?? "")}/pay`, {});
      await syncCampaign(client, actor, created.id);
    }
    if (rail === "FUND_COUPON") {
      const order = await fundByAgreement(client, actor, {
        campaignId: created.id,
        amountFen: N * PACKET_FEN,
        title: `Bench ${label}`,
        expiresInMinutes: 24 * 60,
      });
      if (order.status !== "PAID") throw new Error(`funding order is ${order.status}`);
    }
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: created.id } });
    if (campaign.status !== "ACTIVE") throw new Error(`${rail} campaign is ${campaign.status}`);
    return { campaign, crowdNo: campaign.crowdNo };
  }

  /**
   * --processes: N dispatcher child processes, each its own Node process with the console's environment (its own
   * pool of DATABASE_POOL_SIZE, PAYOUT_CONCURRENCY calls, AlipayClient and shared limiter), loaded and connected;
   * their CPU is counted as `worker i`. They start dispatching on `go()`.
   */
  async function startWorkers(count: number): Promise<Child[]> {
    const consoleEnv = Object.fromEntries(
      Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const workers = Array.from({ length: count }, () =>
      startChild({ type: "start", role: "dispatcher", env: consoleEnv }),
    );
    await Promise.all(workers.map((w) => w.ready));
    workers.forEach((w, i) => (cpu[`worker ${i + 1}`] = () => w.cpuMs()));
    console.log(
      `\n  ${count} dispatcher worker process(es) ready: pids ${workers.map((w) => w.pid).join(", ")}`,
    );
    return workers;
  }

  async function stopWorkers(workers: Child[]): Promise<void> {
    await Promise.all(workers.map((w) => w.stop()));
    workers.forEach((_, i) => delete cpu[`worker ${i + 1}`]);
  }

  /** The campaign's Alipay attempts by outcome and code: refusals by the gateway's rate limit show as 40005. */
  async function attemptCodes(campaignId: string): Promise<string> {
    const { rows } = await monitor.query<{ outcome: string; code: string | null; n: string }>(
      `SELECT a.outcome, a.code, count(*) AS n FROM "PayoutAttempt" a JOIN "Payout" p ON p.id = a."payoutId"
        WHERE p."campaignId" = $1 GROUP BY 1, 2 ORDER BY 3 DESC`,
      [campaignId],
    );
    return rows.map((r) => `${r.outcome}${r.code ? ` ${r.code}` : ""} ${fmt(Number(r.n))}`).join(", ");
  }

  async function vacuum(): Promise<void> {
    const started = performance.now();
    await monitor.query("VACUUM ANALYZE");
    console.log(`\n  VACUUM ANALYZE before the next dispatch phase: ${fmt(performance.now() - started)} ms`);
  }

  /** Polls (every 50 ms) until no payout of the campaign is APPROVED, SENDING or UNKNOWN. */
  async function untilDispatched(campaignId: string, started: number): Promise<void> {
    for (;;) {
      await sleep(50);
      const left = await monitor.query(
        `SELECT 1 FROM "Payout" WHERE "campaignId" = $1 AND status IN ('APPROVED', 'SENDING', 'UNKNOWN') LIMIT 1`,
        [campaignId],
      );
      if (left.rowCount === 0) return;
      if (performance.now() - started > 30 * 60_000) throw new Error("dispatch did not finish in 30 minutes");
    }
  }

  /** The rail's own rate in the dispatcher (rail.callsPerSecond), for the figures. */
  const railLimit = (rail: Rail) => {
    const perSecond = railFor(rail).callsPerSecond;
    if (perSecond === null) return `no rail limit, ALIPAY_MAX_QPS=${env.ALIPAY_MAX_QPS}`;
    return rail === "TRANSFER"
      ? `ALIPAY_TRANSFER_MAX_QPS=${perSecond}`
      : `rail limit ${perSecond} calls/s (fixed in the rail)`;
  };

  type BareResult = {
    seedPerSec: number;
    seedOtherPct: number;
    barePerSec: number;
    bareOtherPct: number;
    bareCheck: boolean;
    bareLatencies: number[];
    bareCpu: CpuSnapshot;
    bareMs: number;
  };
  const NO_BARE: BareResult = {
    seedPerSec: NaN,
    seedOtherPct: NaN,
    barePerSec: NaN,
    bareOtherPct: NaN,
    bareCheck: true,
    bareLatencies: [],
    bareCpu: {},
    bareMs: NaN,
  };

  /** (a) and (b): the seed's loop and the bare loop, both triggering (no console dispatch). */
  async function seedAndBare(rep: number, base: number): Promise<BareResult> {
    // (a) The seed's loop: one trigger at a time with the real AlipayClient, on a subset.
    const seedCrowd = await simCampaign(`seed ${rep}`, options.seedPayouts);
    const seedQuiet = await waitForQuiet(options.quietWait);
    let seedCpu = await cpuSnapshot(cpu);
    let started = performance.now();
    let seedOk = 0;
    for (let i = 0; i < options.seedPayouts; i++) {
      const result = await triggerCashCampaign(client, {
        crowdNo: seedCrowd,
        outBizNo: `s${rep}_${i}`,
        recipient: { identityType: "USER_ID", identity: userId(200_000_000 + base + i) },
      });
      if (result.kind === "ok") seedOk += 1;
    }
    const seedMs = performance.now() - started;
    seedCpu = cpuDiff(seedCpu, await cpuSnapshot(cpu));
    const seedPerSec = (options.seedPayouts / seedMs) * 1000;
    const seedLedger = await ledgerFor(seedCrowd);
    console.log(
      `\n(a) seed loop (await each trigger in turn, real AlipayClient), SUBSET of ${fmt(options.seedPayouts)}: ${fmt(seedPerSec, 1)} payouts/s, ${fmt(seedMs / options.seedPayouts, 1)} ms each; ${seedOk} ok, ledger ${seedLedger.length} entries` +
        ` → ${fmt(N)} would take ${fmt(N / seedPerSec / 60, 1)} min`,
    );
    console.log(`  ${seedQuiet}`);

    // (b) The bare loop: plain alipay-sdk, `concurrency` calls in flight, a second campaign, distinct out_biz_no.
    const bareCrowd = await simCampaign(`bare ${rep}`, N);
    const bareLatencies: number[] = [];
    let bareOk = 0;
    const bareEld = monitorEventLoopDelay({ resolution: 10 });
    const bareQuiet = await waitForQuiet(options.quietWait);
    let bareCpu = await cpuSnapshot(cpu);
    const stopBareProfile = options.cpuProfile ? await startCpuProfile() : null;
    bareEld.enable();
    started = performance.now();
    await runPool(N, options.concurrency, async (i) => {
      const t0 = performance.now();
      const reply = (await bareTrigger(bareCrowd, `b${rep}_${i}`, userId(300_000_000 + base + i))) as {
        code?: string;
        trigger_result?: string;
      };
      bareLatencies.push(performance.now() - t0);
      if (reply.code === "10000" && reply.trigger_result === "true") bareOk += 1;
    });
    const bareMs = performance.now() - started;
    bareEld.disable();
    const bareProfile = stopBareProfile ? await stopBareProfile() : null;
    bareCpu = cpuDiff(bareCpu, await cpuSnapshot(cpu));
    const barePerSec = (N / bareMs) * 1000;
    const bareLedger = await ledgerFor(bareCrowd);
    const bareKeys = new Set(bareLedger.map((e) => e.key)).size;
    console.log(
      `\n(b) bare alipay-sdk loop, ${options.concurrency} in flight, ${fmt(N)} triggers: ${fmt(bareMs / 1000, 2)} s = ${fmt(barePerSec)} payouts/s; call p50 ${fmt(median(bareLatencies), 1)} ms, p95 ${fmt(quantile(bareLatencies, 0.95), 1)} ms; ${bareOk} ok; ledger ${bareLedger.length} entries, ${bareKeys} distinct keys`,
    );
    console.log(
      `  event-loop delay in this process: mean ${fmt(bareEld.mean / 1e6, 1)} ms, p99 ${fmt(bareEld.percentile(99) / 1e6, 1)} ms`,
    );
    console.log(`  ${bareQuiet}`);
    console.log(cpuLine(bareCpu, bareMs, N));
    if (bareProfile && options.cpuProfile) {
      fs.mkdirSync(options.cpuProfile, { recursive: true });
      fs.writeFileSync(path.join(options.cpuProfile, `bare-${rep}.cpuprofile`), JSON.stringify(bareProfile));
      summariseCpuProfile("bare loop", bareProfile, N);
    }
    const bareCheck = bareOk === N && bareLedger.length === N && bareKeys === N;
    console.log(
      `  bare-loop check: ${fmt(bareLedger.length)} entries, ${fmt(bareKeys)} distinct keys, ${fmt(bareOk)} trigger_result=true → ${bareCheck ? "OK" : "FAILED"}`,
    );
    return {
      seedPerSec,
      seedOtherPct: otherPct(seedCpu, seedMs),
      barePerSec,
      bareOtherPct: otherPct(bareCpu, bareMs),
      bareCheck,
      bareLatencies,
      bareCpu,
      bareMs,
    };
  }

  /** (c0) and (c) on one rail: N payouts requested on a campaign of that rail, then dispatched by the console. */
  async function dispatchRail(rail: Rail, rep: number, base: number, bare: BareResult) {
    const railIndex = RAILS.indexOf(rail);
    // (c0) The request path: N payouts through requestPayout, auto-approved. Not part of the dispatch figure.
    const { campaign, crowdNo } = await activeCampaign(rail, `${rail} dispatch ${rep}`);

    const createQuiet = await waitForQuiet(options.quietWait);
    profile.reset();
    profile.on = true;
    let createCpu = await cpuSnapshot(cpu);
    const started = performance.now();
    let notApproved = 0;
    await runPool(N, options.createConcurrency, async (i) => {
      const { payout } = await requestPayout(actor, {
        campaignId: campaign.id,
        identityType: "USER_ID",
        identity: userId(100_000_000 + railIndex * 10_000_000 + base + i),
        scene: "POINTS_REDEMPTION",
        memo: null,
        outBizNo: `${KEY_PREFIX[rail]}${rep}_${i}`,
        source: "API",
      });
      if (payout.status !== "APPROVED") notApproved += 1;
    });
    const createMs = performance.now() - started;
    createCpu = cpuDiff(createCpu, await cpuSnapshot(cpu));
    profile.on = false;
    console.log(
      `\n(c0) ${rail}: requestPayout × ${fmt(N)}, ${options.createConcurrency} concurrent callers: ${fmt(createMs / 1000, 1)} s = ${fmt((N / createMs) * 1000)} requests/s (${notApproved} not auto-approved)`,
    );
    console.log(`  ${createQuiet}`);
    console.log(cpuLine(createCpu, createMs, N));
    const createProfile = printProfile(N, createMs);

    // (c) The console: the dispatcher from the environment, until nothing is APPROVED/SENDING/UNKNOWN.
    if (options.vacuum) await vacuum();
    // --processes: N worker processes instead of this one, loaded and connected before the quiet wait and clock.
    const workers = options.processes > 0 ? await startWorkers(options.processes) : [];
    const dispatchQuiet = await waitForQuiet(options.quietWait);
    const dispatcher = workers.length === 0 ? dispatcherFromEnv() : null;
    // read-only, for the profile
    const inFlight = dispatcher ? (dispatcher as unknown as { inFlight: Set<unknown> }).inFlight : null;
    const inFlightSamples: number[] = [];
    const activity = new Map<string, number>();
    let activitySamples = 0;
    let sampling = true;
    const activityLoop = (async () => {
      if (database.kind !== "postgresql") return;
      while (sampling) {
        const { rows } = await monitor.query<{ state: string; wtype: string | null; wevent: string | null }>(
          `SELECT state, wait_event_type AS wtype, wait_event AS wevent FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        );
        activitySamples += 1;
        for (const r of rows) {
          const key =
            r.state === "active" ? `active: ${r.wtype ? `${r.wtype}/${r.wevent}` : "on CPU"}` : r.state;
          activity.set(key, (activity.get(key) ?? 0) + 1);
        }
        await sleep(20);
      }
    })();
    const eld = monitorEventLoopDelay({ resolution: 10 });
    profile.reset();
    profile.on = true;
    const stopDispatchProfile = options.cpuProfile ? await startCpuProfile() : null;
    let dispatchCpu = await cpuSnapshot(cpu);
    eld.enable();
    const dispatchStarted = performance.now();
    const startedAtMs = Date.now();
    dispatcher?.start();
    for (const worker of workers) worker.go();
    const sampler = setInterval(() => {
      if (inFlight) inFlightSamples.push(inFlight.size);
    }, 10);
    await untilDispatched(campaign.id, dispatchStarted);
    const consoleMs = performance.now() - dispatchStarted;
    eld.disable();
    dispatchCpu = cpuDiff(dispatchCpu, await cpuSnapshot(cpu));
    const dispatchProfileCpu = stopDispatchProfile ? await stopDispatchProfile() : null;
    profile.on = false;
    sampling = false;
    clearInterval(sampler);
    await activityLoop;
    await dispatcher?.stop();
    // Each worker's mean in flight over the phase (sampled in the worker, read with the CPU snapshot).
    const workerInFlight = workers.map((w) => w.inFlight() ?? 0);
    await stopWorkers(workers);
    const inFlightMean =
      workers.length > 0 ? workerInFlight.reduce((a, b) => a + b, 0) : mean(inFlightSamples);
    const consolePerSec = (N / consoleMs) * 1000;

    // Per-payout timeline from what the console stored (ms since the dispatcher started).
    const timeline = await monitor.query<{
      claimed: number;
      started: number;
      latency: number;
      recorded: number;
      audited: number;
    }>(
      `SELECT extract(epoch FROM c."createdAt") * 1000 - $2 AS claimed,
            extract(epoch FROM a."startedAt") * 1000 - $2 AS started,
            a."latencyMs" AS latency,
            extract(epoch FROM p."succeededAt") * 1000 - $2 AS recorded,
            extract(epoch FROM s."createdAt") * 1000 - $2 AS audited
       FROM "Payout" p
       JOIN "PayoutAttempt" a ON a."payoutId" = p.id
       JOIN "AuditEvent" c ON c."entityId" = p.id AND c.action = 'payout.claim'
       JOIN "AuditEvent" s ON s."entityId" = p.id AND s.action = 'payout.succeed'
      WHERE p."campaignId" = $1`,
      [campaign.id, startedAtMs],
    );
    const t = timeline.rows.map((r) => ({
      claimed: Number(r.claimed),
      started: Number(r.started),
      latency: Number(r.latency),
      recorded: Number(r.recorded),
      audited: Number(r.audited),
    }));
    const done = t.map((r) => r.recorded).sort((a, b) => a - b);
    const t10 = done[Math.floor(done.length * 0.1)] ?? 0;
    const t90 = done[Math.floor(done.length * 0.9)] ?? 0;
    const steadyPerSec = ((done.length * 0.8) / Math.max(1, t90 - t10)) * 1000;

    const check = await checkCampaign(rail, campaign.id, crowdNo);
    const checkOk = check.ok;
    if (!checkOk) allChecksOk = false;

    const ratio = consolePerSec / bare.barePerSec;
    const where = workers.length > 0 ? `${workers.length} worker process(es), each` : "in this process,";
    console.log(
      `\n(c) ${rail}: console Dispatcher (dispatcherFromEnv ${where} concurrency ${env.PAYOUT_CONCURRENCY}; ${railLimit(rail)}), ${fmt(N)} approved payouts: ${fmt(consoleMs / 1000, 2)} s = ${fmt(consolePerSec)} payouts/s (steady state, 10→90 % done: ${fmt(steadyPerSec)} payouts/s)`,
    );
    // The bare loop triggers: against it, the other rails' figure compares a different API at the same latency.
    console.log(
      `  ratio console ÷ bare loop (triggers): ${ratio.toFixed(2)}${rail === "CASH_CAMPAIGN" ? " (goal ≥ 0.90)" : ""}`,
    );
    console.log(check.line);
    console.log(`  attempts by outcome and code: ${await attemptCodes(campaign.id)}`);
    console.log(`  ${dispatchQuiet}`);
    console.log(cpuLine(dispatchCpu, consoleMs, N));
    console.log(
      `  event-loop delay in this process: mean ${fmt(eld.mean / 1e6, 1)} ms, p99 ${fmt(eld.percentile(99) / 1e6, 1)} ms; calls in flight (sampled every 10 ms): mean ${fmt(inFlightMean, 1)} of ${env.PAYOUT_CONCURRENCY * Math.max(1, workers.length)}${workers.length > 0 ? ` (per worker: ${workerInFlight.map((v) => fmt(v, 1)).join(", ")})` : ""}`,
    );
    const claimToCall = t.map((r) => r.started - r.claimed);
    const callToRecord = t.map((r) => r.recorded - (r.started + r.latency));
    const recordToAudit = t.map((r) => r.audited - r.recorded);
    const latencies = t.map((r) => r.latency);
    console.log(
      `  per payout (from stored claim/attempt/audit times, ms): claim→call start mean ${fmt(mean(claimToCall), 1)} (p95 ${fmt(quantile(claimToCall, 0.95), 1)}); call (AlipayClient latencyMs) mean ${fmt(mean(latencies), 1)} (p50 ${fmt(median(latencies), 1)}, p95 ${fmt(quantile(latencies, 0.95), 1)}); call end→succeededAt (recording starts) ${fmt(mean(callToRecord), 1)}; succeededAt→its audit event ${fmt(mean(recordToAudit), 1)} (p95 ${fmt(quantile(recordToAudit, 0.95), 1)})`,
    );
    const slotMs = (consoleMs * inFlightMean) / N;
    console.log(
      `  Little's law: ${fmt(inFlightMean, 1)} in flight × 1000 / ${fmt(slotMs, 1)} ms per slot = ${fmt((inFlightMean / slotMs) * 1000)} payouts/s; the bare loop holds ${options.concurrency} in flight for ${fmt(mean(bare.bareLatencies), 1)} ms each`,
    );
    const dispatchProfile = printProfile(N, consoleMs);
    if (dispatchProfileCpu && options.cpuProfile) {
      fs.mkdirSync(options.cpuProfile, { recursive: true });
      fs.writeFileSync(
        path.join(options.cpuProfile, `console-${rail}-${rep}.cpuprofile`),
        JSON.stringify(dispatchProfileCpu),
      );
      summariseCpuProfile("console dispatch", dispatchProfileCpu, N);
    }
    if (activitySamples > 0) {
      const parts = [...activity.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${fmt(v / activitySamples, 2)}`);
      console.log(
        `  PostgreSQL backends of the pool, by state (mean count over ${activitySamples} samples of pg_stat_activity): ${parts.join("; ")}`,
      );
    }

    const payoutMs = t.map((r) => r.recorded - r.claimed);
    const rail_: RailResult = {
      rail,
      limit: railLimit(rail),
      createPerSec: (N / createMs) * 1000,
      consolePerSec,
      consoleSteadyPerSec: steadyPerSec,
      consoleMs,
      callP50: median(latencies),
      callP95: quantile(latencies, 0.95),
      payoutP50: median(payoutMs),
      payoutP95: quantile(payoutMs, 0.95),
      checkOk,
      dispatchOtherPct: otherPct(dispatchCpu, consoleMs),
      dispatchCpu,
    };
    return {
      rail: rail_,
      cash: {
        createPerSec: (N / createMs) * 1000,
        consolePerSec,
        consoleSteadyPerSec: steadyPerSec,
        ratio,
        consoleCallP50: median(latencies),
        inFlightMean,
        eventLoopDelayMeanMs: eld.mean / 1e6,
        createOtherPct: otherPct(createCpu, createMs),
        dispatchOtherPct: otherPct(dispatchCpu, consoleMs),
        dispatchCpu,
        createCpu,
        consoleMs,
        profile: dispatchProfile,
        createProfile,
        pgActivity: activitySamples
          ? Object.fromEntries([...activity.entries()].map(([k, v]) => [k, v / activitySamples]))
          : null,
      },
    };
  }

  const results: RepResult[] = [];
  const railResults: RailResult[] = [];
  let allChecksOk = true;
  for (let rep = 0; rep < options.repeat; rep++) {
    console.log(`\n=== Repetition ${rep + 1} of ${options.repeat} ===`);
    const base = (rep + 1) * 1_000_000;
    const bare = options.phases === "all" ? await seedAndBare(rep, base) : NO_BARE;
    if (!bare.bareCheck) allChecksOk = false;
    let cash: Awaited<ReturnType<typeof dispatchRail>>["cash"] | null = null;
    for (const rail of options.rails) {
      const outcome = await dispatchRail(rail, rep, base, bare);
      railResults.push({ ...outcome.rail, repetition: rep + 1 });
      if (!outcome.rail.checkOk) allChecksOk = false;
      if (rail === "CASH_CAMPAIGN") cash = outcome.cash;
    }
    // The summary's (c) and ratio are the cash rail's, as before there were rails; NaN without it.
    results.push({
      createPerSec: cash?.createPerSec ?? NaN,
      seedPerSec: bare.seedPerSec,
      barePerSec: bare.barePerSec,
      consolePerSec: cash?.consolePerSec ?? NaN,
      consoleSteadyPerSec: cash?.consoleSteadyPerSec ?? NaN,
      ratio: cash?.ratio ?? NaN,
      checkOk: bare.bareCheck && railResults.every((r) => r.checkOk),
      bareCallP50: median(bare.bareLatencies),
      consoleCallP50: cash?.consoleCallP50 ?? NaN,
      inFlightMean: cash?.inFlightMean ?? NaN,
      eventLoopDelayMeanMs: cash?.eventLoopDelayMeanMs ?? NaN,
      createOtherPct: cash?.createOtherPct ?? NaN,
      seedOtherPct: bare.seedOtherPct,
      bareOtherPct: bare.bareOtherPct,
      dispatchOtherPct: cash?.dispatchOtherPct ?? NaN,
      bareCpu: bare.bareCpu,
      dispatchCpu: cash?.dispatchCpu ?? {},
      createCpu: cash?.createCpu ?? {},
      consoleMs: cash?.consoleMs ?? NaN,
      bareMs: bare.bareMs,
      profile: cash?.profile ?? {},
      createProfile: cash?.createProfile ?? {},
      pgActivity: cash?.pgActivity ?? null,
    });
  }

  // The machine is shared: a phase during which other processes used more than QUIET_PCT % of a core is
  // "disturbed". Medians are taken over the undisturbed repetitions of that phase (all of them when none is);
  // the ratio over repetitions whose bare and console phases were both undisturbed. Every figure is in the JSON.
  const QUIET_PCT = 25;
  const quietMedian = (key: keyof RepResult, phases: Array<keyof RepResult>) => {
    const quiet = results.filter((r) => phases.every((p) => !((r[p] as number) >= QUIET_PCT)));
    const used = quiet.length > 0 ? quiet : results;
    return { value: median(used.map((r) => r[key] as number)), n: quiet.length };
  };
  const summary = {
    date: new Date().toISOString(),
    database: database.label,
    options,
    machine: `${cpus.length} × ${cpus[0]?.model ?? "CPU"}, ${os.type()} ${os.release()}, Node ${process.version}`,
    quietPct: QUIET_PCT,
    median: {
      createPerSec: quietMedian("createPerSec", ["createOtherPct"]),
      seedPerSec: quietMedian("seedPerSec", ["seedOtherPct"]),
      barePerSec: quietMedian("barePerSec", ["bareOtherPct"]),
      consolePerSec: quietMedian("consolePerSec", ["dispatchOtherPct"]),
      consoleSteadyPerSec: quietMedian("consoleSteadyPerSec", ["dispatchOtherPct"]),
      ratio: quietMedian("ratio", ["bareOtherPct", "dispatchOtherPct"]),
    },
    allChecksOk,
    results,
    rails: railResults,
  };
  const m = summary.median;
  const n = (q: { n: number }) => (options.repeat > 1 ? `   [${q.n} of ${options.repeat} undisturbed]` : "");
  const reps = options.repeat > 1 ? ` (medians of the undisturbed of ${options.repeat} repetitions)` : "";
  // Without the seed and bare loops (a child run) only the per-rail table below means anything.
  if (options.phases === "all") {
    console.log(`\n=== Summary${reps} — ${database.label} ===`);
    console.log(
      `  requestPayout (creation, not dispatch)        ${fmt(m.createPerSec.value).padStart(6)} requests/s${n(m.createPerSec)}`,
    );
    console.log(
      `  (a) seed loop, sequential, ${options.seedPayouts}-payout subset   ${fmt(m.seedPerSec.value, 1).padStart(6)} payouts/s${n(m.seedPerSec)}`,
    );
    console.log(
      `  (b) bare alipay-sdk, ${options.concurrency} in flight              ${fmt(m.barePerSec.value).padStart(6)} payouts/s${n(m.barePerSec)}`,
    );
    console.log(
      `  (c) console Dispatcher, ${options.concurrency} concurrent          ${fmt(m.consolePerSec.value).padStart(6)} payouts/s (steady ${fmt(m.consoleSteadyPerSec.value)})${n(m.consolePerSec)}`,
    );
    console.log(
      `  ratio (c) ÷ (b)                               ${m.ratio.value.toFixed(2).padStart(6)}   goal ≥ 0.90 → ${m.ratio.value >= 0.9 ? "met" : "NOT met"}${n(m.ratio)}`,
    );
    console.log(
      `  per repetition (payouts/s; other processes' load in % of a core): ${results
        .map(
          (r, i) =>
            `#${i + 1} bare ${fmt(r.barePerSec)} (${fmt(r.bareOtherPct as number)} %), console ${fmt(r.consolePerSec)} (${fmt(r.dispatchOtherPct as number)} %)`,
        )
        .join("; ")}`,
    );
  }
  console.log(`  ledger checks: ${allChecksOk ? "all OK" : "FAILED"}`);

  clearInterval(pgCpuSampler);
  await cpuMonitor?.end();
  await monitor.end();
  await db.$disconnect();
  await sim.stop();
  await database.close();

  // TRANSFER with its limit lifted: lib/env.ts has read ALIPAY_TRANSFER_MAX_QPS in this process for good, so
  // the bench runs itself again in a child process (after this one's simulator and database are gone).
  const lifted: RailResult[] = [];
  if (
    options.rails.includes("TRANSFER") &&
    options.liftedTransferQps > 0 &&
    options.liftedTransferQps !== options.transferQps
  ) {
    const childRows = await liftedTransferRun(options, givenEnv);
    if (!childRows.every((r) => r.checkOk)) allChecksOk = false;
    lifted.push(...childRows);
  }
  printRailTable(options, database.label, [...railResults, ...lifted]);
  if (options.json)
    fs.writeFileSync(
      options.json,
      `${JSON.stringify({ ...summary, allChecksOk, rails: [...railResults, ...lifted] }, null, 2)}\n`,
    );
  if (!allChecksOk) process.exitCode = 1;
}

/**
 * Runs this bench in a child process on TRANSFER alone, with ALIPAY_TRANSFER_MAX_QPS lifted to
 * `--lifted-transfer-qps` and everything else as in this run (its own simulator and database, no seed or bare
 * loop), and returns its per-rail rows.
 */
async function liftedTransferRun(options: Options, givenEnv: NodeJS.ProcessEnv): Promise<RailResult[]> {
  const json = path.join(os.tmpdir(), `bench-dispatch-transfer-${process.pid}-${Date.now()}.json`);
  const method = `child run: a separate process of this bench (--rails=TRANSFER --phases=rails --transfer-qps=${options.liftedTransferQps}), own simulator and database, same N, concurrency and latency`;
  const args = [
    `--payouts=${options.payouts}`,
    `--seed-payouts=${options.seedPayouts}`,
    `--concurrency=${options.concurrency}`,
    `--latency-ms=${options.latencyMs}`,
    `--repeat=${options.repeat}`,
    `--create-concurrency=${options.createConcurrency}`,
    `--pool=${options.pool}`,
    `--max-qps=${Math.max(options.maxQps, options.liftedTransferQps)}`,
    `--log-level=${options.logLevel}`,
    `--quiet-wait=${options.quietWait}`,
    `--vacuum=${options.vacuum}`,
    `--pglite=${options.pglite}`,
    "--rails=TRANSFER",
    "--phases=rails",
    `--transfer-qps=${options.liftedTransferQps}`,
    "--lifted-transfer-qps=0",
    `--json=${json}`,
  ];
  console.log(`\n=== TRANSFER with ALIPAY_TRANSFER_MAX_QPS=${options.liftedTransferQps}: ${method} ===`);
  const child = fork(fileURLToPath(import.meta.url), args, {
    execArgv: ["--conditions=react-server", "--import", "tsx"],
    env: givenEnv,
    stdio: "inherit",
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (!fs.existsSync(json)) {
    console.log(`  the child run exited with ${code} and wrote no figures`);
    return [{ ...NO_RAIL_RESULT, limit: `ALIPAY_TRANSFER_MAX_QPS=${options.liftedTransferQps}`, method }];
  }
  const rows = (JSON.parse(fs.readFileSync(json, "utf8")) as { rails: RailResult[] }).rails;
  fs.rmSync(json);
  return rows.map((r) => ({ ...r, method }));
}

const NO_RAIL_RESULT: RailResult = {
  rail: "TRANSFER",
  limit: "",
  createPerSec: NaN,
  consolePerSec: NaN,
  consoleSteadyPerSec: NaN,
  consoleMs: NaN,
  callP50: NaN,
  callP95: NaN,
  payoutP50: NaN,
  payoutP95: NaN,
  checkOk: false,
  dispatchOtherPct: NaN,
  dispatchCpu: {},
};

function printRailTable(options: Options, database: string, rows: RailResult[]): void {
  console.log(
    `\n=== Per rail — phase (c), ${fmt(options.payouts)} payouts each, ${options.concurrency} in flight, ${options.latencyMs} ms on the rail's payment call — ${database} ===`,
  );
  const head = [
    "rail".padEnd(14),
    "limit".padEnd(50),
    "rep".padStart(3),
    "create/s".padStart(9),
    "payouts/s".padStart(10),
    "steady/s".padStart(9),
    "call p50/p95 ms".padStart(16),
    "claim→paid p50/p95 ms".padStart(22),
    "others %".padStart(9),
    "ledger",
  ];
  console.log(`  ${head.join("  ")}`);
  for (const r of rows) {
    console.log(
      `  ${[
        r.rail.padEnd(14),
        `${r.limit}${r.method ? " (child run)" : ""}`.padEnd(50),
        String(r.repetition ?? "-").padStart(3),
        fmt(r.createPerSec).padStart(9),
        fmt(r.consolePerSec, 1).padStart(10),
        fmt(r.consoleSteadyPerSec, 1).padStart(9),
        `${fmt(r.callP50, 1)} / ${fmt(r.callP95, 1)}`.padStart(16),
        `${fmt(r.payoutP50)} / ${fmt(r.payoutP95)}`.padStart(22),
        fmt(r.dispatchOtherPct).padStart(9),
        r.checkOk ? "OK" : "FAILED",
      ].join("  ")}`,
    );
  }
  const methods = [...new Set(rows.map((r) => r.method).filter((m): m is string => Boolean(m)))];
  for (const m of methods) console.log(`  (child run) = ${m}`);
  console.log(
    "  payouts/s: N ÷ time from start() until none is APPROVED/SENDING/UNKNOWN; steady: 10→90 % done; call: PayoutAttempt.latencyMs;",
  );
  console.log(
    "  claim→paid: the payout's claim audit event → succeededAt (includes waiting for the rail's rate); others %: other processes' CPU during (c), % of a core",
  );
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  await runDispatchBench(process.argv.slice(2));
  process.exit(process.exitCode ?? 0);
}
