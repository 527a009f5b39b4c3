/**
 * Sending batches, against a real database and the simulator over HTTP through the real SDK, with the
 * dispatcher in this process or in a child process killed mid-batch: a cancellation while rows are on the wire
 * releases the rest and pays nothing more; a worker's death loses and doubles nothing; a rejection releases the
 * whole batch; retryable failures are held again, retried under the same references and paid, and the failed
 * rows' download lists exactly the rows that failed. Each ends with the ledger and the budget agreeing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AlipayClient } from "@/lib/alipay/client";
import { failedRowsCsv, getBatchDetail } from "@/lib/batches/queries";
import {
  cancelBatch,
  decideBatch,
  pauseBatch,
  resumeBatch,
  retryBatchFailures,
  submitBatch,
} from "@/lib/batches/service";
import { recomputeBudget } from "@/lib/budget/service";
import { db } from "@/lib/db";
import { claimDuePayouts } from "@/lib/payouts/dispatch/claim";
import { expireLeases } from "@/lib/payouts/dispatch/leases";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import {
  batchFile,
  batchLines,
  parseCsv,
  refusal,
  statusCounts,
  streamText,
  uniquePrefix,
} from "../support/batches";
import { consoleEnv, startConsoleScript, type ConsoleProcess } from "../support/child-process";
import { insertUser } from "../support/factories";
import { activeCampaign, ledgerFor, testDispatcher, waitUntilNone } from "../support/payouts";

/** Recipients of this file: 3_400_000 + i, apart from every other test file's. */
const BASE = 3_400_000;
const TRIGGER = "alipay.marketing.campaign.cash.trigger";
const IN_FLIGHT = ["APPROVED", "SENDING", "UNKNOWN"] as const;

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let approver: Awaited<ReturnType<typeof insertUser>>;
/** Child processes still running when a test ends (it failed): killed so they cannot outlive it. */
const started: ConsoleProcess[] = [];

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 1500 });
  [marketer, approver] = await Promise.all([insertUser("marketer"), insertUser("approver")]);
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

/** A funded campaign of 100-fen packets and an approved batch of `rows` recipients from `BASE + first`. */
async function approvedBatch(rows: number, first: number, label: string, extraLines: string[] = []) {
  const campaign = await activeCampaign(alipay, client, marketer.actor, {
    budgetFen: 100 * 1_000,
    packetCount: 1_000,
  });
  const file = batchFile([...batchLines(BASE + first, rows, uniquePrefix(label)), ...extraLines]);
  const total = rows + extraLines.length;
  const batch = await submitBatch(marketer.actor, {
    campaignId: campaign.id,
    file,
    expectedValidRows: total,
  });
  await decideBatch(approver.actor, { batchId: batch.id, decision: "approve", reason: null });
  return { campaign, crowdNo: campaign.crowdNo ?? "", batch };
}

/** Polls `check` until it returns something other than null (or fails after `timeoutMs`). */
async function eventually<T>(what: string, check: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== null) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The campaign's stored figures equal those recomputed from its payouts, nothing is held any more, and the
 * simulator paid each SUCCEEDED payout once under its own key and nothing else.
 */
async function expectSettled(campaignId: string, crowdNo: string) {
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  expect(await recomputeBudget(db, campaignId)).toEqual({
    reservedFen: campaign.reservedFen,
    spentFen: campaign.spentFen,
    sentCount: campaign.sentCount,
    refundedFen: campaign.refundedFen,
  });
  expect(campaign.reservedFen).toBe(0);
  const succeeded = await db.payout.findMany({
    where: { campaignId, status: "SUCCEEDED" },
    select: { outBizNo: true },
  });
  const ledger = await ledgerFor(alipay, crowdNo);
  expect(ledger).toHaveLength(succeeded.length);
  expect(new Set(ledger.map((e) => e.key))).toEqual(
    new Set(succeeded.map((p) => `${crowdNo}/${p.outBizNo}`)),
  );
  expect(campaign.spentFen).toBe(ledger.reduce((sum, e) => sum + e.amountFen, 0));
  expect(campaign.spentFen).toBe(100 * succeeded.length);
  expect(campaign.sentCount).toBe(succeeded.length);
  return { campaign, ledger, succeeded: succeeded.length };
}

describe("cancelling a batch while it sends", () => {
  it("200 rows at 40 ms a call: rows on the wire finish, the rest are cancelled and released, nothing more is paid", async () => {
    await alipay.sim.setFaults({ rules: [{ methods: TRIGGER, latencyMs: 40 }] });
    const { campaign, crowdNo, batch } = await approvedBatch(200, 0, "cancel");
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(20_000);

    const dispatcher = testDispatcher(client, { concurrency: 4 });
    dispatcher.start();
    let canceled = 0;
    let atCancel: Record<string, number> = {};
    try {
      await eventually("the first 20 payments", async () =>
        (await db.payout.count({ where: { batchId: batch.id, status: "SUCCEEDED" } })) >= 20 ? true : null,
      );
      atCancel = await statusCounts({ batchId: batch.id });
      ({ canceled } = await cancelBatch(marketer.actor, batch.id));
      await waitUntilNone(campaign.id, [...IN_FLIGHT], 20_000);
      // Cancelled rows stay cancelled while the dispatcher keeps polling.
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await dispatcher.stop();
    }

    const counts = await statusCounts({ batchId: batch.id });
    const succeeded = counts.SUCCEEDED ?? 0;
    expect(canceled).toBeGreaterThan(0);
    expect(counts.CANCELED).toBe(canceled);
    expect(succeeded).toBeGreaterThanOrEqual(20);
    expect(canceled + succeeded + (counts.FAILED ?? 0)).toBe(200);
    expect(Object.keys(counts).sort()).toEqual(
      counts.FAILED ? ["CANCELED", "FAILED", "SUCCEEDED"] : ["CANCELED", "SUCCEEDED"],
    );
    // Only what had not been claimed was cancelled: rows a worker held at that moment were sent and settled.
    expect(canceled).toBeLessThanOrEqual(200 - (atCancel.SUCCEEDED ?? 0) - (atCancel.SENDING ?? 0));
    expect(
      await db.payoutAttempt.count({ where: { payout: { batchId: batch.id, status: "CANCELED" } } }),
    ).toBe(0);
    const { succeeded: paid } = await expectSettled(campaign.id, crowdNo);
    expect(paid).toBe(succeeded);

    const detail = await getBatchDetail(marketer.actor, batch.id);
    expect(detail).toMatchObject({
      status: "CANCELED",
      phase: "CANCELED",
      paidFen: succeeded * 100,
      heldFen: 0,
    });
    expect(await db.auditEvent.count({ where: { action: "batch.cancel", entityId: batch.id } })).toBe(1);
    expect((await refusal(cancelBatch(marketer.actor, batch.id))).ref.key).toBe(
      "batches.errors.notCancellable",
    );
    console.log(
      `[batches-sending] cancel: at cancel ${JSON.stringify(atCancel)}; cancelled ${canceled}, paid ${succeeded}`,
    );
  });
});

describe("a worker process killed mid-batch", () => {
  it("100 rows: SIGKILL with calls in flight, a fresh dispatcher takes over the expired leases, each row paid exactly once", async () => {
    await alipay.sim.setFaults({ rules: [{ methods: TRIGGER, latencyMs: 50 }] });
    const { campaign, crowdNo, batch } = await approvedBatch(100, 1_000, "kill");
    // The dispatcher alone (dispatcherFromEnv, as the worker runs it), few calls at a time so the kill lands
    // mid-batch; short leases so the takeover does not wait long.
    const first = startConsoleScript(
      "test/support/dispatch-child.ts",
      ["30000"],
      consoleEnv(alipay, {
        PAYOUT_CONCURRENCY: "4",
        PAYOUT_LEASE_MS: "1500",
        PAYOUT_POLL_MS: "100",
        PAYOUT_RETRY_BASE_MS: "100",
        PAYOUT_MAX_ATTEMPTS: "20",
      }),
    );
    started.push(first);
    await eventually("the child's first payments", async () => {
      if (first.child.exitCode !== null) throw new Error(`dispatcher ended early: ${first.output()}`);
      return (await db.payout.count({ where: { batchId: batch.id, status: "SUCCEEDED" } })) >= 10
        ? true
        : null;
    });
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");

    const atKill = await statusCounts({ batchId: batch.id });
    expect(atKill.SUCCEEDED ?? 0).toBeGreaterThanOrEqual(10);
    expect(atKill.SUCCEEDED ?? 0).toBeLessThan(100);
    expect(atKill.SENDING ?? 0).toBeGreaterThan(0); // left under the dead worker's leases
    const orphaned = await db.payout.findMany({
      where: { batchId: batch.id, status: "SENDING" },
      select: { id: true, leaseOwner: true },
    });
    expect(orphaned.every((p) => p.leaseOwner?.includes(`:${first.child.pid}:`))).toBe(true);

    // A fresh dispatcher: its loop sweeps expired leases (SENDING → UNKNOWN) and learns their outcome with the
    // same key (a payment the dead worker made is answered as a repeat), then sends the rest.
    const dispatcher = testDispatcher(client, { worker: "batch-takeover", concurrency: 8 });
    dispatcher.start();
    try {
      await waitUntilNone(campaign.id, [...IN_FLIGHT], 30_000);
    } finally {
      await dispatcher.stop();
    }

    expect(await statusCounts({ batchId: batch.id })).toEqual({ SUCCEEDED: 100 });
    const { ledger, campaign: figures } = await expectSettled(campaign.id, crowdNo);
    expect(ledger).toHaveLength(100);
    expect(new Set(ledger.map((e) => e.key)).size).toBe(100);
    expect(figures).toMatchObject({ spentFen: 10_000, reservedFen: 0, sentCount: 100 });

    const takenOver = await db.payout.findMany({
      where: { id: { in: orphaned.map((p) => p.id) } },
      include: { attempts: true },
    });
    for (const payout of takenOver) {
      expect(payout.status).toBe("SUCCEEDED");
      expect(payout.attemptCount).toBeGreaterThanOrEqual(2);
      expect(payout.attempts.length).toBeGreaterThanOrEqual(1);
      expect(payout.attempts.every((a) => a.worker === "batch-takeover")).toBe(true);
    }
    const expired = await db.auditEvent.findMany({
      where: { action: "payout.lease_expired", entityId: { in: orphaned.map((p) => p.id) } },
      select: { entityId: true },
    });
    expect(new Set(expired.map((e) => e.entityId))).toEqual(new Set(orphaned.map((p) => p.id)));
    const repeats = takenOver.filter((p) => p.attempts.some((a) => a.repeat)).length;
    console.log(
      `[batches-sending] kill: at SIGKILL ${JSON.stringify(atKill)}; ${orphaned.length} leases taken over, ` +
        `${repeats} of them already paid by the dead worker (answered as repeats)`,
    );
  }, 60_000);
});

describe("the dispatcher's claim of batch rows", () => {
  it("learns the unknown outcomes of a paused batch, sends none of its rows until it is resumed, and pays each row once", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 10_000,
      packetCount: 100,
    });
    const crowdNo = campaign.crowdNo ?? "";
    const submitted = async (first: number, rows: number, label: string) => {
      const file = batchFile(batchLines(BASE + first, rows, uniquePrefix(label)));
      const batch = await submitBatch(marketer.actor, {
        campaignId: campaign.id,
        file,
        expectedValidRows: rows,
      });
      await decideBatch(approver.actor, { batchId: batch.id, decision: "approve", reason: null });
      return batch;
    };
    const claimOurs = async (worker: string) =>
      (await claimDuePayouts(worker, 1_000, 1)).filter((c) => c.campaignId === campaign.id);

    // Batch A's rows are claimed by a worker that dies (1 ms leases): their outcome becomes unknown.
    const a = await submitted(4_000, 2, "lanesA");
    expect((await claimOurs("w-lanes-dead")).map((c) => c.claimedFrom)).toEqual(["APPROVED", "APPROVED"]);
    await new Promise((r) => setTimeout(r, 20));
    expect(await expireLeases()).toBeGreaterThanOrEqual(2);
    expect(await statusCounts({ batchId: a.id })).toEqual({ UNKNOWN: 2 });
    await pauseBatch(marketer.actor, a.id);

    // Batch B is approved, then paused before anything of it was claimed.
    const b = await submitted(4_010, 3, "lanesB");
    await pauseBatch(marketer.actor, b.id);
    const learning = await claimOurs("w-lanes-1");
    expect(learning.map((c) => c.claimedFrom)).toEqual(["UNKNOWN", "UNKNOWN"]);
    expect(new Set(learning.map((c) => c.id))).toEqual(
      new Set((await db.payout.findMany({ where: { batchId: a.id } })).map((p) => p.id)),
    );
    expect(await statusCounts({ batchId: b.id })).toEqual({ APPROVED: 3 });

    await resumeBatch(marketer.actor, b.id);
    const sending = await claimOurs("w-lanes-2");
    expect(sending.map((c) => c.claimedFrom)).toEqual(["APPROVED", "APPROVED", "APPROVED"]);
    expect(await statusCounts({ batchId: b.id })).toEqual({ SENDING: 3 });

    // The dispatcher takes over the expired leases and sends with the same keys: one payment per row.
    const dispatcher = testDispatcher(client);
    dispatcher.start();
    try {
      await waitUntilNone(campaign.id, ["APPROVED", "SENDING", "UNKNOWN"], 20_000);
    } finally {
      await dispatcher.stop();
    }
    expect(await statusCounts({ campaignId: campaign.id })).toEqual({ SUCCEEDED: 5 });
    const { ledger } = await expectSettled(campaign.id, crowdNo);
    expect(ledger).toHaveLength(5);
  });
});

describe("deciding and retrying", () => {
  it("a rejected batch releases every row's reservation and can be neither approved nor cancelled afterwards", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 10_000,
      packetCount: 100,
    });
    const file = batchFile(batchLines(BASE + 2_000, 20, uniquePrefix("reject")));
    const batch = await submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows: 20 });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(2_000);

    await decideBatch(approver.actor, { batchId: batch.id, decision: "reject", reason: "wrong list" });
    expect(await statusCounts({ batchId: batch.id })).toEqual({ REJECTED: 20 });
    expect(await db.batch.findUniqueOrThrow({ where: { id: batch.id } })).toMatchObject({
      status: "REJECTED",
      decisionReason: "wrong list",
      decidedById: approver.user.id,
    });
    expect(await recomputeBudget(db, campaign.id)).toMatchObject({ reservedFen: 0, spentFen: 0 });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(0);
    const rows = await db.payout.findMany({ where: { batchId: batch.id }, select: { id: true } });
    expect(
      await db.auditEvent.count({
        where: { action: "payout.reject", entityId: { in: rows.map((r) => r.id) } },
      }),
    ).toBe(20);

    const again = await refusal(
      decideBatch(approver.actor, { batchId: batch.id, decision: "approve", reason: null }),
    );
    expect(again).toMatchObject({ code: "CONFLICT", ref: { key: "batches.errors.notPending" } });
    expect((await refusal(cancelBatch(marketer.actor, batch.id))).ref.key).toBe(
      "batches.errors.notCancellable",
    );
    expect(await statusCounts({ batchId: batch.id })).toEqual({ REJECTED: 20 });
  });

  it("retryable failures (Alipay's budget short) are held again, retried with the same references and paid; the failed-rows CSV lists exactly the failed rows with their reason", async () => {
    // One recipient Alipay does not know (20889999…): refused for good, never retried.
    const ghost = `2088${"9999"}${String(3_400_003).padStart(8, "0")}`;
    const { campaign, crowdNo, batch } = await approvedBatch(30, 3_000, "retry", [
      `用户ID,${ghost},积分兑换,感谢参与,${uniquePrefix("ghost")}_1`,
    ]);
    // Alipay's side of the campaign has only 10 packets' money left (as if sent elsewhere): 10 are paid, the
    // other 20 are refused with CASH_CAMP_BUDGET_INSUFFICIENT, which a retry can turn into a payment.
    const simCampaign = await alipay.admin<{ totalFen: number }>(
      `/__sim/campaigns/${encodeURIComponent(crowdNo)}`,
    );
    await alipay.admin(`/__sim/campaigns/${encodeURIComponent(crowdNo)}/send-amount`, {
      sendAmountFen: simCampaign.totalFen - 1_000,
    });
    const first = testDispatcher(client, { concurrency: 4 });
    first.start();
    try {
      await waitUntilNone(campaign.id, [...IN_FLIGHT], 20_000);
    } finally {
      await first.stop();
    }
    expect(await statusCounts({ batchId: batch.id })).toEqual({ SUCCEEDED: 10, FAILED: 21 });
    const failed = await db.payout.findMany({
      where: { batchId: batch.id, status: "FAILED" },
      select: {
        identity: true,
        outBizNo: true,
        failureCode: true,
        failureMessage: true,
        failureRetryable: true,
      },
    });
    const retryable = failed.filter((p) => p.failureRetryable);
    expect(retryable).toHaveLength(20);
    expect(new Set(retryable.map((p) => p.failureCode))).toEqual(new Set(["CASH_CAMP_BUDGET_INSUFFICIENT"]));
    expect(failed.find((p) => !p.failureRetryable)).toMatchObject({
      identity: ghost,
      failureCode: "TRIGGER_RESULT_FALSE",
    });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(0);
    const detail = await getBatchDetail(marketer.actor, batch.id);
    expect(detail).toMatchObject({ phase: "FINISHED", retryableFailed: 20, paidFen: 1_000, heldFen: 0 });

    // The failed rows' download: the upload's columns, the reason and whether a retry can help.
    const text = await streamText(await failedRowsCsv(marketer.actor, batch.id, "en"));
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      "recipient_type",
      "recipient_id",
      "name",
      "scene",
      "memo",
      "out_biz_no",
      "reason",
      expect.any(String),
    ]);
    expect(rows).toHaveLength(21);
    expect(new Set(rows.map((r) => r[5]))).toEqual(new Set(failed.map((p) => p.outBizNo)));
    const byRef = new Map(failed.map((p) => [p.outBizNo, p]));
    for (const row of rows) {
      const payout = byRef.get(row[5] ?? "");
      expect(row[0]).toBe("USER_ID");
      expect(row[1]).toBe(payout?.identity); // the uploader's own data: full recipients for a marketer
      expect(row[4]).toBe("感谢参与");
      expect(row[6]).toBe(`${payout?.failureCode}: ${payout?.failureMessage}`);
    }
    expect(rows.filter((r) => r[6]?.startsWith("CASH_CAMP_BUDGET_INSUFFICIENT: "))).toHaveLength(20);
    expect(new Set(rows.map((r) => r[7])).size).toBe(2); // "yes" for the 20, "no" for the ghost

    // Alipay's side has money again; retry the retryable rows.
    await alipay.admin(`/__sim/campaigns/${encodeURIComponent(crowdNo)}/send-amount`, {
      sendAmountFen: 1_000,
    });
    expect(await retryBatchFailures(marketer.actor, batch.id)).toEqual({ retried: 20 });
    expect(await statusCounts({ batchId: batch.id })).toEqual({ SUCCEEDED: 10, APPROVED: 20, FAILED: 1 });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(2_000);
    expect(await recomputeBudget(db, campaign.id)).toMatchObject({ reservedFen: 2_000, spentFen: 1_000 });
    const requeued = await db.payout.findMany({ where: { batchId: batch.id, status: "APPROVED" } });
    expect(new Set(requeued.map((p) => p.outBizNo))).toEqual(new Set(retryable.map((p) => p.outBizNo)));
    expect(requeued.every((p) => p.failureCode === null && p.failureRetryable === null)).toBe(true);
    expect(await db.auditEvent.count({ where: { action: "batch.retry", entityId: batch.id } })).toBe(1);
    expect((await refusal(retryBatchFailures(marketer.actor, batch.id))).ref.key).toBe(
      "batches.errors.nothingToRetry",
    );

    const second = testDispatcher(client, { concurrency: 4 });
    second.start();
    try {
      await waitUntilNone(campaign.id, [...IN_FLIGHT], 20_000);
    } finally {
      await second.stop();
    }
    expect(await statusCounts({ batchId: batch.id })).toEqual({ SUCCEEDED: 30, FAILED: 1 });
    const retried = await db.payout.findMany({
      where: { outBizNo: { in: retryable.map((p) => p.outBizNo) }, campaignId: campaign.id },
      include: { attempts: { orderBy: { number: "asc" } } },
    });
    for (const payout of retried) {
      expect(payout.status).toBe("SUCCEEDED");
      expect(payout.attempts.map((a) => a.outcome)).toEqual(["REJECTED", "OK"]);
    }
    const { ledger } = await expectSettled(campaign.id, crowdNo);
    expect(ledger).toHaveLength(30);
    expect(ledger.some((e) => e.user === ghost)).toBe(false);
    expect(await getBatchDetail(marketer.actor, batch.id)).toMatchObject({
      phase: "FINISHED",
      retryableFailed: 0,
      paidFen: 3_000,
    });
    // The last download lists only the row that failed for good.
    const last = parseCsv(await streamText(await failedRowsCsv(marketer.actor, batch.id, "en")));
    expect(last.slice(1).map((r) => r[1])).toEqual([ghost]);
  }, 60_000);
});
