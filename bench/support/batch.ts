/**
 * What the batch benchmarks (bench/batch-submit.ts, bench/batch-send.ts) share: the database (embedded PGlite in
 * a child process, as the launcher runs it apart from the web server, or the PostgreSQL database named by
 * BENCH_DATABASE_URL), the simulator in a child process, recipient files built in memory, memory readings of
 * a process from /proc, and small statistics. No console module is imported here: lib/env.ts must first be
 * imported after the caller has set DATABASE_URL.
 */
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { PrismaClient } from "../../generated/prisma/client";
import type { FaultConfig } from "../../lib/alipay-sim";
import type { ChildStart } from "../dispatch-child";

const DISPATCH_CHILD = fileURLToPath(new URL("../dispatch-child.ts", import.meta.url));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A child process of bench/dispatch-child.ts (the simulator or the embedded database). */
export type BenchChild = { pid: number; url: string; stop(): Promise<void> };

async function startChild(start: ChildStart): Promise<BenchChild> {
  const proc: ChildProcess = fork(DISPATCH_CHILD, [], {
    execArgv: ["--conditions=react-server", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    proc.on("message", (raw) => {
      const message = raw as { type: string; url?: string };
      if (message.type === "ready") resolve(message.url ?? "");
    });
    proc.once("exit", (code) => reject(new Error(`bench child (${start.role}) exited with ${code}`)));
    proc.send(start);
  });
  return {
    pid: proc.pid ?? 0,
    url,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.send({ type: "stop" });
      }),
  };
}

export function startSimulatorChild(options: {
  appId: string;
  appPublicKey: string;
  alipayPrivateKey: string;
  faults: FaultConfig;
}): Promise<BenchChild> {
  return startChild({ type: "start", role: "sim", ...options });
}

export type BenchDatabase = {
  kind: "pglite" | "postgresql";
  label: string;
  url: string;
  /** The PGlite child's pid (its memory is reported); null on PostgreSQL. */
  pid: number | null;
  close(): Promise<void>;
};

function pgliteVersion(): string {
  const file = path.join("node_modules", "@electric-sql", "pglite", "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/**
 * BENCH_DATABASE_URL: that PostgreSQL database, used as it is (create it and run `prisma migrate deploy` on it
 * first; the caller runs migrate deploy again, which applies nothing on a migrated database). Otherwise a fresh
 * in-memory PGlite in a child process.
 */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const { pathname, host } = new URL(url);
    return {
      kind: "postgresql",
      label: `PostgreSQL at ${host}, database ${pathname.slice(1)}`,
      url,
      pid: null,
      close: async () => undefined,
    };
  }
  const child = await startChild({ type: "start", role: "pglite" });
  return {
    kind: "pglite",
    label: `embedded PGlite ${pgliteVersion()} (in memory), in a child process (pid ${child.pid})`,
    url: child.url,
    pid: child.pid,
    close: () => child.stop(),
  };
}

/** A distinct Alipay user id the simulator knows (2088 + 12 digits, never 20889999…). */
export function benchUserId(n: number): string {
  return `2088${String(100_000_000_000 + n).slice(-12)}`;
}

/**
 * A UTF-8 recipient file in the Chinese template's columns: `rows` user ids from `userId(first)`, each with a
 * memo and the business reference `<prefix>_<i>`. About 75 bytes a row.
 */
export function batchCsv(rows: number, first: number, prefix: string): Uint8Array {
  const lines = ["收款人类型,收款人,场景,备注,业务单号"];
  for (let i = 0; i < rows; i++)
    lines.push(`用户ID,${benchUserId(first + i)},积分兑换,感谢参与,${prefix}_${i}`);
  return new TextEncoder().encode(lines.join("\r\n"));
}

/**
 * A process's resident memory from /proc (KiB → MiB): VmRSS now and VmHWM, its peak since it started or since
 * `resetPeak` (writing 5 to /proc/<pid>/clear_refs resets VmHWM to the current RSS; Linux only).
 */
export function memoryOf(pid: number | "self"): { rssMiB: number; peakMiB: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssMiB: kib("VmRSS") / 1024, peakMiB: kib("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

export function resetPeak(pid: number | "self"): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/**
 * Samples this process's RSS every `everyMs` while it runs (timers do not fire during synchronous work such as
 * the CSV parse: VmHWM, read by `memoryOf`, covers that).
 */
export function rssSampler(everyMs = 10): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss()) / 2 ** 20;
    },
  };
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "-";

export function machineLine(): string {
  const cpus = os.cpus();
  return `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? "CPU"}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB, ${os.type()} ${os.release()}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
}

/** Options `--key=value` over defaults (whole numbers unless the default is a string). */
export function parseOptions<T extends Record<string, number | string>>(args: string[], defaults: T): T {
  const options: Record<string, number | string> = { ...defaults };
  for (const arg of args) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!match) throw new Error(`unexpected argument ${arg} (use --key=value)`);
    const [, key = "", value = ""] = match;
    const name = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!(name in defaults)) throw new Error(`unknown option --${key}`);
    if (typeof defaults[name] === "string") options[name] = value;
    else {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--${key} must be a whole number`);
      options[name] = n;
    }
  }
  return options as T;
}

const CLK_TCK = 100; // Linux's USER_HZ on every platform the project runs on (getconf CLK_TCK)

/** CPU time (user + system) a process has used, from /proc/<pid>/stat; 0 when unreadable. */
export function processCpuMs(pid: number | "self"): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** CPU time the whole machine has been busy (all cores), from /proc/stat. */
export function machineBusyMs(): number {
  try {
    const [cpu = ""] = fs.readFileSync("/proc/stat", "utf8").split("\n");
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return ((user + nice + system + irq + softirq + steal) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/**
 * CPU used during a phase by our processes (`pids`: this one and the children) and by every other process on
 * the machine, in % of one core: the machine is shared, and a phase during which others were busy is noisy.
 */
export function cpuMeter(pids: ReadonlyArray<number | "self">): {
  stop(): { oursPct: number; othersPct: number; msByPid: number[] };
} {
  const read = () => pids.map((pid) => processCpuMs(pid));
  const startOurs = read();
  const startMachine = machineBusyMs();
  const started = performance.now();
  return {
    stop() {
      const wall = Math.max(1, performance.now() - started);
      const msByPid = read().map((ms, i) => ms - (startOurs[i] ?? 0));
      const oursMs = msByPid.reduce((a, b) => a + b, 0);
      const machineMs = machineBusyMs() - startMachine;
      return {
        oursPct: (oursMs / wall) * 100,
        othersPct: (Math.max(0, machineMs - oursMs) / wall) * 100,
        msByPid,
      };
    },
  };
}

/**
 * The machine is shared: before a measured phase, wait (at most `maxSeconds`) until the machine as a whole is
 * busy less than a fifth of a core over a second (ours are idle between phases, so that is everyone else).
 * Returns what it saw, for the output.
 */
export async function waitForQuiet(maxSeconds: number): Promise<string> {
  const deadline = Date.now() + maxSeconds * 1000;
  let first: number | null = null;
  for (;;) {
    const before = machineBusyMs();
    await sleep(1000);
    const busyPct = (machineBusyMs() - before) / 10;
    first ??= busyPct;
    if (busyPct < 20 || Date.now() > deadline)
      return `machine busy before the phase: ${fmt(first)} % of a core${
        busyPct < 20 ? "" : ` (still ${fmt(busyPct)} % after waiting ${maxSeconds} s)`
      }`;
  }
}

/** A console user for a bench run, as the services take it (an actor with no request behind it). */
export async function benchUser(
  db: Pick<PrismaClient, "user">,
  role: "marketer" | "approver",
  emailPrefix: string,
) {
  const user = await db.user.create({
    data: { email: `${emailPrefix}-${role}@bench.example`, name: `Bench ${role}`, role, passwordHash: "x" },
  });
  return {
    type: "USER" as const,
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    ip: null,
    userAgent: "bench",
  };
}
