/**
 * /api/health's checks (lib/runtime/health.ts) against the real database, each failure in its own process
 * with the environment that causes it: an unreachable database, a broken Alipay key, no job process beating or
 * only a stale one. And the heartbeat itself (lib/jobs/heartbeat.ts): a beat makes a process live, a graceful
 * stop removes it, long-silent rows are pruned.
 */
import { generateKeyPairSync } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { beat, startHeartbeat, workerLiveness } from "@/lib/jobs/heartbeat";
import type { HealthReport } from "@/lib/runtime/health";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { consoleEnv, runConsoleScript } from "../support/child-process";

const CHILD = path.join(import.meta.dirname, "../support/health-child.ts");

let alipay: TestAlipay;

beforeAll(async () => {
  alipay = await startTestAlipay();
});
afterAll(() => alipay.sim.stop());
beforeEach(() => db.workerHeartbeat.deleteMany());

/**
 * What a console process with this environment (the test database and simulator, plus `extra`) would answer.
 * Beats count as live for 15 minutes (3 × 300 s): however slowly the child starts, a beat the test just wrote is
 * live, and one written 30 minutes ago is stale.
 */
async function healthIn(extra: Record<string, string> = {}): Promise<HealthReport> {
  const result = await runConsoleScript(
    CHILD,
    [],
    consoleEnv(alipay, { WORKER_HEARTBEAT_SECONDS: "300", ...extra }),
  );
  const line = result.output
    .split("\n")
    .reverse()
    .find((l) => l.startsWith('{"ok"'));
  if (result.code !== 0 || !line) throw new Error(`health child failed (${result.code}):\n${result.output}`);
  return JSON.parse(line) as HealthReport;
}

// Each check runs in a child process, which takes seconds to start on a busy machine.
describe("health", { timeout: 180_000 }, () => {
  it("is healthy with a live job process, and reveals no host, process id or key", async () => {
    await beat("test-host:1:aaaaaa", "worker", new Date());
    const report = await healthIn();
    expect(report).toMatchObject({
      ok: true,
      failing: [],
      checks: {
        database: { ok: true },
        workers: { ok: true, live: 1, staleAfterSeconds: 900 },
        alipay: { ok: true },
      },
    });
    expect(report.checks.workers?.newestBeatAgeSeconds).toBeLessThan(900);
    expect(report.checks.database.latencyMs).toBeGreaterThanOrEqual(0);
    const text = JSON.stringify(report);
    expect(text).not.toContain("test-host");
    expect(text).not.toMatch(/127\.0\.0\.1|postgres|BEGIN|"pid"|"host"/);
  });

  it("names workers when no job process has ever beaten", async () => {
    const report = await healthIn();
    expect(report).toMatchObject({
      ok: false,
      failing: ["workers"],
      checks: { database: { ok: true }, workers: { ok: false, live: 0, newestBeatAgeSeconds: null } },
    });
  });

  it("names workers when the newest beat is older than three intervals", async () => {
    await db.workerHeartbeat.create({
      data: {
        id: "stale:2:bbbbbb",
        kind: "worker",
        host: "stale",
        pid: 2,
        startedAt: new Date(Date.now() - 3_600_000),
        beatAt: new Date(Date.now() - 30 * 60_000),
      },
    });
    const report = await healthIn();
    expect(report.failing).toEqual(["workers"]);
    expect(report.checks.workers?.live).toBe(0);
    expect(report.checks.workers?.newestBeatAgeSeconds).toBeGreaterThan(900);
    // A web process with JOBS_IN_WEB counts as much as a worker.
    await beat("web-host:3:cccccc", "web", new Date());
    expect(await healthIn()).toMatchObject({ ok: true, checks: { workers: { live: 1 } } });
  });

  it("names the database when it cannot be reached (and does not read the others from it)", async () => {
    await beat("test-host:1:aaaaaa", "worker", new Date());
    const report = await healthIn({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere" });
    expect(report).toMatchObject({
      ok: false,
      failing: ["database"],
      checks: { database: { ok: false }, workers: null, queues: null, alipay: { ok: true } },
    });
  });

  it("names alipay, and the variable at fault, when the configuration fails its self-check", async () => {
    await beat("test-host:1:aaaaaa", "worker", new Date());
    const weak = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const report = await healthIn({
      ALIPAY_PRIVATE_KEY: weak.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    });
    expect(report).toMatchObject({
      ok: false,
      failing: ["alipay"],
      checks: {
        database: { ok: true },
        workers: { ok: true },
        alipay: { ok: false, variable: "ALIPAY_PRIVATE_KEY" },
      },
    });
    expect(JSON.stringify(report)).not.toContain("PRIVATE KEY-----");
  });
});

describe("heartbeat", () => {
  it("beats at once, counts the process live, and removes it on a graceful stop", async () => {
    const heartbeat = startHeartbeat("hb-test:4:dddddd", "worker");
    await expect.poll(async () => (await workerLiveness()).liveByKind.worker).toBe(1);
    const row = await db.workerHeartbeat.findUniqueOrThrow({ where: { id: "hb-test:4:dddddd" } });
    expect(row).toMatchObject({ kind: "worker", pid: process.pid });
    await heartbeat.stop();
    expect(await db.workerHeartbeat.count()).toBe(0);
    expect((await workerLiveness()).live).toBe(0);
  });

  it("prunes rows silent for an hour, keeping recent ones", async () => {
    const old = { kind: "worker", host: "h", pid: 5, startedAt: new Date(Date.now() - 7_200_000) };
    await db.workerHeartbeat.createMany({
      data: [
        { id: "gone:5:eeeeee", ...old, beatAt: new Date(Date.now() - 3_700_000) },
        { id: "quiet:6:ffffff", ...old, beatAt: new Date(Date.now() - 120_000) },
      ],
    });
    await beat("alive:7:000000", "web", new Date());
    const ids = (await db.workerHeartbeat.findMany({ orderBy: { id: "asc" } })).map((r) => r.id);
    expect(ids).toEqual(["alive:7:000000", "quiet:6:ffffff"]);
  });
});
