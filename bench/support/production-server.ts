/**
 * What the benchmarks that measure the production server share: the embedded database in its own process (as the
 * launcher runs it), `npm start` exactly (npm → tsx → launcher → web server) on a free port, and finding the web
 * server's pid among npm's descendants.
 */
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const PGLITE_CHILD = fileURLToPath(new URL("./pglite-child.ts", import.meta.url));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function parentPid(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? NaN) || null;
  } catch {
    return null;
  }
}

export function isDescendant(pid: number, ancestor: number): boolean {
  for (let p: number | null = pid; p && p > 1; p = parentPid(p)) if (p === ancestor) return true;
  return false;
}

/** The pid of the process listening on 127.0.0.1:port / [::]:port (from `ss -ltnp`). */
export function listeningPid(port: number): number | null {
  const out = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
  const match = /pid=(\d+)/.exec(out);
  return match ? Number(match[1]) : null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPgliteChild(dir: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = fork(PGLITE_CHILD, [`--dir=${dir}`], { stdio: "inherit" });
  const url = await new Promise<string>((resolve, reject) => {
    proc.once("message", (m) => resolve((m as { url: string }).url));
    proc.once("exit", (code) => reject(new Error(`PGlite child exited with ${code}`)));
  });
  return { url, proc };
}

export type Server = { base: string; npm: ChildProcess; pid: number; logFile: string; startMs: number };

export async function startServer(
  databaseUrl: string,
  extraEnv: Record<string, string>,
  nodeOptions: string,
): Promise<Server> {
  const port = await freePort();
  const logFile = path.join(os.tmpdir(), `hongbao-bench-server-${port}.log`);
  const log = fs.openSync(logFile, "w");
  const started = performance.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    PORT: String(port),
    JOBS_IN_WEB: "false",
    ...extraEnv,
  };
  // e.g. --trace-gc or --max-old-space-size=N, for every node process of `npm start` (the web server included).
  if (nodeOptions) env.NODE_OPTIONS = [process.env.NODE_OPTIONS, nodeOptions].filter(Boolean).join(" ");
  delete env.BENCH_DATABASE_URL;
  // `npm start` exactly (npm → tsx → launcher → web server), in its own process group so it can be stopped whole.
  const npm = spawn("npm", ["start"], {
    cwd: process.cwd(),
    env,
    stdio: ["ignore", log, log],
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (npm.exitCode !== null) throw new Error(`npm start exited with ${npm.exitCode}; see ${logFile}`);
    if (performance.now() - started > 180_000) throw new Error(`server not up after 180 s; see ${logFile}`);
    try {
      const res = await fetch(`${base}/login`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  const startMs = performance.now() - started;
  const pid = listeningPid(port);
  if (!pid || !npm.pid || !isDescendant(pid, npm.pid)) {
    throw new Error(
      `the process on port ${port} (pid ${pid}) is not one that npm start (pid ${npm.pid}) started`,
    );
  }
  return { base, npm, pid, logFile, startMs };
}

export async function stopServer(server: Server): Promise<void> {
  const pgid = server.npm.pid;
  if (!pgid || server.npm.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.npm.once("exit", () => resolve()));
  process.kill(-pgid, "SIGTERM");
  const timeout = sleep(15_000).then(() => "timeout");
  if ((await Promise.race([exited.then(() => "exited"), timeout])) === "timeout") {
    process.kill(-pgid, "SIGKILL");
    await exited;
  }
}

/** A local Alipay simulator with fresh keys, and the ALIPAY_* settings that point a console at it. */
export async function startBenchSimulator(appId = "2021000000000088") {
  const { generateKeyPair, startSimulator } = await import("../../lib/alipay-sim");
  const app = generateKeyPair();
  const alipay = generateKeyPair();
  const started = await startSimulator({
    port: 0,
    apps: [{ appId, publicKey: app.publicKey }],
    alipayPrivateKey: alipay.privateKey,
  });
  return {
    stop: () => started.stop(),
    env: {
      ALIPAY_APP_ID: appId,
      ALIPAY_PRIVATE_KEY: app.privateKey,
      ALIPAY_KEY_TYPE: "PKCS8",
      ALIPAY_PUBLIC_KEY: alipay.publicKey,
      ALIPAY_GATEWAY: started.gatewayUrl,
    },
  };
}
