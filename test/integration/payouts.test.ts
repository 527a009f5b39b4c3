/**
 * Payouts end to end against a real database and the simulator over HTTP through the real SDK: the one request
 * path (idempotency, budget, frequency, approval policy), maker-checker decisions, and the dispatcher's outcomes
 * under injected faults.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { triggerCashCampaign } from "@/lib/alipay/campaign";
import type { AlipayClient } from "@/lib/alipay/client";
import { recomputeBudget } from "@/lib/budget/service";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { cancelPayout, decidePayouts, retryPayout } from "@/lib/payouts/decisions";
import { claimDuePayouts } from "@/lib/payouts/dispatch/claim";
import { recordPaidBatch } from "@/lib/payouts/dispatch/record-paid-batch";
import { cashCampaignRail } from "@/lib/payouts/rails/cash-campaign";
import { reconcilePayouts } from "@/lib/payouts/reconcile";
import { requestPayout } from "@/lib/payouts/request";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import {
  activeCampaign,
  ledgerFor,
  testDispatcher,
  userId,
  waitUntilNone,
  payoutRequest,
} from "../support/payouts";

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let approver: Awaited<ReturnType<typeof insertUser>>;
let admin: Awaited<ReturnType<typeof insertUser>>;

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 600 });
  [marketer, approver, admin] = await Promise.all([
    insertUser("marketer"),
    insertUser("approver"),
    insertUser("admin"),
  ]);
});
afterAll(() => alipay.sim.stop());
afterEach(() => alipay.sim.setFaults({ rules: [] }));

async function auditActionsOf(payoutId: string): Promise<string[]> {
  const events = await db.auditEvent.findMany({
    where: { entityId: payoutId },
    orderBy: { createdAt: "asc" },
  });
  return events.map((e) => e.action);
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("the request path", () => {
  it("auto-approves within the policy, sends once, and spends exactly the packet", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    const { payout, replayed } = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { outBizNo: "order_1" }),
    );
    expect(replayed).toBe(false);
    expect(payout).toMatchObject({ status: "APPROVED", autoApproved: true, amountFen: 100 });
    const dispatcher = testDispatcher(client);
    dispatcher.start();
    await waitUntilNone(campaign.id, ["APPROVED", "SENDING", "UNKNOWN"]);
    await dispatcher.stop();
    const sent = await db.payout.findUniqueOrThrow({ where: { id: payout.id }, include: { attempts: true } });
    expect(sent).toMatchObject({ status: "SUCCEEDED", awardedFen: 100, attemptCount: 1 });
    expect(sent.attempts).toHaveLength(1);
    expect(sent.attempts[0]).toMatchObject({ outcome: "OK", code: "10000", awardedFen: 100 });
    expect(sent.attempts[0]!.rawReply).toMatchObject({ trigger_result: "true" });
    const figures = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(figures).toMatchObject({ reservedFen: 0, spentFen: 100, sentCount: 1 });
    expect(await recomputeBudget(db, campaign.id)).toMatchObject({ reservedFen: 0, spentFen: 100 });
    expect(await ledgerFor(alipay, campaign.crowdNo!)).toHaveLength(1);
  });

  it("the same request 20 times at once makes one payout; changed fields are a conflict naming them", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    const same = payoutRequest(campaign.id, { outBizNo: "points_42", memo: "redeem" });
    const results = await Promise.all(Array.from({ length: 20 }, () => requestPayout(marketer.actor, same)));
    expect(new Set(results.map((r) => r.payout.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(1);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(100);

    const conflict = await refusal(
      requestPayout(marketer.actor, { ...same, identity: userId(2), memo: "other" }),
    );
    expect(conflict.code).toBe("CONFLICT");
    expect(conflict.ref.params).toMatchObject({ fields: "identity, memo" });
    expect(Object.keys(conflict.fieldErrors ?? {})).toEqual(["identity", "memo"]);

    const dispatcher = testDispatcher(client);
    dispatcher.start();
    await waitUntilNone(campaign.id, ["APPROVED", "SENDING", "UNKNOWN"]);
    await dispatcher.stop();
    expect(await ledgerFor(alipay, campaign.crowdNo!)).toHaveLength(1);
  });

  it("200 concurrent requests against a budget for 50 packets: exactly 50 sent, 150 refused", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 5_000,
      packetCount: 50,
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(1000 + i) })),
      ),
    );
    // Anything but a DomainError is shown as its message, so a failure says what went wrong.
    const refused = outcomes
      .filter((o) => o.status === "rejected")
      .map((o) => (o.reason instanceof DomainError ? o.reason.ref.key : String(o.reason)));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(50);
    expect(refused).toHaveLength(150);
    expect(new Set(refused)).toEqual(new Set(["payouts.errors.budgetExhausted"]));
    const dispatcher = testDispatcher(client);
    dispatcher.start();
    await waitUntilNone(campaign.id, ["APPROVED", "SENDING", "UNKNOWN"]);
    await dispatcher.stop();
    const figures = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    const ledger = await ledgerFor(alipay, campaign.crowdNo!);
    expect(ledger).toHaveLength(50);
    expect(ledger.reduce((sum, e) => sum + e.amountFen, 0)).toBe(figures.spentFen);
    expect(figures).toMatchObject({ spentFen: 5_000, reservedFen: 0, sentCount: 50 });
  });

  it("mirrors the per-user frequency limit before holding budget", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, { frequencyLifetime: 2 });
    await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(7) }));
    await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(7) }));
    const third = await refusal(
      requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(7) })),
    );
    expect(third.ref.key).toBe("payouts.errors.frequencyLimit");
    expect(third.fieldErrors).toHaveProperty("identity");
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(2);
  });

  it("waits for an approver above the threshold or past the daily cap", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      autoApproveMaxFen: 100,
      autoApproveDailyCapFen: 200,
    });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(50 + i) }))).payout
          .status,
      );
    expect(statuses).toEqual(["APPROVED", "APPROVED", "PENDING_APPROVAL"]);
  });
});

describe("maker-checker decisions", () => {
  it("nobody decides their own request, admins included; rejection releases the reservation", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, { autoApproveMaxFen: 0 });
    const own = (await requestPayout(admin.actor, payoutRequest(campaign.id, { identity: userId(60) })))
      .payout;
    expect(own.status).toBe("PENDING_APPROVAL");
    const byAdmin = await decidePayouts(admin.actor, {
      payoutIds: [own.id],
      decision: "approve",
      reason: null,
    });
    expect(byAdmin).toEqual({ done: [], refused: [{ id: own.id, reason: "payouts.errors.ownRequest" }] });

    const mine = await requestPayout(
      approver.actor,
      payoutRequest(campaign.id, { identity: userId(61) }),
    ).catch((e: unknown) => e);
    expect(mine).toBeInstanceOf(DomainError); // approvers cannot request at all

    const rejected = await decidePayouts(approver.actor, {
      payoutIds: [own.id],
      decision: "reject",
      reason: "not eligible",
    });
    expect(rejected.done).toEqual([own.id]);
    const after = await db.payout.findUniqueOrThrow({ where: { id: own.id } });
    expect(after).toMatchObject({
      status: "REJECTED",
      decisionReason: "not eligible",
      decidedByLabel: approver.actor.email,
    });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(0);
  });

  it("cancels an unsent payout and refuses to cancel a sent one", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, { autoApproveMaxFen: 0 });
    const pending = (
      await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(70) }))
    ).payout;
    const canceled = await cancelPayout(marketer.actor, pending.id);
    expect(canceled.status).toBe("CANCELED");
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(0);
    expect((await refusal(cancelPayout(marketer.actor, pending.id))).ref.key).toBe(
      "payouts.errors.notCancellable",
    );
  });
});

describe("dispatch outcomes", () => {
  it("with 30 % timeouts and 10 % 20000, 500 payouts all succeed with exactly 500 payments", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 50_000,
      packetCount: 500,
    });
    for (let i = 0; i < 500; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(10_000 + i + j) })),
        ),
      );
    }
    await alipay.sim.setFaults({
      seed: 7,
      rules: [
        {
          methods: "alipay.marketing.campaign.cash.trigger",
          timeoutRate: 0.3,
          timeoutDelayMs: 1500,
          unknownRate: 0.1,
        },
      ],
    });
    const dispatcher = testDispatcher(client, { concurrency: 64 });
    dispatcher.start();
    await waitUntilNone(campaign.id, ["APPROVED", "SENDING", "UNKNOWN"], 240_000);
    await dispatcher.stop();
    const statuses = await db.payout.groupBy({
      by: ["status"],
      where: { campaignId: campaign.id },
      _count: true,
    });
    expect(statuses).toEqual([{ status: "SUCCEEDED", _count: 500 }]);
    const ledger = await ledgerFor(alipay, campaign.crowdNo!);
    expect(ledger).toHaveLength(500);
    expect(new Set(ledger.map((e) => e.key)).size).toBe(500);
    const figures = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(figures).toMatchObject({ spentFen: 50_000, reservedFen: 0, sentCount: 500 });
    const unknownAttempts = await db.payoutAttempt.count({
      where: { payout: { campaignId: campaign.id }, outcome: "UNKNOWN" },
    });
    expect(unknownAttempts).toBeGreaterThan(100); // the faults happened and were resolved with the same keys
    const repeats = await db.payoutAttempt.count({
      where: { payout: { campaignId: campaign.id }, repeat: true },
    });
    expect(repeats).toBeGreaterThan(0); // timeouts that had paid were learnt as repeats, not paid twice
  }, 300_000);

  it("random packets hold the largest packet, settle to what Alipay awarded, and add up to the budget", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      prizeType: "RANDOM",
      budgetFen: 300,
      packetCount: 3,
    });
    const dispatcher = testDispatcher(client);
    dispatcher.start();
    const first = await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(90) }));
    expect(first.payout.amountFen).toBe(150); // 1.5 × the average packet
    await waitUntilNone(campaign.id, ["APPROVED", "SENDING", "UNKNOWN"]);
    for (const i of [91, 92]) {
      await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(i) }));
      await waitUntilNone(campaign.id, ["APPROVED", "SENDING", "UNKNOWN"]);
    }
    await dispatcher.stop();
    const payouts = await db.payout.findMany({ where: { campaignId: campaign.id } });
    expect(payouts.map((p) => p.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    const awarded = payouts.reduce((sum, p) => sum + (p.awardedFen ?? 0), 0);
    const ledger = await ledgerFor(alipay, campaign.crowdNo!);
    expect(ledger.reduce((sum, e) => sum + e.amountFen, 0)).toBe(awarded);
    expect(awarded).toBe(300); // Alipay's last packet takes what is left
    const figures = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(figures).toMatchObject({ spentFen: 300, reservedFen: 0, sentCount: 3 });
    expect(await recomputeBudget(db, campaign.id)).toMatchObject({ spentFen: 300, reservedFen: 0 });
  });

  it("a batch of payments whose budget disagrees changes nothing, so each is recorded on its own", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(95) }));
    const worker = "batch-test-worker";
    const claimed = (await claimDuePayouts(worker, 100, 60_000)).filter((c) => c.campaignId === campaign.id);
    expect(claimed).toHaveLength(1);
    const payout = claimed[0]!;
    const outcome = await cashCampaignRail.send(client, payout.campaign, payout);
    expect(outcome.kind).toBe("paid");
    if (outcome.kind !== "paid") return;
    // The campaign no longer holds the payout's reservation: the batch must not spend it.
    await db.campaign.update({ where: { id: campaign.id }, data: { reservedFen: 0 } });
    await expect(recordPaidBatch(worker, [{ claimed: payout, outcome }])).rejects.toThrow();
    expect(await db.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({
      status: "SENDING",
    });
    expect(await db.payoutAttempt.count({ where: { payoutId: payout.id } })).toBe(0);

    await db.campaign.update({ where: { id: campaign.id }, data: { reservedFen: 100 } });
    expect(await recordPaidBatch(worker, [{ claimed: payout, outcome }])).toBe(1);
    expect(await db.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({
      status: "SUCCEEDED",
      awardedFen: 100,
    });
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      reservedFen: 0,
      spentFen: 100,
      sentCount: 1,
    });
    expect(await auditActionsOf(payout.id)).toEqual(["payout.request", "payout.claim", "payout.succeed"]);
  });

  it("a refusal fails the payout readably and releases; a retryable one can be retried", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    const unknownUser = (
      await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: "2088999900000001" }))
    ).payout;
    const dispatcher = testDispatcher(client);
    dispatcher.start();
    await waitUntilNone(campaign.id, ["APPROVED", "SENDING", "UNKNOWN"]);
    await dispatcher.stop();
    const failed = await db.payout.findUniqueOrThrow({ where: { id: unknownUser.id } });
    expect(failed).toMatchObject({
      status: "FAILED",
      failureCode: "TRIGGER_RESULT_FALSE",
      failureRetryable: false,
    });
    expect(failed.failureMessage).toContain("用户不存在");
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(0);
    expect((await refusal(retryPayout(marketer.actor, failed.id))).ref.key).toBe(
      "payouts.errors.failureNotRetryable",
    );
  });

  it("concurrent retries of one failed payout hold its budget once", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: userId(96) }),
    );
    // A retryable refusal, as the dispatcher records it: FAILED, its reservation released.
    await db.payout.update({
      where: { id: payout.id },
      data: { status: "FAILED", failureCode: "SYSTEM_BUSY", failureRetryable: true, nextAttemptAt: null },
    });
    await db.campaign.update({ where: { id: campaign.id }, data: { reservedFen: 0 } });

    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => retryPayout(marketer.actor, payout.id)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({
      status: "APPROVED",
    });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(100);
  });

  it("the reconciler turns an expired lease into UNKNOWN, and the same key is learnt as the earlier payment", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: userId(80) }),
    );
    // A worker that claimed it, paid, and died before recording: SENDING with a lease that has run out.
    const paid = await triggerCashCampaign(client, {
      crowdNo: campaign.crowdNo!,
      recipient: { identityType: "USER_ID", identity: userId(80) },
      outBizNo: payout.outBizNo,
    });
    expect(paid.kind).toBe("ok");
    await db.payout.update({
      where: { id: payout.id },
      data: {
        status: "SENDING",
        leaseOwner: "dead-worker",
        leaseExpiresAt: new Date(Date.now() - 1000),
        attemptCount: 1,
        nextAttemptAt: null,
      },
    });
    expect((await reconcilePayouts()).leasesExpired).toBe(1);
    expect((await db.payout.findUniqueOrThrow({ where: { id: payout.id } })).status).toBe("UNKNOWN");
    const dispatcher = testDispatcher(client);
    dispatcher.start();
    await waitUntilNone(campaign.id, ["APPROVED", "SENDING", "UNKNOWN"]);
    await dispatcher.stop();
    const resolved = await db.payout.findUniqueOrThrow({
      where: { id: payout.id },
      include: { attempts: true },
    });
    expect(resolved.status).toBe("SUCCEEDED");
    expect(resolved.attempts.at(-1)).toMatchObject({ repeat: true });
    expect(await ledgerFor(alipay, campaign.crowdNo!)).toHaveLength(1);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).spentFen).toBe(100);

    // The burn-down gets one point for the figures that moved, and none while they stay put.
    await reconcilePayouts();
    await reconcilePayouts();
    const points = await db.campaignSnapshot.findMany({ where: { campaignId: campaign.id, spentFen: 100 } });
    expect(points).toHaveLength(1);
  });
});
