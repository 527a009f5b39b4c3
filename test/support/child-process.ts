/**
 * Runs console code in a separate Node process (through tsx, as `npm run worker` does), pointed at the test
 * database and simulator, so tests can kill it at a crash point or with SIGKILL mid-run and check that what it
 * left in flight is resolved.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { inject } from "vitest";
import { SIMULATOR_PARTNER_ID } from "@/lib/alipay-sim";
import { TEST_APP_ID, type TestAlipay } from "./alipay";

/** The environment a console process needs to use the test database and this test's simulator. */
export function consoleEnv(alipay: TestAlipay, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "test",
    DATABASE_URL: inject("databaseUrl"),
    DATABASE_POOL_SIZE: "3",
    ALIPAY_APP_ID: TEST_APP_ID,
    ALIPAY_PRIVATE_KEY: alipay.keys.app.privateKey,
    ALIPAY_KEY_TYPE: "PKCS8",
    ALIPAY_PUBLIC_KEY: alipay.keys.alipay.publicKey,
    ALIPAY_GATEWAY: alipay.sim.gatewayUrl,
    ALIPAY_TIMEOUT_MS: "1000",
    ALIPAY_MAX_QPS: "1000",
    ALIPAY_MERCHANT_PID: SIMULATOR_PARTNER_ID,
    LOG_LEVEL: "warn",
    ...extra,
  };
}

/** The environment of a console script that needs only the test database, not Alipay (e.g. `apikey:create`). */
export function databaseOnlyEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "test",
    DATABASE_URL: inject("databaseUrl"),
    DATABASE_POOL_SIZE: "2",
    LOG_LEVEL: "warn",
    ...extra,
  };
}

export type ChildResult = { code: number | null; signal: NodeJS.Signals | null; output: string };

/** A console process started by `startConsoleScript`: kill it with `child.kill("SIGKILL")`. */
export type ConsoleProcess = {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** What it wrote to stdout alone so far (scripts whose last line is their answer, e.g. `apikey:create`). */
  stdout(): string;
  /** Resolves when it ends, however it ends. */
  exited: Promise<ChildResult>;
};

/**
 * Starts `script` (a .ts file) in a new Node process with tsx's loader and the react-server condition, and
 * returns at once. The loader runs inside that process (`--import tsx`, not tsx's CLI, which would put a relaying
 * parent in between), so a crash point's SIGKILL is what the test observes, and a test's `child.kill` reaches the
 * console code itself.
 */
export function startConsoleScript(script: string, args: string[], env: NodeJS.ProcessEnv): ConsoleProcess {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", script, ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<ChildResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, output }));
  });
  return { child, output: () => output, stdout: () => stdout, exited };
}

/** Runs `script` as `startConsoleScript` does, resolving when it ends. */
export function runConsoleScript(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<ChildResult> {
  return startConsoleScript(script, args, env).exited;
}
