/**
 * The chaos suite's child processes: the Alipay simulator (`scripts/sim.ts`), the production web server
 * (`scripts/launch.ts start`, as `npm start` runs it) and the worker (`scripts/worker.ts`, as `npm run worker`
 * runs it). Each is started in its own process group, so a SIGKILL to the group takes down the launcher and the
 * web server it spawned together, the way a machine or container dies. Nothing here imports console code.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `promise`, or a TimeoutError after `ms`: an HTTP exchange whose abort signal fired mid-body was seen to never
 * settle, and one hung request must not hang the run.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => undefined); // the loser of the race must not become an unhandled rejection
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`no answer after ${ms} ms`);
      error.name = "TimeoutError";
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export type Role = "sim" | "web" | "worker";

/** One supervised process: `start()` (again after a kill), `kill()` with SIGKILL, `stop()` politely. */
export class Supervised {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** How many times it was started (1 + restarts). */
  starts = 0;

  constructor(
    readonly name: string,
    readonly role: Role,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    /** Resolves once the process serves (HTTP health) or, for a worker, once it says it started. */
    private readonly ready: (proc: Supervised) => Promise<void>,
  ) {}

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the process wrote (stdout and stderr) in all its lives. */
  output(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, "utf8") : "";
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const out = fs.openSync(this.logFile, "a");
    fs.writeSync(out, `\n=== ${this.name} start ${this.starts + 1} at ${new Date().toISOString()} ===\n`);
    const child = spawn(process.execPath, this.args, {
      cwd: process.cwd(),
      env: this.env,
      stdio: ["ignore", out, out],
      detached: true,
    });
    fs.closeSync(out);
    this.child = child;
    this.starts += 1;
    this.exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.name} not ready after 180 s; see ${this.logFile}`)),
        180_000,
      );
    });
    const died = this.exited.then(() => {
      throw new Error(`${this.name} exited before it was ready; see ${this.logFile}`);
    });
    // Whichever loses the race must not surface later as an unhandled rejection (a kill after start, say).
    late.catch(() => undefined);
    died.catch(() => undefined);
    try {
      await Promise.race([this.ready(this), died, late]);
    } finally {
      clearTimeout(timer);
    }
    if (!this.running) throw new Error(`${this.name} exited before it was ready; see ${this.logFile}`);
  }

  /** SIGKILL to the whole process group: no handler runs, nothing is flushed or released. */
  async kill(): Promise<void> {
    const pid = this.child?.pid;
    if (!pid || !this.running) return;
    process.kill(-pid, "SIGKILL");
    await this.exited;
  }

  /** SIGTERM to the group (the processes' own shutdown), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const pid = this.child?.pid;
    if (!pid || !this.running) return;
    process.kill(-pid, "SIGTERM");
    const outcome = await Promise.race([this.exited.then(() => "exited"), sleep(15_000).then(() => "late")]);
    if (outcome === "late" && this.running) {
      process.kill(-pid, "SIGKILL");
      await this.exited;
    }
  }
}

/**
 * Polls `url` until it answers with one of `statuses` (the web server's /api/health answers 503 while no worker
 * has beaten yet: it is serving all the same).
 */
export async function waitForHttp(url: string, proc: Supervised, statuses: number[] = [200]): Promise<void> {
  for (;;) {
    if (!proc.running && proc.starts > 0) return; // start() reports the exit
    const status = await httpStatus(url, 5000);
    if (status !== null && statuses.includes(status)) return;
    await sleep(250);
  }
}

/**
 * The status of a GET, or null on any error or after `timeoutMs` (node:http rather than fetch: a fetch aborted
 * while its body is being read was seen to hang the poll on a loaded machine).
 */
function httpStatus(url: string, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? null));
      response.on("error", () => resolve(null));
    });
    request.setTimeout(timeoutMs, () => request.destroy());
    request.on("error", () => resolve(null));
  });
}

/** Waits until the process's log, since its latest start, contains `marker`. */
export async function waitForLog(marker: string, proc: Supervised): Promise<void> {
  for (;;) {
    if (!proc.running) return;
    const output = proc.output();
    const latest = output.slice(output.lastIndexOf(`=== ${proc.name} start`));
    if (latest.includes(marker)) return;
    await sleep(250);
  }
}

/** `node <tsx loader> --conditions=react-server <script>`: what the npm scripts run, in one process. */
export function tsxArgs(script: string, args: string[] = []): string[] {
  return ["--conditions=react-server", "--import", "tsx", path.join(process.cwd(), script), ...args];
}

/** `node node_modules/tsx/dist/cli.mjs --conditions=react-server scripts/launch.ts start` (`npm start`). */
export function launcherArgs(): string[] {
  return [
    path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs"),
    "--conditions=react-server",
    path.join(process.cwd(), "scripts", "launch.ts"),
    "start",
  ];
}

/** Counts of the simulator's fault notes (`[alipay-sim] <method> ⚡ <what>`) by kind, and its gateway calls. */
export function simulatorFigures(output: string): {
  faults: Record<string, number>;
  calls: Record<string, number>;
} {
  const faults: Record<string, number> = {};
  const calls: Record<string, number> = {};
  for (const line of output.split("\n")) {
    const fault = /^\[alipay-sim\] (\S+) ⚡ (.*)$/.exec(line);
    if (fault) {
      const kind = faultKind(fault[2] ?? "");
      faults[kind] = (faults[kind] ?? 0) + 1;
      continue;
    }
    const call = /^\[alipay-sim\] (alipay\.\S+) → /.exec(line);
    if (call?.[1]) calls[call[1]] = (calls[call[1]] ?? 0) + 1;
  }
  return { faults, calls };
}

function faultKind(note: string): string {
  if (note.startsWith("rate limited")) return "rate limited (40005, not processed)";
  if (note.startsWith("HTTP 500")) return "HTTP 500 (not processed)";
  if (note.startsWith("20000")) return "20000 unknown (not processed)";
  if (note === "connection dropped (not processed)") return "dropped before processing";
  if (note === "connection dropped (processed)") return "dropped after processing";
  if (note.startsWith("answer held back")) return "timeout (processed, answer late)";
  if (note.startsWith("bad signature")) return "bad signature (processed)";
  return note;
}
