/**
 * The FUND_COUPON rail (收发现金红包) end to end: funding by agreement pay, disbursements sent by the dispatcher,
 * faults and unknown outcomes resolved by query (never a second payment), refunds (partial, full, on close,
 * unknown), the expiry auto-refund notification, allocation across orders, and a funding process killed mid-call.
 * Real database, the simulator over HTTP through the real SDK; the simulator's ledger is the proof of what moved.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AlipayClient } from "@/lib/alipay/client";
import { SIMULATOR_PARTNER_ID } from "@/lib/alipay-sim";
import { checkBudgets, recomputeBudget } from "@/lib/budget/service";
import { closeCampaign, createCampaign } from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { applyFundCouponNotification } from "@/lib/fund-coupon/notified";
import { fundByAgreement, resolveFundOrders } from "@/lib/fund-coupon/orders";
import { fundingSummary } from "@/lib/fund-coupon/queries";
import { resolveRefunds, returnUnusedFunds } from "@/lib/fund-coupon/refunds";
import { cancelPayout } from "@/lib/payouts/decisions";
import { disburseRequestNo } from "@/lib/payouts/rails/fund-coupon";
import { requestPayout } from "@/lib/payouts/request";
import { startReceiver, startTestAlipay, type TestAlipay } from "../support/alipay";
import { consoleEnv, startConsoleScript, type ConsoleProcess } from "../support/child-process";
import { insertUser } from "../support/factories";
import { fundedCouponCampaign, fundLedger } from "../support/fund-coupon";
import { campaignInput, payoutRequest, testDispatcher, userId, waitUntilNone } from "../support/payouts";

const DISBURSE = "alipay.fund.coupon.order.disburse";
const AGREEMENT = "alipay.fund.coupon.order.agreement.pay";
const REFUND = "alipay.fund.coupon.order.refund";
const IN_FLIGHT = ["APPROVED", "SENDING", "UNKNOWN"] as const;
const MINUTE = 60_000;

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let nextUser = 0;
const started: ConsoleProcess[] = [];

/** A distinct recipient per payout across the file. */
function recipient(): string {
  nextUser += 1;
  return userId(3_600_000 + nextUser);
}

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

async function eventually<T>(what: string, check: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== null) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function requestAmounts(campaignId: string, amounts: number[]) {
  const payouts = [];
  for (const amountFen of amounts) {
    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(campaignId, { identity: recipient(), amountFen, source: "API" }),
    );
    expect(payout.status).toBe("APPROVED");
    payouts.push(payout);
  }
  return payouts;
}

async function dispatchAll(campaignId: string, c: AlipayClient = client) {
  const dispatcher = testDispatcher(c);
  dispatcher.start();
  try {
    await waitUntilNone(campaignId, [...IN_FLIGHT], 30_000);
  } finally {
    await dispatcher.stop();
  }
}

/** Stored figures agree with the payouts, refunds and paid orders (the consistency check's verdict). */
async function expectConsistent(campaignId: string) {
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  expect(await recomputeBudget(db, campaignId)).toEqual({
    reservedFen: campaign.reservedFen,
    spentFen: campaign.spentFen,
    sentCount: campaign.sentCount,
    refundedFen: campaign.refundedFen,
  });
  const paid = await db.fundOrder.aggregate({
    where: { campaignId, status: "PAID" },
    _sum: { amountFen: true },
  });
  expect(campaign.budgetFen).toBe(paid._sum.amountFen ?? 0);
  const mismatches = await checkBudgets();
  expect(mismatches.map((m) => m.campaignId)).not.toContain(campaignId);
  return campaign;
}

describe("funding by agreement pay", () => {
  it("a paid order becomes the budget and the campaign turns ACTIVE", async () => {
    const created = await createCampaign(
      client,
      marketer.actor,
      campaignInput({ rail: "FUND_COUPON", maxPacketFen: 500 }),
    );
    expect(created).toMatchObject({ status: "AWAITING_FUNDING", budgetFen: 0 });
    const order = await fundByAgreement(client, marketer.actor, {
      campaignId: created.id,
      amountFen: 12_345,
      title: "Q4 budget",
      expiresInMinutes: 24 * 60,
    });
    expect(order).toMatchObject({ status: "PAID", method: "AGREEMENT", amountFen: 12_345 });
    expect(order.authNo).toMatch(/^\d+$/);
    expect(order.outOrderNo).toMatch(/^[A-Za-z0-9_]{1,64}$/);
    const campaign = await expectConsistent(created.id);
    expect(campaign).toMatchObject({ status: "ACTIVE", budgetFen: 12_345 });
    const funding = await fundLedger(alipay, "FUNDING", order.outOrderNo);
    expect(funding).toEqual([expect.objectContaining({ amountFen: 12_345, user: SIMULATOR_PARTNER_ID })]);
    const actions = await db.auditEvent.findMany({
      where: { entityId: { in: [order.id, created.id] } },
      orderBy: { createdAt: "asc" },
    });
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(["fund_order.create", "fund_order.paid", "campaign.funded"]),
    );
  });

  it("a campaign of another rail cannot be funded this way", async () => {
    const cash = await createCampaign(
      client,
      marketer.actor,
      campaignInput({ rail: "TRANSFER", maxPacketFen: 500 }),
    );
    await expect(
      fundByAgreement(client, marketer.actor, {
        campaignId: cash.id,
        amountFen: 100,
        title: "x",
        expiresInMinutes: 60,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("an unknown outcome (20000) is looked up and the identical request resent: paid once", async () => {
    const created = await createCampaign(
      client,
      marketer.actor,
      campaignInput({ rail: "FUND_COUPON", maxPacketFen: 500 }),
    );
    await alipay.sim.setFaults({ rules: [{ methods: AGREEMENT, unknownRate: 1 }] });
    const order = await fundByAgreement(client, marketer.actor, {
      campaignId: created.id,
      amountFen: 5_000,
      title: "unknown",
      expiresInMinutes: 60,
    });
    expect(order.status).toBe("UNKNOWN");
    expect(await fundLedger(alipay, "FUNDING", order.outOrderNo)).toEqual([]);
    await alipay.sim.setFaults({ rules: [] });
    await resolveFundOrders(client);
    const resolved = await db.fundOrder.findUniqueOrThrow({ where: { id: order.id } });
    expect(resolved).toMatchObject({
      status: "PAID",
      outOrderNo: order.outOrderNo,
      outRequestNo: order.outRequestNo,
    });
    expect(await fundLedger(alipay, "FUNDING", order.outOrderNo)).toHaveLength(1);
    expect(await expectConsistent(created.id)).toMatchObject({ status: "ACTIVE", budgetFen: 5_000 });
  });

  it("a timeout after Alipay paid is found by the query, not paid again", async () => {
    const created = await createCampaign(
      client,
      marketer.actor,
      campaignInput({ rail: "FUND_COUPON", maxPacketFen: 500 }),
    );
    await alipay.sim.setFaults({ rules: [{ methods: AGREEMENT, timeoutRate: 1, timeoutDelayMs: 4_000 }] });
    const order = await fundByAgreement(client, marketer.actor, {
      campaignId: created.id,
      amountFen: 7_000,
      title: "timeout",
      expiresInMinutes: 60,
    });
    expect(order.status).toBe("UNKNOWN");
    await alipay.sim.setFaults({ rules: [] });
    await resolveFundOrders(client);
    expect(await db.fundOrder.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({
      status: "PAID",
    });
    expect(await fundLedger(alipay, "FUNDING", order.outOrderNo)).toHaveLength(1);
    expect(await expectConsistent(created.id)).toMatchObject({ budgetFen: 7_000 });
  });
});

describe("disbursing payouts", () => {
  it("each payout is one disbursement from the order, and the order's figures follow", async () => {
    const { campaign, order } = await fundedCouponCampaign(alipay, client, marketer.actor, {
      fundingFen: 10_000,
    });
    const payouts = await requestAmounts(campaign.id, [100, 200, 300, 400, 500]);
    await dispatchAll(campaign.id);
    const sent = await db.payout.findMany({ where: { campaignId: campaign.id } });
    expect(sent.every((p) => p.status === "SUCCEEDED" && p.fundOrderId === order.id)).toBe(true);
    const ledger = await fundLedger(alipay, "FUND_COUPON_DISBURSE");
    for (const payout of payouts) {
      const entries = ledger.filter((e) => e.key === `${payout.outBizNo}/${disburseRequestNo(payout)}`);
      expect(entries).toEqual([expect.objectContaining({ amountFen: payout.amountFen })]);
    }
    const summary = await fundingSummary(marketer.actor, campaign.id);
    expect(summary).toMatchObject({
      fundedFen: 10_000,
      disbursedFen: 1_500,
      refundedFen: 0,
      availableFen: 8_500,
    });
    expect(summary.orders).toEqual([
      expect.objectContaining({ id: order.id, disbursedFen: 1_500, refundableFen: 8_500, status: "PAID" }),
    ]);
    expect(await expectConsistent(campaign.id)).toMatchObject({
      spentFen: 1_500,
      sentCount: 5,
      reservedFen: 0,
    });
  });

  it("an amount above the campaign's maximum, or an open id, is refused at request time (4xx)", async () => {
    const { campaign } = await fundedCouponCampaign(alipay, client, marketer.actor, { fundingFen: 1_000 });
    const above = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: recipient(), amountFen: 501, source: "API" }),
    ).catch((e: unknown) => e);
    expect(above).toBeInstanceOf(DomainError);
    expect(above).toMatchObject({ code: "VALIDATION", fieldErrors: { amountFen: expect.any(Array) } });
    const openId = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, {
        identityType: "OPEN_ID",
        identity: "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5",
        source: "API",
      }),
    ).catch((e: unknown) => e);
    expect(openId).toMatchObject({ code: "VALIDATION" });
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(0);
  });

  for (const [name, rule] of [
    ["timeout (processed, answer late)", { methods: DISBURSE, timeoutRate: 1, timeoutDelayMs: 4_000 }],
    ["20000 (not processed)", { methods: DISBURSE, unknownRate: 1 }],
    ["dropped after processing", { methods: DISBURSE, dropRate: 1 }],
  ] as const) {
    it(`a disbursement whose answer is lost (${name}) is resolved by query: paid exactly once`, async () => {
      const { campaign } = await fundedCouponCampaign(alipay, client, marketer.actor, { fundingFen: 2_000 });
      const [payout] = await requestAmounts(campaign.id, [300]);
      await alipay.sim.setFaults({ rules: [rule] });
      const dispatcher = testDispatcher(client, {
        retry: { baseDelayMs: 200, maxDelayMs: 400, maxAttempts: 20 },
      });
      dispatcher.start();
      try {
        await eventually("an unknown outcome", async () =>
          (await db.payoutAttempt.count({ where: { payoutId: payout!.id, outcome: "UNKNOWN" } })) > 0
            ? true
            : null,
        );
        await alipay.sim.setFaults({ rules: [] });
        await waitUntilNone(campaign.id, [...IN_FLIGHT], 30_000);
      } finally {
        await dispatcher.stop();
      }
      const done = await db.payout.findUniqueOrThrow({ where: { id: payout!.id } });
      expect(done).toMatchObject({ status: "SUCCEEDED", awardedFen: 300, outBizNo: payout!.outBizNo });
      const ledger = await fundLedger(alipay, "FUND_COUPON_DISBURSE", `${payout!.outBizNo}/`);
      expect(ledger).toHaveLength(1);
      expect(await expectConsistent(campaign.id)).toMatchObject({ spentFen: 300, reservedFen: 0 });
    });
  }

  it("allocates across orders (earliest expiry first) and refuses what no single order can pay", async () => {
    const { campaign, order: first } = await fundedCouponCampaign(alipay, client, marketer.actor, {
      fundingFen: 1_000,
      expiresInMinutes: 60,
      maxPacketFen: 600,
    });
    const second = await fundByAgreement(client, marketer.actor, {
      campaignId: campaign.id,
      amountFen: 1_000,
      title: "second",
      expiresInMinutes: 24 * 60,
    });
    expect(second.status).toBe("PAID");
    const [a, b] = await requestAmounts(campaign.id, [600, 600]);
    await dispatchAll(campaign.id);
    const [pa, pb] = await Promise.all(
      [a!, b!].map((p) => db.payout.findUniqueOrThrow({ where: { id: p.id } })),
    );
    expect(pa).toMatchObject({ status: "SUCCEEDED", fundOrderId: first.id });
    expect(pb).toMatchObject({ status: "SUCCEEDED", fundOrderId: second.id });
    // 400 left on each: 500 fits the budget (800) but no single order.
    const [c] = await requestAmounts(campaign.id, [500]);
    await dispatchAll(campaign.id);
    const pc = await db.payout.findUniqueOrThrow({ where: { id: c!.id } });
    expect(pc).toMatchObject({
      status: "FAILED",
      failureCode: "FUND_ORDER_REMAIN_NOT_ENOUGH",
      failureRetryable: true,
    });
    expect(await fundLedger(alipay, "FUND_COUPON_DISBURSE", `${c!.outBizNo}/`)).toEqual([]);
    expect(await expectConsistent(campaign.id)).toMatchObject({
      spentFen: 1_200,
      reservedFen: 0,
      budgetFen: 2_000,
    });
  });
});

describe("returning unused funds", () => {
  it("partial, then full: never what payouts hold; then nothing is left", async () => {
    const { campaign, order } = await fundedCouponCampaign(alipay, client, marketer.actor, {
      fundingFen: 10_000,
    });
    const [held] = await requestAmounts(campaign.id, [500]); // approved, not sent: holds 500 of the budget
    const partial = await returnUnusedFunds(client, marketer.actor, {
      campaignId: campaign.id,
      amountFen: 3_000,
    });
    expect(partial).toEqual([
      expect.objectContaining({
        status: "SUCCEEDED",
        kind: "RETURNED",
        amountFen: 3_000,
        fundOrderId: order.id,
      }),
    ]);
    expect(await expectConsistent(campaign.id)).toMatchObject({ refundedFen: 3_000, reservedFen: 500 });
    await expect(
      returnUnusedFunds(client, marketer.actor, { campaignId: campaign.id, amountFen: 6_501 }),
    ).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { amountFen: expect.any(Array) } });
    const full = await returnUnusedFunds(client, marketer.actor, {
      campaignId: campaign.id,
      fundOrderId: order.id,
    });
    expect(full).toEqual([expect.objectContaining({ status: "SUCCEEDED", amountFen: 6_500 })]);
    expect(full[0]!.outRequestNo).not.toBe(partial[0]!.outRequestNo);
    await expect(
      returnUnusedFunds(client, marketer.actor, { campaignId: campaign.id }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const refunds = await fundLedger(alipay, "REFUND", `${order.authNo}/`);
    expect(refunds.map((e) => e.amountFen).sort()).toEqual([3_000, 6_500]);
    expect(await db.fundOrder.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({
      refundedFen: 9_500,
    });
    // The held payout is still paid from what is left.
    await dispatchAll(campaign.id);
    expect(await db.payout.findUniqueOrThrow({ where: { id: held!.id } })).toMatchObject({
      status: "SUCCEEDED",
    });
    expect(await expectConsistent(campaign.id)).toMatchObject({
      spentFen: 500,
      refundedFen: 9_500,
      reservedFen: 0,
    });
  });

  it("closing returns what is left; a refund whose answer is lost is looked up and resent", async () => {
    const { campaign, order } = await fundedCouponCampaign(alipay, client, marketer.actor, {
      fundingFen: 5_000,
    });
    await requestAmounts(campaign.id, [100, 200]);
    await dispatchAll(campaign.id);
    await alipay.sim.setFaults({ rules: [{ methods: REFUND, unknownRate: 1 }] });
    const closed = await closeCampaign(client, marketer.actor, campaign.id);
    expect(closed.status).toBe("CLOSED");
    const pending = await db.campaignRefund.findMany({ where: { campaignId: campaign.id } });
    expect(pending).toEqual([
      expect.objectContaining({ kind: "CLOSING", status: "UNKNOWN", amountFen: 4_700 }),
    ]);
    expect(await expectConsistent(campaign.id)).toMatchObject({ reservedFen: 4_700, refundedFen: 0 });
    await alipay.sim.setFaults({ rules: [] });
    await resolveRefunds(client);
    expect(await db.campaignRefund.findUniqueOrThrow({ where: { id: pending[0]!.id } })).toMatchObject({
      status: "SUCCEEDED",
    });
    const after = await expectConsistent(campaign.id);
    expect(after).toMatchObject({ reservedFen: 0, refundedFen: 4_700, spentFen: 300 });
    // Alipay's side adds up: funded = disbursed + refunded.
    const refunded = await fundLedger(alipay, "REFUND", `${order.authNo}/`);
    expect(refunded.map((e) => e.amountFen)).toEqual([4_700]);
  });

  it("the expiry auto-refund, notified, is recorded once and deferred while payouts hold the money", async () => {
    const receiver = await startReceiver();
    try {
      const notifying = alipay.client({ timeoutMs: 1500, notifyUrl: receiver.url });
      const { campaign, order } = await fundedCouponCampaign(alipay, notifying, marketer.actor, {
        fundingFen: 10_000,
        expiresInMinutes: 10,
      });
      await requestAmounts(campaign.id, [500]);
      await dispatchAll(campaign.id, notifying);
      const [held] = await requestAmounts(campaign.id, [400]); // approved, not sent: holds 400
      await alipay.admin("/__sim/time", { advanceMs: 11 * MINUTE });
      await receiver.waitFor(1);
      const expiry = await eventually("the expiry notification", async () =>
        Promise.resolve(
          receiver.received.find(
            (f) => f.notify_type === "fund_stdtrustee_refund.success" && f.auth_no === order.authNo,
          ) ?? null,
        ),
      );
      expect(expiry.amount).toBe("95.00");
      // 9,500 came back but the held payout's 400 is not available: answered fail until it is released.
      expect(await applyFundCouponNotification(expiry)).toMatchObject({
        outcome: "DEFERRED",
        reason: "notifications.reason.refundExceedsAvailable",
      });
      await cancelPayout(marketer.actor, held!.id);
      expect(await applyFundCouponNotification(expiry)).toMatchObject({
        outcome: "APPLIED",
        entityId: order.id,
      });
      expect(await applyFundCouponNotification(expiry)).toMatchObject({ outcome: "APPLIED" });
      const refunds = await db.campaignRefund.findMany({ where: { campaignId: campaign.id } });
      expect(refunds).toEqual([
        expect.objectContaining({ kind: "EXPIRED", status: "SUCCEEDED", amountFen: 9_500 }),
      ]);
      expect(await db.fundOrder.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({
        refundedFen: 9_500,
      });
      expect(await expectConsistent(campaign.id)).toMatchObject({
        refundedFen: 9_500,
        spentFen: 500,
        reservedFen: 0,
      });
    } finally {
      await receiver.close();
    }
  });

  it("notifications about unknown orders are ignored, a wrong amount refused", async () => {
    const { order } = await fundedCouponCampaign(alipay, client, marketer.actor, { fundingFen: 1_000 });
    expect(
      await applyFundCouponNotification({
        notify_type: "trade_status_sync",
        out_order_no: "NOPE",
        amount: "1.00",
      }),
    ).toMatchObject({ outcome: "IGNORED", reason: "notifications.reason.unknownOrder" });
    expect(
      await applyFundCouponNotification({
        notify_type: "trade_status_sync",
        out_order_no: order.outOrderNo,
        auth_no: order.authNo!,
        operation_id: order.operationId!,
        amount: "9.99",
        status: "SUCCESS",
      }),
    ).toMatchObject({ outcome: "REFUSED", reason: "notifications.reason.amountMismatch" });
    expect(
      await applyFundCouponNotification({
        notify_type: "trade_status_sync",
        out_order_no: order.outOrderNo,
        auth_no: order.authNo!,
        operation_id: order.operationId!,
        amount: "10.00",
        status: "SUCCESS",
      }),
    ).toMatchObject({ outcome: "APPLIED", entityType: "FundOrder", entityId: order.id });
    expect(await expectConsistent(order.campaignId)).toMatchObject({ budgetFen: 1_000 });
  });
});

describe("a funding process killed mid-call", () => {
  for (const crashAt of ["fund_order.pay.before-alipay", "fund_order.pay.after-alipay"] as const) {
    it(`at ${crashAt}: the order left CREATING is resolved by the sweep, paid exactly once`, async () => {
      const created = await createCampaign(
        client,
        marketer.actor,
        campaignInput({ rail: "FUND_COUPON", maxPacketFen: 500 }),
      );
      const child = startConsoleScript(
        "test/support/fund-order-child.ts",
        [marketer.user.id, marketer.user.email, created.id, "3000"],
        consoleEnv(alipay, { HONGBAO_CRASH_AT: crashAt }),
      );
      started.push(child);
      const result = await child.exited;
      expect(result.signal, result.output).toBe("SIGKILL");
      const [left] = await db.fundOrder.findMany({ where: { campaignId: created.id } });
      expect(left).toMatchObject({ status: "CREATING", amountFen: 3_000 });
      const paidBefore = await fundLedger(alipay, "FUNDING", left!.outOrderNo);
      expect(paidBefore).toHaveLength(crashAt === "fund_order.pay.after-alipay" ? 1 : 0);

      // Not yet stale: the sweep leaves a call that may still be under way alone.
      await resolveFundOrders(client);
      expect(await db.fundOrder.findUniqueOrThrow({ where: { id: left!.id } })).toMatchObject({
        status: "CREATING",
      });
      await resolveFundOrders(client, { staleAfterMs: 0 });
      expect(await db.fundOrder.findUniqueOrThrow({ where: { id: left!.id } })).toMatchObject({
        status: "PAID",
      });
      expect(await fundLedger(alipay, "FUNDING", left!.outOrderNo)).toHaveLength(1);
      expect(await expectConsistent(created.id)).toMatchObject({ status: "ACTIVE", budgetFen: 3_000 });
      const actions = (
        await db.auditEvent.findMany({ where: { entityId: left!.id }, orderBy: { createdAt: "asc" } })
      ).map((a) => a.action);
      expect(actions).toEqual(["fund_order.create", "fund_order.unknown", "fund_order.paid"]);
    });
  }
});
