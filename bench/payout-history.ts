/**
 * `npm run bench:history -- [--key=value …]`: the payout history at a million rows, measured through the
 * production server over HTTP. Prints figures and the method; never asserts a timing (docs/benchmarks.md,
 * "Payout history at a million rows", has the results and how to read them).
 *
 *   1. Seeds N payouts (default 1,000,000) with one set-based INSERT … SELECT generate_series: ~30 days, 20
 *      campaigns of skewed size, mostly SUCCEEDED with some FAILED / PENDING_APPROVAL / UNKNOWN / …, a distinct
 *      outBizNo per campaign, recipients 2088… (about 250,000 people), then VACUUM ANALYZE. Timed.
 *   2. Starts the production server exactly as `npm start` does (in the current directory, which must hold a
 *      build: run `npm run build` first), pointed at that database, with AUTH_SECRET, a free PORT,
 *      JOBS_IN_WEB=false and the ALIPAY_* of a local simulator started here; creates a viewer (payout:read,
 *      payout:export) and signs in over HTTP (GET /api/auth/csrf, POST /api/auth/callback/credentials).
 *   3. GET /payouts: the default view and filtered/sorted views, `--warmup` then `--repeat` times each,
 *      sequentially: time to the response headers, to the first body byte (TTFB) and to the last byte (the
 *      totals stream in last, in their Suspense boundary). Then the same reads in this process
 *      (listPayouts, payoutTotals from lib/payouts/queries, the page's own functions), with their SQL captured
 *      from Prisma's query log and run again under EXPLAIN (ANALYZE, BUFFERS).
 *   4. GET /api/payouts/export: a ~100k-row filter (3 days) and the whole table; rows/s, bytes, time, and the
 *      server process's memory (VmRSS sampled every 100 ms from /proc/<pid>/status, and VmHWM after resetting
 *      it through /proc/<pid>/clear_refs) before, during and after. The pid is that of the node process that
 *      listens on the port (npm → tsx → launcher → web server), checked to be a descendant of the npm we started.
 *
 * Database: BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres → a database `--database`
 * (default hongbao_bench_history) on that server, created afresh (or reused with --reuse=1 when it already holds
 * --rows payouts) and dropped at the end unless --keep=1. Without BENCH_DATABASE_URL: the embedded PGlite
 * (served over the wire protocol from a child process, as the launcher serves it apart from the web server),
 * in a temporary directory, default --rows=100000.
 *
 * Options (defaults): --rows=1000000 --database=hongbao_bench_history --reuse=0 --keep=0 --repeat=20 --warmup=3
 *   --exports=range,all (which exports to run: range = 3 days ≈ 10 % of the rows, all = every row; "none")
 *   --export-timeout=1800 (seconds; an export still running then is cancelled and reported as partial)
 *   --quiet-wait=60 (seconds to wait, before each measured view and export, for other people's processes on
 *   the shared machine to use less than a third of a core; the figures print what they used meanwhile)
 *   --plans=<file> (every EXPLAIN ANALYZE plan in full) --json=<file> (the figures as JSON) --what-if=1 (after
 *   the HTTP measurements, EXPLAIN ANALYZE of the suggested fixes: NOT console code, bench-only SQL/indexes,
 *   removed again) --views=1 --direct=1 (0 skips step 3 over HTTP / step 3b in process)
 *   --server-node-options= (NODE_OPTIONS for `npm start`, e.g. "--trace-gc" or "--max-old-space-size=128")
 *
 * lib/env.ts reads the environment once, when it is first imported: every console module is imported
 * dynamically, after this file has set DATABASE_URL.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { CAMPAIGNS, DAYS, seedStatements } from "./support/payout-seed";
import {
  startBenchSimulator,
  startPgliteChild,
  startServer,
  stopServer,
  type Server,
} from "./support/production-server";

const VIEWER = { email: "viewer@bench.example", password: "bench-history-viewer-password" };

type Options = {
  rows: number;
  database: string;
  reuse: number;
  keep: number;
  repeat: number;
  warmup: number;
  exports: string;
  exportTimeout: number;
  quietWait: number;
  plans: string | null;
  json: string | null;
  whatIf: number;
  views: number;
  direct: number;
  serverNodeOptions: string;
};

function parseOptions(args: string[], pglite: boolean): Options {
  const options: Options = {
    rows: pglite ? 100_000 : 1_000_000,
    database: "hongbao_bench_history",
    reuse: 0,
    keep: 0,
    repeat: 20,
    warmup: 3,
    exports: "range,all",
    exportTimeout: 1800,
    quietWait: 60,
    plans: null,
    json: null,
    whatIf: 1,
    views: 1,
    direct: 1,
    serverNodeOptions: "",
  };
  for (const arg of args) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!match) throw new Error(`unexpected argument ${arg} (use --key=value)`);
    const [, key = "", value = ""] = match;
    const name = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof Options;
    if (!(name in options)) throw new Error(`unknown option --${key}`);
    if (
      name === "database" ||
      name === "exports" ||
      name === "plans" ||
      name === "json" ||
      name === "serverNodeOptions"
    ) {
      options[name] = value;
    } else {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--${key} must be a whole number`);
      options[name] = n;
    }
  }
  if (!/^[a-z_][a-z0-9_]*$/.test(options.database))
    throw new Error("--database: lower-case letters, digits, _");
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
const median = (values: number[]) => quantile(values, 0.5);
const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "–";
const mib = (kib: number) => `${fmt(kib / 1024, 0)} MiB`;

/** Busy and total jiffies of the whole machine (/proc/stat), to say how loaded the shared machine was. */
function machineJiffies(): { busy: number; total: number } {
  const cpu = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!cpu) return { busy: 0, total: 0 };
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}

/** Machine CPU use over a phase, in % of one core (200 % = both cores busy). */
function machineMeter(): () => number {
  const start = machineJiffies();
  return () => {
    const end = machineJiffies();
    const total = end.total - start.total;
    return total > 0 ? ((end.busy - start.busy) / total) * os.cpus().length * 100 : NaN;
  };
}

/**
 * CPU time (ms) used so far by: the whole machine, the web server, this process, and every PostgreSQL process
 * (all databases: the server is shared). "Others" over a phase = machine − these, i.e. other people's work.
 */
type CpuSnapshot = { machine: number; server: number; self: number; postgres: number };

function cpuSnapshot(serverPid: number | null, databasePid: number | null): CpuSnapshot {
  const machine = machineJiffies().busy * 10; // USER_HZ = 100
  // PostgreSQL's backends and parallel workers come and go: the postmaster's cutime/cstime holds what its
  // reaped children used, so "postmaster with children + every live postgres process" only ever grows.
  const postgresPids = new Map<number, { ppid: number; ms: number; childrenMs: number }>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (comm !== "postgres" && Number(entry) !== databasePid) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      postgresPids.set(Number(entry), {
        ppid: Number(fields[1]),
        ms: (Number(fields[11]) + Number(fields[12])) * 10,
        childrenMs: (Number(fields[13]) + Number(fields[14])) * 10,
      });
    } catch {
      // the process ended meanwhile
    }
  }
  let postgres = 0;
  for (const { ppid, ms, childrenMs } of postgresPids.values()) {
    postgres += ms + (postgresPids.has(ppid) ? 0 : childrenMs);
  }
  const usage = process.cpuUsage();
  return {
    machine,
    server: serverPid ? processCpuMs(serverPid) : 0,
    self: (usage.user + usage.system) / 1000,
    postgres,
  };
}

/** CPU use between two snapshots over `wallMs`, in % of one core. */
function cpuPercent(a: CpuSnapshot, b: CpuSnapshot, wallMs: number) {
  const pct = (ms: number) => (ms / wallMs) * 100;
  const machine = pct(b.machine - a.machine);
  const server = pct(b.server - a.server);
  const self = pct(b.self - a.self);
  const postgres = pct(b.postgres - a.postgres);
  return { machine, server, self, postgres, others: Math.max(0, machine - server - self - postgres) };
}

/**
 * The machine is shared: before a measured phase, wait (at most `maxSeconds`) until other people's processes
 * (not ours, not PostgreSQL's) use less than a third of a core over a second. Returns what they used at the end.
 */
async function waitForQuiet(maxSeconds: number, serverPid: number | null, databasePid: number | null) {
  const started = performance.now();
  for (;;) {
    const a = cpuSnapshot(serverPid, databasePid);
    const t = performance.now();
    await sleep(1000);
    const use = cpuPercent(a, cpuSnapshot(serverPid, databasePid), performance.now() - t);
    const waited = (performance.now() - started) / 1000;
    if (use.others + use.postgres < 33 || waited >= maxSeconds)
      return { others: use.others + use.postgres, waited };
  }
}

/** CPU time (ms) a process has used: utime + stime from /proc/<pid>/stat. */
function processCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

function memoryKib(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: field("VmRSS"), hwm: field("VmHWM") };
}

/** Resets the process's peak RSS (VmHWM) to its current RSS (Linux ≥ 4.0; needs to own the process or root). */
function resetPeakRss(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

type Timed = {
  status: number;
  headers: http.IncomingHttpHeaders;
  headersMs: number;
  firstByteMs: number;
  totalMs: number;
  bytes: number;
  body: string;
};

/**
 * One request, timed from just before it is written: to the response headers, to the first body byte, to the
 * end. `onChunk` sees every body chunk (the body is kept only when `keepBody`); `signal` cancels it.
 */
function timedRequest(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    keepBody?: boolean;
    onChunk?: (chunk: Buffer, elapsedMs: number) => void;
    signal?: AbortSignal;
  } = {},
): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = http.request(
      url,
      { method: init.method ?? "GET", headers: init.headers, agent, signal: init.signal },
      (res) => {
        const headersMs = performance.now() - start;
        let firstByteMs = NaN;
        let bytes = 0;
        const parts: Buffer[] = [];
        res.on("data", (chunk: Buffer) => {
          const now = performance.now() - start;
          if (bytes === 0) firstByteMs = now;
          bytes += chunk.length;
          if (init.keepBody) parts.push(chunk);
          init.onChunk?.(chunk, now);
        });
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            headersMs,
            firstByteMs,
            totalMs: performance.now() - start,
            bytes,
            body: Buffer.concat(parts).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

function setCookies(headers: http.IncomingHttpHeaders): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const line of headers["set-cookie"] ?? []) {
    const [pair = ""] = line.split(";");
    const eq = pair.indexOf("=");
    if (eq > 0) jar[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return jar;
}

const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");

/** Auth.js credentials sign-in over HTTP; returns the cookie header of the session. */
async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrf = await timedRequest(`${base}/api/auth/csrf`, { keepBody: true });
  const jar = setCookies(csrf.headers);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const form = new URLSearchParams({ email, password, csrfToken, callbackUrl: `${base}/payouts` });
  const answer = await timedRequest(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: cookieHeader(jar),
    },
    body: form.toString(),
  });
  Object.assign(jar, setCookies(answer.headers));
  const session = Object.keys(jar).find((name) => /authjs\.session-token/.test(name));
  if (!session || String(answer.headers.location ?? "").includes("error")) {
    throw new Error(`sign-in failed: HTTP ${answer.status}, location ${String(answer.headers.location)}`);
  }
  return cookieHeader(jar);
}

// ---------------------------------------------------------------------------------------------------------------
// Seeding

type SeedReport = { insertMs: number; vacuumMs: number; tableMiB: number; indexesMiB: number; rows: number };

async function seed(client: pg.Client, rows: number): Promise<SeedReport> {
  const statements = seedStatements(rows);
  const started = performance.now();
  for (const sql of statements) await client.query(sql);
  const insertMs = performance.now() - started;
  const vacuumStart = performance.now();
  await client.query(`VACUUM ANALYZE`);
  const vacuumMs = performance.now() - vacuumStart;
  return { insertMs, vacuumMs, ...(await sizes(client)) };
}

async function sizes(client: pg.Client) {
  const { rows } = await client.query<{ heap: string; indexes: string; n: string }>(
    `SELECT pg_table_size('"Payout"') AS heap, pg_indexes_size('"Payout"') AS indexes,
       (SELECT count(*) FROM "Payout") AS n`,
  );
  const row = rows[0];
  return {
    tableMiB: Number(row?.heap ?? 0) / 2 ** 20,
    indexesMiB: Number(row?.indexes ?? 0) / 2 ** 20,
    rows: Number(row?.n ?? 0),
  };
}

/** The viewer the bench signs in as (finance: payout:read and payout:export), with an argon2id hash. */
async function createViewer(client: pg.Client): Promise<void> {
  const { hashPassword } = await import("../lib/auth/password");
  await client.query(
    `INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt")
     VALUES ('cbenchviewer0000000000000', $1, 'Bench viewer', 'viewer', $2, now())
     ON CONFLICT (email) DO UPDATE SET "passwordHash" = EXCLUDED."passwordHash", "disabledAt" = NULL`,
    [VIEWER.email, await hashPassword(VIEWER.password)],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The views

type View = { label: string; params: Record<string, string> };

/** Shanghai calendar day `daysAgo` days before today, as the filters take it (YYYY-MM-DD). */
function shanghaiDay(daysAgo: number): string {
  return new Date(Date.now() + 8 * 3_600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

async function chooseViews(client: pg.Client, rows: number) {
  const middle = await client.query<{ outBizNo: string; identity: string }>(
    `SELECT "outBizNo", identity FROM "Payout" ORDER BY "createdAt", id OFFSET $1 LIMIT 1`,
    [Math.floor(rows / 2)],
  );
  const campaigns = await client.query<{ campaignId: string; n: string }>(
    `SELECT "campaignId", count(*) AS n FROM "Payout" GROUP BY 1 ORDER BY 2`,
  );
  // A middle-sized campaign (about 5 % of the payouts).
  const campaign = campaigns.rows[Math.floor(campaigns.rows.length / 2)];
  const sample = middle.rows[0];
  if (!sample || !campaign) throw new Error("no payouts to look at");
  const day = shanghaiDay(15);
  const views: View[] = [
    { label: "default (newest first, page 1)", params: {} },
    { label: "status=FAILED", params: { status: "FAILED" } },
    { label: "status=PENDING_APPROVAL", params: { status: "PENDING_APPROVAL" } },
    { label: `campaign (${fmt(Number(campaign.n))} payouts)`, params: { campaign: campaign.campaignId } },
    { label: "outBizNo (one payout)", params: { outBizNo: sample.outBizNo } },
    { label: "recipient (one person)", params: { recipient: sample.identity } },
    { label: "one day (from=to)", params: { from: day, to: day } },
    { label: "sorted by amount (desc)", params: { sort: "amountFen.desc" } },
    { label: "sorted by status", params: { sort: "status.asc" } },
    { label: "search box q=<outBizNo>", params: { q: sample.outBizNo } },
    { label: "page 500 (offset 9,980)", params: { page: "500" } },
  ];
  const exports: View[] = [
    { label: "3 days (range)", params: { from: shanghaiDay(17), to: shanghaiDay(15) } },
    { label: "all rows", params: {} },
  ];
  return { views, exports, campaignRows: Number(campaign.n) };
}

const query = (params: Record<string, string>) => {
  const search = new URLSearchParams(params).toString();
  return search ? `?${search}` : "";
};

type ViewResult = {
  label: string;
  path: string;
  status: number;
  rows: number;
  headers: { p50: number; p95: number };
  ttfb: { p50: number; p95: number; max: number };
  total: { p50: number; p95: number };
  bytes: number;
  totalsShown: boolean;
  /** CPU use during the timed requests, % of one core: server, PostgreSQL (all databases), others. */
  cpu: ReturnType<typeof cpuPercent>;
  quietWaitSeconds: number;
};

async function measureViews(
  base: string,
  cookie: string,
  views: View[],
  options: Options,
  serverPid: number,
  databasePid: number | null,
): Promise<ViewResult[]> {
  const results: ViewResult[] = [];
  console.log(
    `\n[3] GET /payouts over HTTP: ${options.warmup} warm-up + ${options.repeat} timed requests per view, one at a time`,
  );
  console.log(
    `  ${"view".padEnd(34)} ${"TTFB p50".padStart(9)} ${"p95".padStart(7)} ${"max".padStart(7)}   ${"total p50".padStart(9)} ${"p95".padStart(7)}   rows  KiB   server CPU/req  others' CPU`,
  );
  for (const view of views) {
    const pathname = `/payouts${query(view.params)}`;
    const url = `${base}${pathname}`;
    const headers = { cookie };
    let last: Timed | null = null;
    for (let i = 0; i < options.warmup; i++) last = await timedRequest(url, { headers, keepBody: true });
    const quiet = await waitForQuiet(options.quietWait, serverPid, databasePid);
    const samples: Timed[] = [];
    const cpuStart = cpuSnapshot(serverPid, databasePid);
    const wallStart = performance.now();
    for (let i = 0; i < options.repeat; i++) {
      last = await timedRequest(url, { headers, keepBody: i === options.repeat - 1 });
      samples.push(last);
    }
    const cpuEnd = cpuSnapshot(serverPid, databasePid);
    const cpuPerRequest = (cpuEnd.server - cpuStart.server) / options.repeat;
    const cpu = cpuPercent(cpuStart, cpuEnd, performance.now() - wallStart);
    const body = last?.body ?? "";
    if (last?.status !== 200) throw new Error(`${pathname}: HTTP ${last?.status}`);
    // Each table row links to its payout's detail page.
    const rows = new Set(body.match(/\/payouts\/c[0-9a-z]{24}/g) ?? []).size;
    const result: ViewResult = {
      label: view.label,
      path: pathname,
      status: last.status,
      rows,
      headers: {
        p50: median(samples.map((s) => s.headersMs)),
        p95: quantile(
          samples.map((s) => s.headersMs),
          0.95,
        ),
      },
      ttfb: {
        p50: median(samples.map((s) => s.firstByteMs)),
        p95: quantile(
          samples.map((s) => s.firstByteMs),
          0.95,
        ),
        max: Math.max(...samples.map((s) => s.firstByteMs)),
      },
      total: {
        p50: median(samples.map((s) => s.totalMs)),
        p95: quantile(
          samples.map((s) => s.totalMs),
          0.95,
        ),
      },
      bytes: median(samples.map((s) => s.bytes)),
      totalsShown: body.includes('data-testid="payout-totals"'),
      cpu,
      quietWaitSeconds: quiet.waited,
    };
    results.push(result);
    console.log(
      `  ${view.label.padEnd(34)} ${fmt(result.ttfb.p50, 1).padStart(9)} ${fmt(result.ttfb.p95, 1).padStart(7)} ${fmt(result.ttfb.max, 0).padStart(7)}   ${fmt(result.total.p50, 1).padStart(9)} ${fmt(result.total.p95, 1).padStart(7)}   ${String(rows).padStart(4)} ${fmt(result.bytes / 1024).padStart(4)}   ${fmt(cpuPerRequest, 0).padStart(6)} ms ${fmt(cpu.others).padStart(8)} %${result.totalsShown ? "" : "  (totals missing!)"}`,
    );
  }
  const headersEarly = results.every((r) => r.headers.p50 < r.ttfb.p50 - 1);
  console.log(
    `  (times in ms; headers arrive ${headersEarly ? "before" : "with"} the first body byte; "total" includes the streamed totals)`,
  );
  return results;
}

// ---------------------------------------------------------------------------------------------------------------
// The same reads in this process, their SQL, and EXPLAIN ANALYZE

type Captured = { sql: string; params: unknown[] };

type DirectResult = {
  label: string;
  listMs: { p50: number; p95: number };
  totalsMs: { p50: number; p95: number };
  statements: Array<{ sql: string; executionMs: number; planningMs: number; plan: string }>;
};

async function loggingClient(databaseUrl: string, captured: Captured[]) {
  const { PrismaClient } = await import("../generated/prisma/client");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const client = new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }),
    log: [{ emit: "event", level: "query" }],
  });
  client.$on("query", (event) => {
    captured.push({ sql: event.query, params: JSON.parse(event.params) as unknown[] });
  });
  // lib/db.ts keeps its client here: the console's own functions then run on this one.
  (globalThis as unknown as { hongbaoPrisma?: unknown }).hongbaoPrisma = client;
  return client;
}

async function explain(client: pg.Client, statement: Captured) {
  const { rows } = await client.query<{ "QUERY PLAN": string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`,
    statement.params,
  );
  const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
  const executionMs = Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN);
  const planningMs = Number(/Planning Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN);
  return { plan, executionMs, planningMs };
}

/** Which of the page's reads a captured statement is: the rows, the bounded count, or a totals aggregate. */
function statementKind(sql: string): string {
  if (/SUM\(/i.test(sql)) return "totals";
  if (/COUNT\(/i.test(sql)) return "count";
  return "rows";
}

/** The plan's nodes without the buffer and timing-detail lines, for a compact print. */
function compactPlan(plan: string, maxLines = 14): string {
  return plan
    .split("\n")
    .filter(
      (l) =>
        !/^\s*(Buffers|Planning:|Planning Time|Execution Time|JIT:|  Functions|  Options|  Timing|I\/O Timings)/.test(
          l,
        ),
    )
    .slice(0, maxLines)
    .map((l) => `      ${l}`)
    .join("\n");
}

async function measureDirect(
  databaseUrl: string,
  admin: pg.Client,
  views: View[],
  options: Options,
  plansOut: string[],
): Promise<DirectResult[]> {
  const captured: Captured[] = [];
  const prisma = await loggingClient(databaseUrl, captured);
  const { listPayouts, payoutTotals } = await import("../lib/payouts/queries");
  const { payoutListQuerySchema } = await import("../lib/validation/payouts");
  const actor = {
    type: "USER" as const,
    userId: "cbenchviewer0000000000000",
    email: VIEWER.email,
    name: "Bench viewer",
    role: "viewer" as const,
    ip: null,
    userAgent: null,
  };
  const results: DirectResult[] = [];
  console.log(
    `\n[3b] The page's reads in this process (listPayouts = rows + bounded count; payoutTotals = the Suspense totals),` +
      `\n     ${options.repeat} runs each after a warm-up; then each statement once more under EXPLAIN (ANALYZE, BUFFERS)`,
  );
  for (const view of views) {
    const q = payoutListQuerySchema("Asia/Shanghai").parse(view.params);
    await listPayouts(actor, q);
    await payoutTotals(actor, q);
    const listSamples: number[] = [];
    for (let i = 0; i < options.repeat; i++) {
      const t = performance.now();
      await listPayouts(actor, q);
      listSamples.push(performance.now() - t);
    }
    const totalsSamples: number[] = [];
    const totalsRuns = Math.max(3, Math.ceil(options.repeat / 4));
    for (let i = 0; i < totalsRuns; i++) {
      const t = performance.now();
      await payoutTotals(actor, q);
      totalsSamples.push(performance.now() - t);
    }
    captured.length = 0;
    await listPayouts(actor, q);
    await payoutTotals(actor, q);
    const statements = [];
    for (const statement of captured.splice(0)) {
      if (!/"Payout"/.test(statement.sql)) continue; // the campaign-name lookups are by primary key
      const explained = await explain(admin, statement);
      statements.push({ sql: statement.sql, ...explained });
      plansOut.push(
        `-- ${view.label}\n-- params: ${JSON.stringify(statement.params)}\n${statement.sql}\n\n${explained.plan}\n`,
      );
    }
    const result: DirectResult = {
      label: view.label,
      listMs: { p50: median(listSamples), p95: quantile(listSamples, 0.95) },
      totalsMs: { p50: median(totalsSamples), p95: quantile(totalsSamples, 0.95) },
      statements,
    };
    results.push(result);
    const explainSummary = statements
      .map((s) => `${statementKind(s.sql)} ${fmt(s.executionMs, 1)}`)
      .join(", ");
    console.log(
      `  ${view.label.padEnd(34)} listPayouts p50 ${fmt(result.listMs.p50, 1)} ms p95 ${fmt(result.listMs.p95, 1)} ms; payoutTotals p50 ${fmt(result.totalsMs.p50, 0)} ms   EXPLAIN ms: ${explainSummary}`,
    );
  }
  // The plans of the slowest statements, compact.
  const slow = results
    .flatMap((r) => r.statements.map((s) => ({ view: r.label, ...s })))
    .filter((s) => s.executionMs > 50)
    .sort((a, b) => b.executionMs - a.executionMs)
    .slice(0, 4);
  for (const s of slow) {
    console.log(`\n    ${s.view}: ${fmt(s.executionMs, 1)} ms (planning ${fmt(s.planningMs, 1)} ms)`);
    console.log(`      ${s.sql.replace(/\s+/g, " ").slice(0, 300)}${s.sql.length > 300 ? " …" : ""}`);
    console.log(compactPlan(s.plan));
  }
  await prisma.$disconnect();
  return results;
}

/**
 * The export's keyset query as the console sends it (captured from iteratePayouts' second chunk), explained
 * with the cursor at the start, in the middle and near the end of the table.
 */
async function explainExportChunks(databaseUrl: string, admin: pg.Client, rows: number, plansOut: string[]) {
  const captured: Captured[] = [];
  const prisma = await loggingClient(databaseUrl, captured);
  const { iteratePayouts } = await import("../lib/payouts/export");
  const { payoutListQuerySchema } = await import("../lib/validation/payouts");
  const actor = {
    type: "USER" as const,
    userId: "cbenchviewer0000000000000",
    email: VIEWER.email,
    name: "Bench viewer",
    role: "viewer" as const,
    ip: null,
    userAgent: null,
  };
  const q = payoutListQuerySchema("Asia/Shanghai").parse({});
  let n = 0;
  for await (const _row of iteratePayouts(actor, q, undefined, 1000)) if (++n >= 1001) break;
  await prisma.$disconnect();
  const chunk = captured.filter((c) => /"Payout"/.test(c.sql) && /ORDER BY/.test(c.sql))[1];
  if (!chunk) {
    console.log("  (could not capture the export's keyset query)");
    return [];
  }
  const cursorAt = async (offset: number) => {
    const { rows: r } = await admin.query<{ createdAt: Date; id: string }>(
      `SELECT "createdAt", id FROM "Payout" ORDER BY "createdAt" DESC, id DESC OFFSET $1 LIMIT 1`,
      [offset],
    );
    return r[0];
  };
  const first = await cursorAt(999);
  if (!first) return [];
  const firstIso = first.createdAt.toISOString();
  const results: Array<{ offset: number; executionMs: number }> = [];
  console.log(`\n  The export's keyset chunk query (1,000 rows after a cursor), as iteratePayouts sends it:`);
  console.log(`      ${chunk.sql.replace(/\s+/g, " ").slice(0, 400)}${chunk.sql.length > 400 ? " …" : ""}`);
  for (const offset of [999, Math.floor(rows / 2), rows - 2000]) {
    const cursor = await cursorAt(offset);
    if (!cursor) continue;
    const params = chunk.params.map((p) => {
      if (typeof p === "string" && p.startsWith(firstIso.slice(0, 19))) return cursor.createdAt.toISOString();
      if (p === first.id) return cursor.id;
      return p;
    });
    const explained = await explain(admin, { sql: chunk.sql, params });
    results.push({ offset, executionMs: explained.executionMs });
    plansOut.push(
      `-- export chunk, cursor after ${offset} rows\n-- params: ${JSON.stringify(params)}\n${chunk.sql}\n\n${explained.plan}\n`,
    );
    console.log(`    cursor after ${fmt(offset).padStart(9)} rows: ${fmt(explained.executionMs, 1)} ms`);
    if (offset === Math.floor(rows / 2)) console.log(compactPlan(explained.plan, 8));
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------------------
// Export

type ExportResult = {
  label: string;
  path: string;
  complete: boolean;
  rows: number;
  expectedRows: number;
  bytes: number;
  firstByteMs: number;
  totalMs: number;
  rowsPerSecond: number;
  /** Rows/s over the first and last tenth of the rows: a keyset walk should not slow down as it goes. */
  firstTenthRowsPerSecond: number;
  lastTenthRowsPerSecond: number;
  /** Rows/s over each tenth of the rows, in order. */
  tenthsRowsPerSecond: number[];
  rssBeforeKib: number;
  rssPeakKib: number;
  hwmKib: number;
  rssAfterKib: number;
  serverCpuMs: number;
  /** CPU use during the download, % of one core: server, PostgreSQL (all databases), others. */
  cpu: ReturnType<typeof cpuPercent>;
};

async function measureExport(
  base: string,
  cookie: string,
  view: View,
  expectedRows: number,
  pid: number,
  databasePid: number | null,
  options: Options,
): Promise<ExportResult> {
  const pathname = `/api/payouts/export${query(view.params)}`;
  await sleep(2000);
  await waitForQuiet(options.quietWait, pid, databasePid);
  const before = memoryKib(pid).rss;
  const hwmReset = resetPeakRss(pid);
  const samples: Array<{ t: number; rss: number }> = [];
  let newlines = 0;
  const progress: Array<{ t: number; rows: number }> = [];
  const started = performance.now();
  const sampler = setInterval(() => {
    samples.push({ t: performance.now() - started, rss: memoryKib(pid).rss });
  }, 100);
  const cpuStart = cpuSnapshot(pid, databasePid);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.exportTimeout * 1000);
  let result: Timed | null = null;
  let complete = true;
  try {
    result = await timedRequest(`${base}${pathname}`, {
      headers: { cookie },
      signal: controller.signal,
      onChunk: (chunk, t) => {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
        progress.push({ t, rows: newlines - 1 });
      },
    });
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    complete = false;
  } finally {
    clearTimeout(timer);
    clearInterval(sampler);
  }
  const totalMs = result?.totalMs ?? performance.now() - started;
  const cpuEnd = cpuSnapshot(pid, databasePid);
  const serverCpuMs = cpuEnd.server - cpuStart.server;
  const cpu = cpuPercent(cpuStart, cpuEnd, totalMs);
  const hwm = hwmReset ? memoryKib(pid).hwm : NaN;
  await sleep(2000);
  const after = memoryKib(pid).rss;
  const rows = Math.max(0, newlines - 1);
  const rateBetween = (fromRows: number, toRows: number) => {
    const a = progress.find((p) => p.rows >= fromRows);
    const b = progress.find((p) => p.rows >= toRows);
    return a && b && b.t > a.t ? ((b.rows - a.rows) / (b.t - a.t)) * 1000 : NaN;
  };
  return {
    label: view.label,
    path: pathname,
    complete,
    rows,
    expectedRows,
    bytes: result?.bytes ?? progress.length,
    firstByteMs: result?.firstByteMs ?? NaN,
    totalMs,
    rowsPerSecond: (rows / totalMs) * 1000,
    firstTenthRowsPerSecond: rateBetween(0, rows / 10),
    tenthsRowsPerSecond: Array.from({ length: 10 }, (_, i) =>
      rateBetween((rows * i) / 10, (rows * (i + 1)) / 10),
    ),
    lastTenthRowsPerSecond: rateBetween(rows * 0.9, rows),
    rssBeforeKib: before,
    rssPeakKib: Math.max(before, ...samples.map((s) => s.rss)),
    hwmKib: hwm,
    rssAfterKib: after,
    serverCpuMs,
    cpu,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// What-if: the suggested fixes, measured on the bench database only (not console code)

async function whatIf(admin: pg.Client, rows: number, plansOut: string[]) {
  console.log(`\n[what-if] suggested fixes, bench-only SQL on this database (removed again afterwards):`);
  const run = async (label: string, sql: string, params: unknown[] = []) => {
    const explained = await explain(admin, { sql, params });
    plansOut.push(
      `-- what-if: ${label}\n-- params: ${JSON.stringify(params)}\n${sql}\n\n${explained.plan}\n`,
    );
    console.log(`  ${label.padEnd(78)} ${fmt(explained.executionMs, 1).padStart(8)} ms`);
    return explained.executionMs;
  };
  const { rows: cur } = await admin.query<{ createdAt: Date; id: string }>(
    `SELECT "createdAt", id FROM "Payout" ORDER BY "createdAt" DESC, id DESC OFFSET $1 LIMIT 1`,
    [Math.floor(rows / 2)],
  );
  const cursor = cur[0];
  const figures: Record<string, number> = {};
  if (cursor) {
    const select = `SELECT id, "createdAt" FROM "Payout"`;
    figures.keysetRowValues = await run(
      'export chunk at the middle, row comparison ("createdAt", id) < ($1, $2)',
      `${select} WHERE ("createdAt", id) < ($1::timestamp(3), $2) ORDER BY "createdAt" DESC, id DESC LIMIT 1000`,
      [cursor.createdAt.toISOString(), cursor.id],
    );
    figures.keysetLteAndOr = await run(
      "export chunk at the middle, createdAt <= $1 AND (createdAt < $1 OR (= AND id <))",
      `${select} WHERE "createdAt" <= $1::timestamp(3) AND ("createdAt" < $1::timestamp(3) OR ("createdAt" = $1::timestamp(3) AND id < $2))
       ORDER BY "createdAt" DESC, id DESC LIMIT 1000`,
      [cursor.createdAt.toISOString(), cursor.id],
    );
  }
  const twoScans = [
    await run(
      "totals of the default view as now, 1/2: count + sum(amountFen) WHERE awardedFen IS NULL",
      `SELECT COUNT(*), SUM("amountFen") FROM (SELECT id, "amountFen" FROM "Payout" WHERE "awardedFen" IS NULL OFFSET 0) AS sub`,
    ),
    await run(
      "totals of the default view as now, 2/2: count + sum(awardedFen) WHERE awardedFen IS NOT NULL",
      `SELECT COUNT(*), SUM("awardedFen") FROM (SELECT id, "awardedFen" FROM "Payout" WHERE "awardedFen" IS NOT NULL OFFSET 0) AS sub`,
    ),
  ];
  figures.totalsTwoScans = twoScans[0]! + twoScans[1]!;
  figures.totalsOneScan = await run(
    "totals of the default view in one scan: count(*), sum(coalesce(awardedFen, amountFen))",
    `SELECT count(*), sum(coalesce("awardedFen", "amountFen")) FROM "Payout"`,
  );
  // The bounded count: Prisma's count({ take }) orders its subquery by id, which walks the primary key and
  // filters; ordered like the rows (or not at all) it follows the filter's own index.
  for (const status of ["FAILED", "PENDING_APPROVAL"]) {
    const where = `WHERE status = '${status}'`;
    figures[`count${status}ById`] = await run(
      `bounded count status=${status}, as now (subquery ORDER BY id)`,
      `SELECT COUNT(*) FROM (SELECT id FROM "Payout" ${where} ORDER BY id ASC LIMIT 10001 OFFSET 0) AS sub`,
    );
    figures[`count${status}ByTime`] = await run(
      `bounded count status=${status}, subquery ORDER BY "createdAt" DESC, id DESC`,
      `SELECT COUNT(*) FROM (SELECT id FROM "Payout" ${where} ORDER BY "createdAt" DESC, id DESC LIMIT 10001 OFFSET 0) AS sub`,
    );
    figures[`count${status}Unordered`] = await run(
      `bounded count status=${status}, no ORDER BY (raw SQL)`,
      `SELECT COUNT(*) FROM (SELECT 1 FROM "Payout" ${where} LIMIT 10001) AS sub`,
    );
  }
  // Sort by amount. Amounts are per campaign here (a fixed packet), as in real use: an amount index alone is
  // walked past every other campaign's rows when the view is one campaign's (the campaign page's table).
  const { rows: largest } = await admin.query<{ campaignId: string }>(
    `SELECT "campaignId" FROM "Payout" GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
  );
  const campaignId = largest[0]?.campaignId ?? "";
  const order = `ORDER BY "amountFen" DESC, "createdAt" DESC, id DESC LIMIT 20`;
  const amountViews: Array<[string, string, unknown[]]> = [
    ["sort by amount", `SELECT id FROM "Payout" ${order}`, []],
    [
      "sort by amount + the largest campaign",
      `SELECT id FROM "Payout" WHERE "campaignId" = $1 ${order}`,
      [campaignId],
    ],
    ["sort by amount + status=FAILED", `SELECT id FROM "Payout" WHERE status = 'FAILED' ${order}`, []],
  ];
  const amountRuns = async (setup: string) => {
    for (const [label, sql, params] of amountViews) {
      figures[`${label} — ${setup}`] = await run(`${label}, ${setup}`, sql, params);
    }
  };
  await amountRuns("no amount index (as now)");
  const indexes = [
    [`bench_Payout_amountFen_createdAt_id_idx`, `("amountFen", "createdAt", id)`],
    [`bench_Payout_campaignId_amountFen_createdAt_id_idx`, `("campaignId", "amountFen", "createdAt", id)`],
  ] as const;
  const [global, perCampaign] = indexes;
  let started = performance.now();
  await admin.query(`CREATE INDEX "${global[0]}" ON "Payout" ${global[1]}`);
  console.log(`  (INDEX ${global[1]} built in ${fmt((performance.now() - started) / 1000, 1)} s)`);
  await amountRuns(`INDEX ${global[1]} only`);
  started = performance.now();
  await admin.query(`CREATE INDEX "${perCampaign[0]}" ON "Payout" ${perCampaign[1]}`);
  console.log(`  (INDEX ${perCampaign[1]} built in ${fmt((performance.now() - started) / 1000, 1)} s)`);
  await amountRuns("both indexes");
  for (const [name] of indexes) await admin.query(`DROP INDEX "${name}"`);
  return figures;
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  const pglite = !serverUrl;
  const options = parseOptions(process.argv.slice(2), pglite);
  const load = os.loadavg().map((l) => l.toFixed(2));
  console.log(`Payout history benchmark — ${new Date().toISOString()}`);
  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, ${os.platform()} ${os.release()}, ` +
      `${fmt(os.totalmem() / 2 ** 30, 0)} GiB; load average ${load.join(" ")} (shared machine)`,
  );
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    throw new Error("no production build here: run `npm run build` first (npm start would build it itself)");
  }

  // --- the database -------------------------------------------------------------------------------------------
  let databaseUrl: string;
  let pgliteProc: ChildProcess | null = null;
  let databasePid: number | null = null;
  let pgliteDir: string | null = null;
  let dropDatabase: (() => Promise<void>) | null = null;
  let label: string;
  if (serverUrl) {
    const url = new URL(serverUrl);
    url.pathname = `/${options.database}`;
    databaseUrl = url.toString();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [options.database]))
      .rowCount;
    if (!(options.reuse && exists)) {
      await admin.query(`DROP DATABASE IF EXISTS "${options.database}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${options.database}"`);
    }
    const version = (await admin.query<{ v: string }>(`SELECT current_setting('server_version') AS v`))
      .rows[0]?.v;
    label = `PostgreSQL ${version} at ${url.host}, database ${options.database}`;
    dropDatabase = async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${options.database}" WITH (FORCE)`);
      await admin.end();
    };
    if (options.keep) {
      dropDatabase = async () => {
        await admin.end();
      };
    }
  } else {
    pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), "hongbao-bench-history-pglite-"));
    const child = await startPgliteChild(path.join(pgliteDir, "db"));
    pgliteProc = child.proc;
    databasePid = child.proc.pid ?? null;
    databaseUrl = child.url;
    const version = JSON.parse(
      fs.readFileSync(path.join("node_modules", "@electric-sql", "pglite", "package.json"), "utf8"),
    ) as { version: string };
    label = `embedded PGlite ${version.version} (files in ${pgliteDir}), served from a child process`;
  }
  process.env.DATABASE_URL = databaseUrl;
  process.env.DATABASE_POOL_SIZE = "10";
  console.log(`Database: ${label}`);

  const sim = await startBenchSimulator();

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let server: Server | null = null;
  const plans: string[] = [];
  const figures: Record<string, unknown> = { label, options };
  try {
    // --- 1. seed ------------------------------------------------------------------------------------------------
    const existing = await sizes(client).catch(() => null);
    if (options.reuse && existing?.rows === options.rows) {
      console.log(`\n[1] Reusing ${fmt(existing.rows)} payouts already seeded (--reuse=1)`);
      figures.seed = { reused: true, ...existing };
    } else {
      const { migrateDeploy } = await import("../lib/runtime/migrate");
      const migrateStart = performance.now();
      await migrateDeploy(databaseUrl, { quiet: true });
      const migrateMs = performance.now() - migrateStart;
      const machine = machineMeter();
      const report = await seed(client, options.rows);
      const cpu = machine();
      figures.seed = { migrateMs, ...report };
      console.log(
        `\n[1] Seeded ${fmt(report.rows)} payouts (${CAMPAIGNS} campaigns, ${DAYS} days) with one INSERT … SELECT ` +
          `generate_series: ${fmt(report.insertMs / 1000, 1)} s (${fmt((report.rows / report.insertMs) * 1000)} rows/s), ` +
          `VACUUM ANALYZE ${fmt(report.vacuumMs / 1000, 1)} s; table ${fmt(report.tableMiB)} MiB + indexes ` +
          `${fmt(report.indexesMiB)} MiB (migrations ${fmt(migrateMs / 1000, 1)} s; machine CPU ${fmt(cpu)} % of a core)`,
      );
    }
    const distribution = await client.query<{ status: string; n: string }>(
      `SELECT status::text, count(*) AS n FROM "Payout" GROUP BY 1 ORDER BY 2 DESC`,
    );
    console.log(
      `    statuses: ${distribution.rows.map((r) => `${r.status} ${fmt((Number(r.n) / options.rows) * 100, 1)} %`).join(", ")}`,
    );
    await createViewer(client);
    const { views, exports } = await chooseViews(client, options.rows);

    // --- 2. the production server ------------------------------------------------------------------------------
    server = await startServer(databaseUrl, sim.env, options.serverNodeOptions);
    const cookie = await signIn(server.base, VIEWER.email, VIEWER.password);
    console.log(
      `\n[2] npm start (JOBS_IN_WEB=false) up in ${fmt(server.startMs / 1000, 1)} s at ${server.base}; serving node pid ` +
        `${server.pid} (${fs.readFileSync(`/proc/${server.pid}/cmdline`, "utf8").replaceAll("\0", " ").trim()}); ` +
        `signed in as ${VIEWER.email} (viewer); log in ${server.logFile}`,
    );

    // --- 3. the history pages ----------------------------------------------------------------------------------
    if (options.views) {
      figures.views = await measureViews(server.base, cookie, views, options, server.pid, databasePid);
    }

    // --- 4. the export -----------------------------------------------------------------------------------------
    const wanted = options.exports.split(",").map((s) => s.trim());
    const exportResults: ExportResult[] = [];
    console.log(`\n[4] GET /api/payouts/export, server RSS sampled every 100 ms (pid ${server.pid})`);
    for (const view of exports) {
      const key = view.label.startsWith("all") ? "all" : "range";
      if (!wanted.includes(key)) continue;
      const { payoutListQuerySchema } = await import("../lib/validation/payouts");
      const q = payoutListQuerySchema("Asia/Shanghai").parse(view.params);
      const expected = Number(
        (
          await client.query<{ n: string }>(
            `SELECT count(*) AS n FROM "Payout" WHERE ($1::timestamp IS NULL OR "createdAt" >= $1) AND ($2::timestamp IS NULL OR "createdAt" < $2)`,
            [q.from?.toISOString() ?? null, q.to?.toISOString() ?? null],
          )
        ).rows[0]?.n,
      );
      const r = await measureExport(server.base, cookie, view, expected, server.pid, databasePid, options);
      exportResults.push(r);
      console.log(
        `  ${r.label.padEnd(16)} ${r.complete ? "" : "CANCELLED after the timeout: "}${fmt(r.rows)} rows of ${fmt(r.expectedRows)}` +
          `${r.complete && r.rows !== r.expectedRows ? " (MISMATCH)" : ""}, ${fmt(r.bytes / 2 ** 20, 1)} MiB in ${fmt(r.totalMs / 1000, 1)} s ` +
          `= ${fmt(r.rowsPerSecond)} rows/s (first tenth ${fmt(r.firstTenthRowsPerSecond)}, last tenth ${fmt(r.lastTenthRowsPerSecond)} rows/s); ` +
          `first byte ${fmt(r.firstByteMs)} ms`,
      );
      console.log(
        `  ${"".padEnd(16)} server RSS before ${mib(r.rssBeforeKib)}, peak sampled ${mib(r.rssPeakKib)}, VmHWM ${Number.isFinite(r.hwmKib) ? mib(r.hwmKib) : "–"}, ` +
          `after ${mib(r.rssAfterKib)}; server CPU ${fmt(r.serverCpuMs / 1000, 1)} s (${fmt(r.cpu.server)} % of a core), PostgreSQL ${fmt(r.cpu.postgres)} %, ` +
          `this process ${fmt(r.cpu.self)} %, others ${fmt(r.cpu.others)} %`,
      );
      console.log(
        `  ${"".padEnd(16)} rows/s by tenth of the rows: ${r.tenthsRowsPerSecond.map((x) => fmt(x)).join(", ")}`,
      );
    }
    figures.exports = exportResults;
    await stopServer(server);
    server = null;

    // --- 3b. the same reads in this process, and their plans --------------------------------------------------
    if (options.direct) {
      figures.direct = await measureDirect(databaseUrl, client, views, options, plans);
      figures.exportChunks = await explainExportChunks(databaseUrl, client, options.rows, plans);
    }
    if (options.whatIf) figures.whatIf = await whatIf(client, options.rows, plans);
  } finally {
    if (server) await stopServer(server);
    await client.end();
    await sim.stop();
    if (dropDatabase) await dropDatabase();
    if (pgliteProc) {
      pgliteProc.send({ type: "stop" });
      await new Promise((resolve) => pgliteProc?.once("exit", resolve));
      if (pgliteDir && !options.keep) fs.rmSync(pgliteDir, { recursive: true, force: true });
    }
  }
  if (options.plans) fs.writeFileSync(options.plans, plans.join("\n\n"));
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(figures, null, 2));
  console.log(
    `\nDatabase ${serverUrl && options.keep ? `${options.database} kept (--keep=1)` : serverUrl ? `${options.database} dropped` : pgliteDir && options.keep ? `kept in ${pgliteDir}` : "removed"}.` +
      (options.plans ? ` Plans in ${options.plans}.` : ""),
  );
}

await main();
process.exit(process.exitCode ?? 0);
