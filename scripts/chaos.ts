/**
 * `npm run test:chaos [-- --small | --large] [--seed=N] [--payouts=N] [--port-base=3300]`: the chaos suite
 * (docs/chaos.md). On a fresh PostgreSQL database it runs the Alipay simulator (`scripts/sim.ts`), two production
 * web servers (`scripts/launch.ts start`, JOBS_IN_WEB=false) and two workers (`scripts/worker.ts`) as separate
 * processes, sends payouts on all three rails through the API, batches and the console while the simulator
 * injects timeouts, 20000s, dropped connections, slow answers and rate limits and processes are killed with
 * SIGKILL and restarted, then waits for everything to drain and checks the console against the simulator's
 * ledger: every payout ended, nothing paid twice, no campaign over budget, every webhook delivered or visibly
 * failed. Prints its figures; exits 1 when a check fails, 2 when it cannot run.
 *
 * The small run (~300 payouts) is the default, and what CI runs; `--large` sends 5,000. Needs a production build
 * (`npm run build`) and PostgreSQL (CHAOS_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres:
 * a database hongbao_chaos_<pid> is created there and dropped at the end).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { ensureKeyFiles } from "../lib/alipay-sim/keys";
import { launcherArgs, Supervised, tsxArgs, waitForHttp, waitForLog } from "./chaos/processes";
import type { ChaosSize } from "./chaos/run";

const SIZES: Record<"small" | "large", ChaosSize> = {
  small: {
    label: "small",
    payouts: 300,
    windowMs: 60_000,
    kills: { worker: 1, web: 1 },
    drainLimitMs: 120_000,
    batchSize: 30,
  },
  large: {
    label: "large",
    payouts: 5_000,
    windowMs: 420_000,
    kills: { worker: 4, web: 3 },
    drainLimitMs: 600_000,
    batchSize: 250,
  },
};

function fail(message: string, code = 2): never {
  console.error(`\n✖ ${message}\n`);
  process.exit(code);
}

const { values } = parseArgs({
  options: {
    small: { type: "boolean", default: false },
    large: { type: "boolean", default: false },
    seed: { type: "string" },
    payouts: { type: "string" },
    "port-base": { type: "string", default: "3300" },
    keep: { type: "boolean", default: false },
  },
});
if (values.small && values.large) fail("--small or --large, not both");
const size: ChaosSize = { ...SIZES[values.large ? "large" : "small"] };
if (values.payouts !== undefined) {
  size.payouts = Number(values.payouts);
  if (!Number.isInteger(size.payouts) || size.payouts < 30) fail("--payouts must be a whole number ≥ 30");
}
const seed = values.seed === undefined ? crypto.randomInt(1, 2 ** 31) : Number(values.seed);
const portBase = Number(values["port-base"]);
const ports = { sim: portBase, webs: [portBase + 1, portBase + 2], receiver: portBase + 3 };

if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID")))
  fail(
    "No production build in .next: run npm run build first (the chaos suite runs the real production server).",
  );

// --- A fresh database ---------------------------------------------------------------------------------------
const serverUrl = process.env.CHAOS_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseName = `hongbao_chaos_${process.pid}`;
const admin = new pg.Client({ connectionString: serverUrl });
try {
  await admin.connect();
} catch (error) {
  fail(`PostgreSQL at ${serverUrl} is not reachable: ${(error as Error).message}`);
}
await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
await admin.query(`CREATE DATABASE "${databaseName}"`);
const databaseUrl = new URL(serverUrl);
databaseUrl.pathname = `/${databaseName}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hongbao-chaos-"));

const processes: Supervised[] = [];
let exitCode = 2;
try {
  // --- The simulator, on its own -----------------------------------------------------------------------------
  // Its key pairs are made here, in the directory scripts/sim.ts reads them from, so this process can hand the
  // app's private key and Alipay's public key to the console processes as an operator would.
  const keys = ensureKeyFiles(path.join(dataDir, "keys"));
  const base: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "info" };
  delete base.TEST_DATABASE_URL;
  const simUrl = `http://127.0.0.1:${ports.sim}`;
  const sim = new Supervised(
    "simulator",
    "sim",
    tsxArgs("scripts/sim.ts"),
    {
      ...base,
      DATABASE_URL: "",
      DATA_DIR: dataDir,
      SIM_PORT: String(ports.sim),
      SIM_STATE_FILE: path.join(dataDir, "simulator.json"),
    },
    path.join(dataDir, "simulator.log"),
    (proc) => waitForHttp(`${simUrl}/__sim/health`, proc),
  );
  processes.push(sim);
  await sim.start();
  const health = (await (await fetch(`${simUrl}/__sim/health`)).json()) as {
    apps: string[];
    partnerId: string;
  };

  // --- The console's configuration, as an operator sets it (README → Configuration) ---------------------------
  const webBases = ports.webs.map((port) => `http://127.0.0.1:${port}`);
  const consoleEnv: Record<string, string> = {
    DATABASE_URL: databaseUrl.toString(),
    DATABASE_POOL_SIZE: "5",
    AUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    ALIPAY_APP_ID: health.apps[0] ?? "",
    ALIPAY_PRIVATE_KEY: keys.appPrivateKey,
    ALIPAY_KEY_TYPE: "PKCS8",
    ALIPAY_PUBLIC_KEY: keys.alipayPublicKey,
    ALIPAY_GATEWAY: `${simUrl}/gateway.do`,
    ALIPAY_NOTIFY_URL: `${webBases[0]}/api/alipay/notify`,
    ALIPAY_MERCHANT_PID: health.partnerId,
    ALIPAY_TIMEOUT_MS: "2000",
    ALIPAY_MAX_QPS: "40",
    JOBS_IN_WEB: "false",
    PAYOUT_CONCURRENCY: "16",
    PAYOUT_LEASE_MS: "8000",
    PAYOUT_RETRY_BASE_MS: "300",
    PAYOUT_MAX_ATTEMPTS: "8",
    PAYOUT_POLL_MS: "300",
    WEBHOOK_POLL_MS: "300",
    WEBHOOK_RETRY_BASE_SECONDS: "1",
    WEBHOOK_MAX_ATTEMPTS: "5",
    WEBHOOK_JOB_EXPIRE_SECONDS: "20",
  };
  const webs = ports.webs.map(
    (port, i) =>
      new Supervised(
        `web-${i + 1}`,
        "web",
        launcherArgs(),
        { ...base, ...consoleEnv, PORT: String(port) },
        path.join(dataDir, `web-${i + 1}.log`),
        // The server's own start line: on a loaded machine this process's event loop can lag so far behind
        // that polling /api/health with a timeout misses every answer.
        (proc) => waitForLog('"event":"server.listening"', proc),
      ),
  );
  const workers = [1, 2].map(
    (i) =>
      new Supervised(
        `worker-${i}`,
        "worker",
        tsxArgs("scripts/worker.ts"),
        { ...base, ...consoleEnv },
        path.join(dataDir, `worker-${i}.log`),
        (proc) => waitForLog("worker.started", proc),
      ),
  );
  processes.push(...webs, ...workers);

  // lib/env.ts reads the environment once, at import: every console module is imported after this line.
  // The driver runs batches, console requests and approvals side by side: a larger pool than each server.
  Object.assign(process.env, consoleEnv, { LOG_LEVEL: "warn", DATABASE_POOL_SIZE: "10" });
  const { migrateDeploy } = await import("../lib/runtime/migrate");
  await migrateDeploy(databaseUrl.toString(), { quiet: true });
  const { runChaos } = await import("./chaos/run");
  const ok = await runChaos({
    size,
    seed,
    simUrl,
    receiverPort: ports.receiver,
    sim,
    webs,
    webBases,
    workers,
    startConsole: async () => {
      // One worker first: two job processes creating pg-boss's queues at once on a fresh database deadlock
      // in pgboss.create_queue and one of them exits (docs/chaos.md → Findings).
      await workers[0]?.start();
      await Promise.all([...workers.slice(1), ...webs].map((p) => p.start()));
    },
  });
  exitCode = ok ? 0 : 1;
} catch (error) {
  console.error(error);
  exitCode = 2;
} finally {
  await Promise.all(processes.map((p) => p.stop()));
  if (values.keep || exitCode !== 0) console.log(`Logs of the processes: ${dataDir}`);
  if (values.keep) console.log(`Database kept: ${databaseUrl.toString()}`);
  else await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await admin.end();
  if (!values.keep && exitCode === 0) fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
