/**
 * Runs console code in a separate Node process (through tsx, as `npm run worker` does), pointed at the test
 * database and simulator, so tests can kill it at a crash point or with SIGKILL mid-run and check that what it
 * left in flight is resolved.
 */
import { spawn } from "node:child_process";
import { inject } from "vitest";
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
    LOG_LEVEL: "warn",
    ...extra,
  };
}

export type ChildResult = { code: number | null; signal: NodeJS.Signals | null; output: string };

/**
 * Runs `script` (a .ts file) in a new Node process with tsx's loader and the react-server condition, resolving
 * when it ends. The loader runs inside that process (`--import tsx`, not tsx's CLI, which would put a relaying
 * parent in between), so a crash point's SIGKILL is what the test observes.
 */
export function runConsoleScript(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", script, ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, output }));
  });
}
