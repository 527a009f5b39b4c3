/**
 * `npm run bench:api -- [--key=value …]`: the machine API's payout request path under load, through the
 * production server over HTTP. Prints figures and the method; never asserts a timing (docs/benchmarks.md,
 * "Machine API: accepting payouts", has the results and how to read them).
 *
 *   1. A database (embedded PGlite in its own process, or a fresh PostgreSQL database with BENCH_DATABASE_URL),
 *      migrated; one ACTIVE, funded campaign whose policy approves every packet automatically, and one API key
 *      (payout:request and payout:read, all campaigns) whose rate is high enough never to refuse.
 *   2. The production server exactly as `npm start` runs it (run `npm run build` first), JOBS_IN_WEB=false: the
 *      dispatcher does not run, so what is measured is accepting a payout (key check, rate count, idempotent
 *      insert, budget reservation, policy, audit event, commit), not paying it.
 *   3. autocannon, `--connections` (50) keep-alive connections for `--duration` seconds (20) after a
 *      `--warmup` (5 s) run: POST /api/v1/campaigns/{id}/payouts, each request a new outBizNo and recipient
 *      (async, no `wait`). Requests/s and latency percentiles as autocannon reports them (from the first byte
 *      sent to the last byte received, per request), and every status code seen; then the payouts in the
 *      database are counted (must equal the 201s).
 *      Before it, two floors with the same connections: GET /api/health (Next.js and the server's logging, no
 *      database) and GET of an unknown payout (key check, rate count, one read): what any route costs here.
 *   4. The identical replay: the same body sent again and again (answered 200 from the existing row), same
 *      connections and duration.
 *
 * Options (defaults): --connections=50 --duration=20 --warmup=5 --database=hongbao_bench_api --json=<file>
 */
import type { ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import {
  startBenchSimulator,
  startPgliteChild,
  startServer,
  stopServer,
  type Server,
} from "./support/production-server";

type Options = {
  connections: number;
  duration: number;
  warmup: number;
  database: string;
  json: string | null;
};

function parseOptions(args: string[]): Options {
  const get = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const int = (name: string, fallback: number) => {
    const raw = get(name);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
    return value;
  };
  return {
    connections: int("connections", 50),
    duration: int("duration", 20),
    warmup: int("warmup", 5),
    database: get("database") ?? "hongbao_bench_api",
    json: get("json") ?? null,
  };
}

const PACKET_FEN = 188;

/** One campaign that accepts everything it is sent, and a key for it. Returns the campaign id and the secret. */
async function seed(client: pg.Client): Promise<{ campaignId: string; secret: string }> {
  const { generateApiKeySecret } = await import("../lib/api-keys/secret");
  const userId = `u_bench_${crypto.randomBytes(6).toString("hex")}`;
  await client.query(
    `INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt")
     VALUES ($1, $2, 'Bench marketer', 'marketer', 'x', now())`,
    [userId, `${userId}@bench.example`],
  );
  const campaignId = `c_bench_${crypto.randomBytes(6).toString("hex")}`;
  await client.query(
    `INSERT INTO "Campaign" (id, name, "prizeMessage", "prizeType", rail, status, "budgetFen", "packetCount",
                             "endsAt", "frequencyLifetime", "defaultScene", "autoApproveMaxFen",
                             "autoApproveDailyCapFen", "crowdNo", "alipayStatus", "createdById", "createdByLabel",
                             "updatedAt")
     VALUES ($1, 'API bench', 'Thanks', 'FIXED', 'CASH_CAMPAIGN', 'ACTIVE', 2000000000, $2,
             now() + interval '30 days', 1, 'POINTS_REDEMPTION', $3, 2000000000, $4, 'READY', $5, 'bench', now())`,
    [campaignId, Math.floor(2_000_000_000 / PACKET_FEN), PACKET_FEN, `crowd_${campaignId}`, userId],
  );
  const { secret, prefix, secretHash } = generateApiKeySecret();
  await client.query(
    `INSERT INTO "ApiKey" (id, name, prefix, "secretHash", permissions, "campaignIds", "allCampaigns",
                           "ratePerMinute", "createdByLabel")
     VALUES ($1, 'bench', $2, $3, ARRAY['payout:request','payout:read'], ARRAY[]::text[], true, 100000000, 'bench')`,
    [`k_bench_${crypto.randomBytes(6).toString("hex")}`, prefix, secretHash],
  );
  return { campaignId, secret };
}

type Run = {
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  total: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
};

async function load(
  url: string,
  secret: string,
  options: { connections: number; duration: number },
  body: (() => string) | null,
): Promise<Run> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.duration,
    requests: [
      body
        ? {
            method: "POST",
            headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
            setupRequest: (request) => ({ ...request, body: body() }),
          }
        : { method: "GET", headers: { authorization: `Bearer ${secret}` } },
    ],
  });
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count]),
  );
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

function report(label: string, run: Run): void {
  const codes = Object.entries(run.statusCodes)
    .map(([code, n]) => `${code}×${n}`)
    .join(" ");
  console.log(
    `  ${label.padEnd(34)} ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s   p50 ${run.p50} ms   ` +
      `p90 ${run.p90} ms   p99 ${run.p99} ms   max ${run.max} ms   (${run.total} requests: ${codes}; ` +
      `${run.errors} errors, ${run.timeouts} timeouts)`,
  );
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const serverUrl = process.env.BENCH_DATABASE_URL;
  console.log(`Machine API accept-path benchmark — ${new Date().toISOString()}`);
  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, load average ` +
      `${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} (shared machine; client, server and database share it)`,
  );
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID")))
    throw new Error("no production build here: run `npm run build` first");

  let databaseUrl: string;
  let label: string;
  let pgliteProc: ChildProcess | null = null;
  let cleanup: () => Promise<void>;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${options.database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${options.database}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${options.database}`;
    databaseUrl = url.toString();
    const version = (await admin.query<{ v: string }>(`SELECT current_setting('server_version') AS v`))
      .rows[0]?.v;
    label = `PostgreSQL ${version} at ${url.host}`;
    cleanup = async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${options.database}" WITH (FORCE)`);
      await admin.end();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hongbao-bench-api-pglite-"));
    const child = await startPgliteChild(path.join(dir, "db"));
    pgliteProc = child.proc;
    databaseUrl = child.url;
    label = "embedded PGlite, served over the wire protocol from its own process";
    cleanup = async () => {
      pgliteProc?.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  console.log(`Database: ${label}`);
  const { migrateDeploy } = await import("../lib/runtime/migrate");
  await migrateDeploy(databaseUrl, { quiet: true });

  const sim = await startBenchSimulator();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let server: Server | null = null;
  try {
    const { campaignId, secret } = await seed(client);
    server = await startServer(databaseUrl, sim.env, "");
    console.log(
      `Server: npm start (production build), JOBS_IN_WEB=false, up in ${(server.startMs / 1000).toFixed(1)} s`,
    );
    const url = `${server.base}/api/v1/campaigns/${campaignId}/payouts`;

    let n = 0;
    const fresh = () => {
      n += 1;
      return JSON.stringify({
        outBizNo: `bench_${process.pid}_${n}`,
        recipient: { type: "USER_ID", id: `2088${String(100_000_000_000 + n).slice(-12)}` },
        memo: "points exchange",
      });
    };
    console.log(`\nFloors: the same server and connections on routes that do (almost) nothing`);
    const floorOptions = { ...options, duration: Math.min(options.duration, 10) };
    report(
      "GET /api/health (no key, SELECT 1)",
      await load(`${server.base}/api/health`, secret, floorOptions, null),
    );
    report(
      "GET …/payouts/{unknown} (key, rate, 1 read)",
      await load(`${url}/no_such_payout`, secret, floorOptions, null),
    );

    console.log(`\nPOST …/payouts, ${options.connections} connections (autocannon; latency per request)`);
    if (options.warmup > 0) await load(url, secret, { ...options, duration: options.warmup }, fresh);
    const before = Number((await client.query(`SELECT count(*)::int AS n FROM "Payout"`)).rows[0].n);
    const accept = await load(url, secret, options, fresh);
    report(`new payout (${options.duration} s)`, accept);
    const after = Number((await client.query(`SELECT count(*)::int AS n FROM "Payout"`)).rows[0].n);
    console.log(
      `  payouts written during the run: ${after - before} (201 answers: ${accept.statusCodes["201"] ?? 0})`,
    );

    const replayBody = fresh();
    await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: replayBody,
    }).then((r) => r.arrayBuffer());
    const replay = await load(url, secret, options, () => replayBody);
    report(`identical replay (${options.duration} s)`, replay);

    if (options.json)
      fs.writeFileSync(options.json, JSON.stringify({ label, options, accept, replay }, null, 2));
  } finally {
    if (server) await stopServer(server);
    await client.end();
    await sim.stop();
    await cleanup();
  }
}

await main();
process.exit(process.exitCode ?? 0);
