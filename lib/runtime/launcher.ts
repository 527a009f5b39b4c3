/**
 * `npm run dev` / `npm start`: prepares what the console needs and starts Next.js.
 * - Demo mode (no DATABASE_URL): starts the embedded PGlite database in this process, generates a session
 *   secret once into DATA_DIR, and tells the server it is in demo mode (it then seeds the demo accounts).
 * - No ALIPAY_GATEWAY and no DATABASE_URL: starts the local Alipay simulator in this process, with key pairs
 *   generated once into DATA_DIR/keys, and points the console at it. Explicit configuration always wins: with
 *   ALIPAY_GATEWAY set, no simulator runs and the given app id and keys are used as they are.
 * - Always: checks the Alipay keys (self-check), applies pending migrations with `prisma migrate deploy`, then
 *   runs `next dev`, or for `start` the production web server (lib/runtime/web-server.ts: Next's handler behind
 *   a Node HTTP server that logs each request).
 * Runs under tsx with the react-server condition (so `server-only` modules can be imported here).
 */
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AlipayClient } from "../alipay/client";
import { alipayConfigFromEnv } from "../alipay/config";
import { ensureKeyFiles, SIMULATOR_PARTNER_ID, startSimulator, type Simulator } from "../alipay-sim";
import type { FaultConfig } from "../alipay-sim";
import { env, parseEnv, runtimeProblems, usesSimulator } from "../env";
import { log } from "../log";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded-database";
import { migrateDeploy } from "./migrate";

/** The simulator's app id (any 16 digits; real ones start with 2021…). */
export const SIMULATOR_APP_ID = "2021000000000001";

type Mode = "dev" | "start";

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

/** A random session secret kept in DATA_DIR, so demo sessions survive restarts without any configuration. */
function demoAuthSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString("base64url");
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

function nextBin(): string {
  return path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
}

function webServerEntry(): string {
  return path.join(process.cwd(), "lib", "runtime", "web-server.ts");
}

function ensureProductionBuild(childEnv: NodeJS.ProcessEnv): void {
  if (fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) return;
  log.info("build.missing", {
    message:
      "No production build found: running `next build` first (once; run `npm run build` after changes).",
  });
  const result = spawnSync(process.execPath, [nextBin(), "build"], { stdio: "inherit", env: childEnv });
  if (result.status !== 0) fail("next build failed.");
}

export async function launch(mode: Mode): Promise<void> {
  const problems = runtimeProblems(env);
  if (problems.length > 0) {
    fail(`Configuration problems:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}`);
  }

  // Telemetry is off unless the operator turns it on: a self-hosted console should not phone home.
  const childEnv: NodeJS.ProcessEnv = {
    NEXT_TELEMETRY_DISABLED: "1",
    ...process.env,
    PORT: String(env.PORT),
  };
  let database: EmbeddedDatabase | null = null;

  if (!env.DATABASE_URL) {
    const dataDir = path.resolve(env.DATA_DIR);
    const dbPath = env.EMBEDDED_DB_PATH ?? path.join(dataDir, "pglite");
    const started = Date.now();
    database = await startEmbeddedDatabase(dbPath, env.EMBEDDED_DB_PORT);
    // The URL's password is the fixed demo one, but the logger would redact it anyway: log where to connect.
    const { hostname, port } = new URL(database.url);
    log.info("database.embedded", { path: dbPath, host: hostname, port, readyMs: Date.now() - started });
    childEnv.DATABASE_URL = database.url;
    childEnv.HONGBAO_DEMO = "true";
    childEnv.AUTH_SECRET = env.AUTH_SECRET ?? demoAuthSecret(dataDir);
  }

  let simulator: Simulator | null = null;
  if (usesSimulator(env)) {
    const dataDir = path.resolve(env.DATA_DIR);
    const keys = ensureKeyFiles(path.join(dataDir, "keys"));
    const inMemory = env.EMBEDDED_DB_PATH === "memory://";
    // The simulator posts notify_url notifications and 应用网关 messages back to this console's receiver.
    const notifyUrl = `http://127.0.0.1:${env.PORT}/api/alipay/notify`;
    simulator = await startSimulator({
      port: env.SIM_PORT,
      apps: [{ appId: SIMULATOR_APP_ID, publicKey: keys.appPublicKey }],
      alipayPrivateKey: keys.alipayPrivateKey,
      appGatewayUrl: notifyUrl,
      stateFile: inMemory ? undefined : (env.SIM_STATE_FILE ?? path.join(dataDir, "simulator.json")),
      faults: env.SIM_FAULTS ? (JSON.parse(env.SIM_FAULTS) as FaultConfig) : undefined,
    });
    log.info("simulator.started", { url: simulator.url, faults: `POST ${simulator.url}/__sim/faults` });
    Object.assign(childEnv, {
      ALIPAY_APP_ID: SIMULATOR_APP_ID,
      ALIPAY_PRIVATE_KEY: keys.appPrivateKey,
      ALIPAY_KEY_TYPE: "PKCS8",
      ALIPAY_PUBLIC_KEY: keys.alipayPublicKey,
      ALIPAY_GATEWAY: simulator.gatewayUrl,
      ALIPAY_NOTIFY_URL: notifyUrl,
      ALIPAY_MERCHANT_PID: SIMULATOR_PARTNER_ID,
    });
  }

  try {
    // Signs and verifies once with the configured key: a wrong key type or a damaged key stops here, by name.
    new AlipayClient(alipayConfigFromEnv(parseEnv(childEnv)));
  } catch (error) {
    await simulator?.stop();
    await database?.stop();
    fail(`Alipay configuration: ${(error as Error).message}\n  See README → Alipay.`);
  }

  const databaseUrl = childEnv.DATABASE_URL;
  if (!databaseUrl) fail("No database: set DATABASE_URL or leave it unset for the embedded database.");
  try {
    await migrateDeploy(databaseUrl);
  } catch (error) {
    await simulator?.stop();
    await database?.stop();
    fail(error instanceof Error ? error.message : String(error));
  }

  if (mode === "start") ensureProductionBuild(childEnv);

  const child =
    mode === "dev"
      ? spawn(process.execPath, [nextBin(), "dev", "-p", String(env.PORT)], {
          stdio: "inherit",
          env: childEnv,
        })
      : spawn(process.execPath, ["--import", "tsx/esm", webServerEntry()], {
          stdio: "inherit",
          env: { ...childEnv, NODE_ENV: "production" },
        });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    child.kill(signal);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  child.on("exit", async (code, signal) => {
    await simulator?.stop();
    await database?.stop(); // closes PGlite cleanly so its files are consistent
    process.exit(code ?? (signal ? 0 : 1));
  });
}
