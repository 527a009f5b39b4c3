/**
 * Payout dispatch when processes die or run side by side: a dispatcher killed (SIGKILL) at each crash point,
 * a worker killed mid-run with payouts in flight and replaced, two dispatchers sharing one outbox, and two
 * rate limiters sharing one per-second budget. Real database, real child processes, the simulator over HTTP
 * through the real SDK. The invariant each proves: every payout is paid exactly once, under its one outBizNo,
 * and the campaign's figures agree with its payouts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AlipayClient } from "@/lib/alipay/client";
import { SharedRateLimiter } from "@/lib/alipay/shared-rate-limiter";
import type { CrashPointName } from "@/lib/runtime/crash-point";
import { recomputeBudget } from "@/lib/budget/service";
import { db } from "@/lib/db";
import { reconcilePayouts } from "@/lib/payouts/reconcile";
import { requestPayout } from "@/lib/payouts/request";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { consoleEnv, startConsoleScript, type ConsoleProcess } from "../support/child-process";
import { insertUser } from "../support/factories";
import {
  activeCampaign,
  ledgerFor,
  testDispatcher,
  userId,
  waitUntilNone,
  payoutRequest,
} from "../support/payouts";

const TRIGGER = "alipay.marketing.campaign.cash.trigger";
const IN_FLIGHT = ["APPROVED", "SENDING", "UNKNOWN"] as const;

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
/** Child processes still running when a test ends (it failed): killed so they cannot outlive it. */
const started: ConsoleProcess[] = [];

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 1500 });
  marketer = await insertUser("marketer");
});
afterAll(() => alipay.sim.stop());
afterEach(async () => {
  await alipay.sim.setFaults({ rules: [] });
  for (const running of started.splice(0)) {
    if (running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill("SIGKILL");
      await running.exited;
    }
  }
});

/** `count` auto-approved payouts to distinct users, requested 50 at a time. */
async function approvedPayouts(campaignId: string, count: number, firstUser: number): Promise<void> {
  for (let i = 0; i < count; i += 50) {
    const results = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) =>
        requestPayout(
          marketer.actor,
          payoutRequest(campaignId, { identity: userId(firstUser + i + j), source: "API" }),
        ),
      ),
    );
    expect(results.every((r) => r.payout.status === "APPROVED")).toBe(true);
  }
}

async function statusCounts(campaignId: string): Promise<Record<string, number>> {
  const groups = await db.payout.groupBy({ by: ["status"], where: { campaignId }, _count: true });
  return Object.fromEntries(groups.map((g) => [g.status, g._count]));
}

/** Polls `check` every `everyMs` until it returns something other than null (or fails after `timeoutMs`). */
async function eventually<T>(
  what: string,
  check: () => Promise<T | null>,
  { timeoutMs = 20_000, everyMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== null) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The campaign's stored figures agree with its payouts and with the simulator's ledger. */
async function expectFiguresAgree(campaignId: string, crowdNo: string) {
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  const ledger = await ledgerFor(alipay, crowdNo);
  expect(ledger.reduce((sum, e) => sum + e.amountFen, 0)).toBe(campaign.spentFen);
  expect(campaign.reservedFen).toBe(0);
  expect(await recomputeBudget(db, campaignId)).toEqual({
    reservedFen: campaign.reservedFen,
    spentFen: campaign.spentFen,
    sentCount: campaign.sentCount,
    refundedFen: campaign.refundedFen,
  });
  return { campaign, ledger };
}

describe("a dispatcher killed at a crash point", () => {
  async function crashWhileSending(crashAt: CrashPointName) {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: userId(500), source: "API" }),
    );
    expect(payout.status).toBe("APPROVED");
    // First in line, so the child (one payout at a time) takes this one even if other files left payouts due.
    await db.payout.update({ where: { id: payout.id }, data: { nextAttemptAt: new Date(0) } });

    const child = startConsoleScript(
      "test/support/dispatch-child.ts",
      ["20000"],
      consoleEnv(alipay, {
        HONGBAO_CRASH_AT: crashAt,
        PAYOUT_CONCURRENCY: "1",
        PAYOUT_LEASE_MS: "1500",
        PAYOUT_POLL_MS: "100",
      }),
    );
    started.push(child);
    const result = await child.exited;
    expect(result.signal, result.output).toBe("SIGKILL");
    const left = await db.payout.findUniqueOrThrow({ where: { id: payout.id }, include: { attempts: true } });
    // Claimed (SENDING under the dead worker's lease), and whatever Alipay answered was never recorded.
    expect(left).toMatchObject({ status: "SENDING", attemptCount: 1, outBizNo: payout.outBizNo });
    expect(left.leaseOwner).toContain(`:${child.child.pid}:`); // the dead process's lease
    expect(left.attempts).toEqual([]);
    return { campaign, payout };
  }

  async function resolveAfterLeaseExpires(campaignId: string, payoutId: string) {
    // The reconciler (the every-minute job) turns the dead worker's payout UNKNOWN once its lease ran out.
    const report = await eventually(
      "the lease to expire",
      async () => {
        const run = await reconcilePayouts();
        const { status } = await db.payout.findUniqueOrThrow({ where: { id: payoutId } });
        return status === "UNKNOWN" ? run : null;
      },
      { everyMs: 250 },
    );
    expect(report.leasesExpired).toBeGreaterThanOrEqual(1);
    const expired = await db.payout.findUniqueOrThrow({ where: { id: payoutId } });
    expect(expired).toMatchObject({ status: "UNKNOWN", leaseOwner: null, leaseExpiresAt: null });
    const audit = await db.auditEvent.findMany({
      where: { entityId: payoutId },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((e) => e.action)).toEqual(["payout.request", "payout.claim", "payout.lease_expired"]);

    const dispatcher = testDispatcher(client);
    dispatcher.start();
    try {
      await waitUntilNone(campaignId, [...IN_FLIGHT], 20_000);
    } finally {
      await dispatcher.stop();
    }
    return db.payout.findUniqueOrThrow({
      where: { id: payoutId },
      include: { attempts: { orderBy: { number: "asc" } } },
    });
  }

  it("before the call went out: resolved with the same outBizNo, which is then a first payment", async () => {
    const { campaign, payout } = await crashWhileSending("payout.send.before-alipay");
    expect(await ledgerFor(alipay, campaign.crowdNo!)).toEqual([]);

    const sent = await resolveAfterLeaseExpires(campaign.id, payout.id);
    expect(sent).toMatchObject({
      status: "SUCCEEDED",
      outBizNo: payout.outBizNo,
      awardedFen: 100,
      attemptCount: 2,
    });
    expect(sent.attempts).toHaveLength(1);
    expect(sent.attempts[0]).toMatchObject({ number: 2, outcome: "OK", repeat: false, awardedFen: 100 });
    const { ledger, campaign: figures } = await expectFiguresAgree(campaign.id, campaign.crowdNo!);
    expect(ledger.map((e) => e.key)).toEqual([`${campaign.crowdNo}/${payout.outBizNo}`]);
    expect(figures).toMatchObject({ reservedFen: 0, spentFen: 100, sentCount: 1 });
  });

  it("after Alipay paid: the same outBizNo again is answered as a repeat and nothing is paid twice", async () => {
    const { campaign, payout } = await crashWhileSending("payout.send.after-alipay");
    const paid = await ledgerFor(alipay, campaign.crowdNo!);
    expect(paid.map((e) => e.key)).toEqual([`${campaign.crowdNo}/${payout.outBizNo}`]);

    const sent = await resolveAfterLeaseExpires(campaign.id, payout.id);
    expect(sent).toMatchObject({
      status: "SUCCEEDED",
      outBizNo: payout.outBizNo,
      awardedFen: 100,
      attemptCount: 2,
    });
    expect(sent.attempts).toHaveLength(1);
    expect(sent.attempts.at(-1)).toMatchObject({ number: 2, outcome: "OK", repeat: true, awardedFen: 100 });
    expect(sent.attempts.at(-1)!.rawReply).toMatchObject({ repeat_trigger_flag: "true" });
    const { ledger, campaign: figures } = await expectFiguresAgree(campaign.id, campaign.crowdNo!);
    expect(ledger).toEqual(paid);
    expect(figures).toMatchObject({ reservedFen: 0, spentFen: 100, sentCount: 1 });
  });
});

describe("a worker process killed mid-run", () => {
  it("300 payouts: SIGKILL with calls in flight, a second worker finishes them, each paid exactly once", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 30_000,
      packetCount: 300,
    });
    await approvedPayouts(campaign.id, 300, 20_000);
    await alipay.sim.setFaults({ rules: [{ methods: TRIGGER, latencyMs: 50 }] });

    // `npm run worker` itself (scripts/worker.ts: pg-boss jobs and the payout dispatcher), few calls at a time
    // so that killing it lands mid-run.
    const workerEnv = (concurrency: number) =>
      consoleEnv(alipay, {
        PAYOUT_CONCURRENCY: String(concurrency),
        PAYOUT_LEASE_MS: "2000",
        PAYOUT_POLL_MS: "100",
        PAYOUT_RETRY_BASE_MS: "100",
        PAYOUT_MAX_ATTEMPTS: "20",
      });
    const first = startConsoleScript("scripts/worker.ts", [], workerEnv(8));
    started.push(first);
    await eventually("the first payments", async () => {
      if (first.child.exitCode !== null) throw new Error(`worker ended early: ${first.output()}`);
      return (await db.payout.count({ where: { campaignId: campaign.id, status: "SUCCEEDED" } })) >= 20
        ? true
        : null;
    });
    first.child.kill("SIGKILL");
    const killed = await first.exited;
    expect(killed.signal).toBe("SIGKILL");

    const atKill = await statusCounts(campaign.id);
    expect(atKill.SUCCEEDED ?? 0).toBeGreaterThan(0);
    expect(atKill.SUCCEEDED ?? 0).toBeLessThan(300);
    expect(atKill.SENDING ?? 0).toBeGreaterThan(0); // left under the dead worker's leases
    const orphaned = await db.payout.findMany({
      where: { campaignId: campaign.id, status: "SENDING" },
      select: { id: true },
    });

    const second = startConsoleScript("scripts/worker.ts", [], workerEnv(16));
    started.push(second);
    await waitUntilNone(campaign.id, [...IN_FLIGHT], 45_000);
    second.child.kill("SIGTERM");
    expect((await second.exited).code, second.output()).toBe(0);

    expect(await statusCounts(campaign.id)).toEqual({ SUCCEEDED: 300 });
    const { ledger, campaign: figures } = await expectFiguresAgree(campaign.id, campaign.crowdNo!);
    expect(ledger).toHaveLength(300);
    expect(new Set(ledger.map((e) => e.key)).size).toBe(300);
    const payouts = await db.payout.findMany({
      where: { campaignId: campaign.id },
      select: { outBizNo: true },
    });
    expect(new Set(ledger.map((e) => e.key))).toEqual(
      new Set(payouts.map((p) => `${campaign.crowdNo}/${p.outBizNo}`)),
    );
    expect(figures).toMatchObject({ spentFen: 30_000, reservedFen: 0, sentCount: 300 });

    // What the first worker held was taken over after its lease expired, by the second worker, same key.
    const takenOver = await db.payout.findMany({
      where: { id: { in: orphaned.map((p) => p.id) } },
      include: { attempts: true },
    });
    for (const payout of takenOver) {
      expect(payout.status).toBe("SUCCEEDED");
      expect(payout.attemptCount).toBeGreaterThanOrEqual(2);
      expect(payout.attempts.every((a) => !a.worker.includes(`:${first.child.pid}:`))).toBe(true);
    }
    const expired = await db.auditEvent.findMany({
      where: { action: "payout.lease_expired", entityId: { in: orphaned.map((p) => p.id) } },
      select: { entityId: true },
    });
    expect(new Set(expired.map((e) => e.entityId))).toEqual(new Set(orphaned.map((p) => p.id)));
  }, 90_000);
});

describe("dispatchers side by side", () => {
  it("two dispatchers over 200 payouts: claims never overlap, each payout is sent exactly once", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 20_000,
      packetCount: 200,
    });
    await approvedPayouts(campaign.id, 200, 40_000);
    await alipay.sim.setFaults({ rules: [{ methods: TRIGGER, latencyMs: 10 }] });
    const one = testDispatcher(client, { worker: "side-by-side-1", concurrency: 8 });
    const two = testDispatcher(client, { worker: "side-by-side-2", concurrency: 8 });
    one.start();
    two.start();
    try {
      await waitUntilNone(campaign.id, [...IN_FLIGHT], 40_000);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
    const payouts = await db.payout.findMany({
      where: { campaignId: campaign.id },
      include: { attempts: true },
    });
    expect(payouts).toHaveLength(200);
    for (const payout of payouts) {
      expect(payout).toMatchObject({ status: "SUCCEEDED", attemptCount: 1 });
      expect(payout.attempts).toHaveLength(1);
      expect(payout.attempts[0]).toMatchObject({ number: 1, outcome: "OK", repeat: false });
    }
    const byWorker = new Map<string, number>();
    for (const payout of payouts) {
      const worker = payout.attempts[0]!.worker;
      byWorker.set(worker, (byWorker.get(worker) ?? 0) + 1);
    }
    expect([...byWorker.keys()].sort()).toEqual(["side-by-side-1", "side-by-side-2"]); // both took part
    const claims = await db.auditEvent.count({
      where: { action: "payout.claim", entityId: { in: payouts.map((p) => p.id) } },
    });
    expect(claims).toBe(200);
    const { ledger } = await expectFiguresAgree(campaign.id, campaign.crowdNo!);
    expect(ledger).toHaveLength(200);
    expect(new Set(ledger.map((e) => e.key)).size).toBe(200);
  }, 60_000);
});

describe("the shared rate limit", () => {
  it("two limiters at 20 calls a second together grant at most 20 per second of the database's clock", async () => {
    const key = `test-${Date.now()}`;
    const limiters = [new SharedRateLimiter(20, key), new SharedRateLimiter(20, key)];
    const epochSecond = async () =>
      Number(
        (
          await db.$queryRaw<
            { s: bigint }[]
          >`SELECT floor(extract(epoch FROM clock_timestamp()))::bigint AS s`
        )[0]!.s,
      );
    const firstSecond = await epochSecond();
    const until = Date.now() + 3_000;
    const granted = [0, 0];
    // Five callers per limiter, each asking again as soon as it was granted, for about three seconds.
    await Promise.all(
      limiters.flatMap((limiter, i) =>
        Array.from({ length: 5 }, async () => {
          while (Date.now() < until) {
            await limiter.acquire();
            granted[i]! += 1;
          }
        }),
      ),
    );
    const lastSecond = await epochSecond();
    const total = granted[0]! + granted[1]!;
    expect(granted[0]).toBeGreaterThan(0);
    expect(granted[1]).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(20 * (lastSecond - firstSecond + 1));
    const window = await db.rateWindow.findUniqueOrThrow({ where: { key } });
    expect(window.used).toBeLessThanOrEqual(20);
    await db.rateWindow.delete({ where: { key } });
  }, 20_000);
});
