/**
 * The TRANSFER rail (现金红包 by alipay.fund.trans.uni.transfer) end to end: a real database, the simulator over
 * HTTP through the real SDK, the real dispatcher. Amounts within the campaign's maximum, the merchant balance
 * paying, faults resolved by common.query without paying twice, the resend after ORDER_NOT_EXIST, the alarm on
 * PAYMENT_INFO_INCONSISTENCY, the console's own per-user limits, and alipay.fund.trans.order.changed messages.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Campaign } from "@/generated/prisma/client";
import type { AlipayClient } from "@/lib/alipay/client";
import { transferRedPacket } from "@/lib/alipay/transfer";
import { submitBatch } from "@/lib/batches/service";
import { recomputeBudget } from "@/lib/budget/service";
import { dashboardSummary } from "@/lib/campaigns/queries";
import { createCampaign } from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import type { PayoutStatus } from "@/lib/enums";
import { applyTransferOrderChanged } from "@/lib/payouts/rails/transfer-messages";
import { requestPayout } from "@/lib/payouts/request";
import type { CampaignInput } from "@/lib/validation/campaigns";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { batchFile, refusal, uniquePrefix } from "../support/batches";
import { insertUser } from "../support/factories";
import {
  campaignInput,
  payoutRequest,
  testDispatcher,
  userId,
  waitUntilNone,
  type LedgerEntry,
} from "../support/payouts";

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let admin: Awaited<ReturnType<typeof insertUser>>;
/** Recipients in this file's own range, one fresh id each (the simulator allows 10 receipts a payee a day). */
let nextUser = 0;
const recipient = () => userId(3_500_000 + ++nextUser);

const SETTLING: PayoutStatus[] = ["APPROVED", "SENDING", "UNKNOWN"];

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 600 });
  [marketer, admin] = await Promise.all([insertUser("marketer"), insertUser("admin")]);
  await alipay.admin("/__sim/balance", { fen: 1_000_000_000 });
});
afterAll(() => alipay.sim.stop());
afterEach(() => alipay.sim.setFaults({ rules: [] }));

function transferCampaign(overrides: Partial<CampaignInput> = {}): Promise<Campaign> {
  return createCampaign(
    client,
    marketer.actor,
    campaignInput({ rail: "TRANSFER", maxPacketFen: 500, budgetFen: 10_000, packetCount: 0, ...overrides }),
  );
}

/** The simulator's transfers under these keys (what was really paid). */
async function transfersFor(outBizNos: readonly string[]): Promise<LedgerEntry[]> {
  const ledger = await alipay.admin<LedgerEntry[]>("/__sim/ledger");
  return ledger.filter((e) => e.kind === "TRANSFER" && outBizNos.includes(e.key));
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function auditActionsOf(payoutId: string): Promise<string[]> {
  const events = await db.auditEvent.findMany({
    where: { entityId: payoutId },
    orderBy: { createdAt: "asc" },
  });
  return events.map((e) => e.action);
}

describe("paying from the merchant balance", () => {
  it("a new TRANSFER campaign is ACTIVE with no Alipay call", async () => {
    const campaign = await transferCampaign();
    expect(campaign).toMatchObject({ status: "ACTIVE", rail: "TRANSFER", maxPacketFen: 500, crowdNo: null });
  });

  it("pays the requested amounts, once each, and spends exactly them", async () => {
    const campaign = await transferCampaign();
    const before = await alipay.admin<{ fen: number }>("/__sim/balance");
    const asked = [
      { outBizNo: "tr_a", amountFen: 1 },
      { outBizNo: "tr_b", amountFen: 250 },
      { outBizNo: "tr_c", amountFen: 500 },
      { outBizNo: "tr_d", amountFen: null }, // the campaign's maximum
    ];
    const payouts = [];
    for (const a of asked) {
      const { payout } = await requestPayout(
        marketer.actor,
        payoutRequest(campaign.id, { identity: recipient(), outBizNo: a.outBizNo, amountFen: a.amountFen }),
      );
      expect(payout.status).toBe("APPROVED");
      payouts.push(payout);
    }
    expect(payouts.map((p) => p.amountFen)).toEqual([1, 250, 500, 500]);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(1_251);

    const dispatcher = testDispatcher(client);
    dispatcher.start();
    await waitUntilNone(campaign.id, SETTLING);
    await dispatcher.stop();

    const sent = await db.payout.findMany({
      where: { campaignId: campaign.id },
      orderBy: { outBizNo: "asc" },
    });
    expect(sent.map((p) => [p.outBizNo, p.status, p.awardedFen])).toEqual([
      ["tr_a", "SUCCEEDED", 1],
      ["tr_b", "SUCCEEDED", 250],
      ["tr_c", "SUCCEEDED", 500],
      ["tr_d", "SUCCEEDED", 500],
    ]);
    for (const p of sent) expect(p.alipayReference).toMatch(/^\d+$/);
    const ledger = await transfersFor(asked.map((a) => a.outBizNo));
    expect(ledger.map((e) => [e.key, e.amountFen]).sort()).toEqual([
      ["tr_a", 1],
      ["tr_b", 250],
      ["tr_c", 500],
      ["tr_d", 500],
    ]);
    expect(ledger.map((e) => e.user).sort()).toEqual(sent.map((p) => p.identity).sort());
    const after = await alipay.admin<{ fen: number }>("/__sim/balance");
    expect(before.fen - after.fen).toBe(1_251);
    const figures = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(figures).toMatchObject({ reservedFen: 0, spentFen: 1_251, sentCount: 4 });
    expect(await recomputeBudget(db, campaign.id)).toMatchObject({ reservedFen: 0, spentFen: 1_251 });
  });

  it("spaces its calls to the rail's own rate (ALIPAY_TRANSFER_MAX_QPS, 10 a second by default)", async () => {
    const campaign = await transferCampaign();
    const keys = Array.from({ length: 25 }, (_, i) => `tr_rate_${i}`);
    for (const outBizNo of keys)
      await requestPayout(
        marketer.actor,
        payoutRequest(campaign.id, { identity: recipient(), outBizNo, amountFen: 10 }),
      );
    const dispatcher = testDispatcher(client);
    dispatcher.start();
    await waitUntilNone(campaign.id, SETTLING);
    await dispatcher.stop();
    const times = (await alipay.admin<Array<LedgerEntry & { at: string }>>("/__sim/ledger"))
      .filter((e) => e.kind === "TRANSFER" && keys.includes(e.key))
      .map((e) => Date.parse(e.at))
      .sort((a, b) => a - b);
    expect(times).toHaveLength(25);
    // 25 calls at 10 a second span three of the limiter's seconds; unmetered they take a few milliseconds.
    expect(times[24]! - times[0]!).toBeGreaterThanOrEqual(1_000);
    const [window] = await db.$queryRaw<
      { key: string }[]
    >`SELECT key FROM "RateWindow" WHERE key = 'rail:TRANSFER'`;
    expect(window?.key).toBe("rail:TRANSFER");
  });

  it("refuses an amount above the campaign's maximum on amountFen, writing nothing", async () => {
    const campaign = await transferCampaign({ maxPacketFen: 300 });
    const error = await refusal(
      requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: recipient(), amountFen: 301 })),
    );
    expect(error.code).toBe("VALIDATION");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["amountFen"]);
    expect(error.fieldErrors?.amountFen?.[0]).toMatchObject({
      key: "payouts.errors.amountAboveMax",
      params: { maximum: "¥3.00" },
    });
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(0);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(0);
  });

  it("a key another campaign already sent is refused on outBizNo: Alipay keeps out_biz_no unique per merchant", async () => {
    const [first, second] = [await transferCampaign(), await transferCampaign()];
    const key = uniquePrefix("shared").replace(/\W/g, "_").slice(0, 40);
    await requestPayout(marketer.actor, payoutRequest(first.id, { identity: recipient(), outBizNo: key }));
    const error = await refusal(
      requestPayout(marketer.actor, payoutRequest(second.id, { identity: recipient(), outBizNo: key })),
    );
    expect(error.code).toBe("CONFLICT");
    expect(error.fieldErrors?.outBizNo?.[0]).toMatchObject({ key: "payouts.errors.outBizNoUsedElsewhere" });
    expect(await db.payout.count({ where: { campaignId: second.id } })).toBe(0);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: second.id } })).reservedFen).toBe(0);
  });

  it("a login id needs the payee's name (4xx on payeeName, nothing written); with it, it is paid", async () => {
    const campaign = await transferCampaign();
    const login = `rail${Date.now()}@example.com`;
    const error = await refusal(
      requestPayout(
        marketer.actor,
        payoutRequest(campaign.id, { identityType: "LOGIN_ID", identity: login, amountFen: 100 }),
      ),
    );
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors?.payeeName?.[0]).toMatchObject({ key: "payouts.errors.payeeNameRequired" });
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(0);

    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, {
        identityType: "LOGIN_ID",
        identity: login,
        payeeName: "张三",
        amountFen: 100,
        outBizNo: "tr_login",
      }),
    );
    const dispatcher = testDispatcher(client);
    dispatcher.start();
    await waitUntilNone(campaign.id, SETTLING);
    await dispatcher.stop();
    expect(await db.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({
      status: "SUCCEEDED",
      payeeName: "张三",
    });
    expect((await transfersFor(["tr_login"])).map((e) => e.user)).toEqual([login]);
  });
});

describe("unknown outcomes", () => {
  /**
   * Sends one payout under `faults` (on uni.transfer only, so the query answers), waits for its outcome to be
   * UNKNOWN, lifts the faults and lets the resolver settle it. The dispatcher's retry delay is long, so the
   * payout is brought forward by hand: what settles it is one resolve, not a race with the faults.
   */
  async function throughFault(
    rule: Record<string, unknown>,
    outBizNo: string,
    options: { processed: boolean },
  ) {
    const campaign = await transferCampaign();
    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: recipient(), outBizNo, amountFen: 123 }),
    );
    await alipay.admin("/__sim/faults", { rules: [{ methods: "alipay.fund.trans.uni.transfer", ...rule }] });
    const dispatcher = testDispatcher(client, {
      retry: { baseDelayMs: 60_000, maxDelayMs: 60_000, maxAttempts: 20 },
    });
    dispatcher.start();
    try {
      await waitFor(
        "the first attempt",
        () => db.payout.findUniqueOrThrow({ where: { id: payout.id } }),
        (p) => p.status === "UNKNOWN",
      );
      expect(await transfersFor([outBizNo])).toHaveLength(options.processed ? 1 : 0);
      await alipay.admin("/__sim/faults", { rules: [] });
      await db.payout.update({ where: { id: payout.id }, data: { nextAttemptAt: new Date() } });
      dispatcher.nudge();
      await waitUntilNone(campaign.id, SETTLING, 20_000);
    } finally {
      await dispatcher.stop();
    }
    const settled = await db.payout.findUniqueOrThrow({
      where: { id: payout.id },
      include: { attempts: { orderBy: { number: "asc" } } },
    });
    expect(settled).toMatchObject({ status: "SUCCEEDED", awardedFen: 123, attemptCount: 2 });
    expect(settled.attempts.map((a) => a.outcome)).toEqual(["UNKNOWN", "OK"]);
    const ledger = await transfersFor([outBizNo]);
    expect(ledger.map((e) => e.amountFen)).toEqual([123]);
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      reservedFen: 0,
      spentFen: 123,
    });
    return settled;
  }

  it("a timeout (processed, answer lost) is learned by common.query: paid once", async () => {
    const settled = await throughFault({ timeoutRate: 1, timeoutDelayMs: 2_500 }, "tr_timeout", {
      processed: true,
    });
    // The second attempt is the query's answer (it found the transfer), not a second transfer.
    expect(settled.attempts[1]!.rawReply).toMatchObject({ status: "SUCCESS", trans_amount: "1.23" });
  });

  it("20000 (not processed): the query says ORDER_NOT_EXIST and the identical request is sent again", async () => {
    const settled = await throughFault({ unknownRate: 1 }, "tr_20000", { processed: false });
    expect(settled.attempts[0]).toMatchObject({ code: "20000" });
    // The resend's own answer (uni.transfer's fields), under the same key.
    expect(settled.attempts[1]!.rawReply).toMatchObject({ out_biz_no: "tr_20000", status: "SUCCESS" });
    // Identical: the same request again is answered from Alipay's idempotency record, paying nothing more…
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: settled.campaignId } });
    const again = await transferRedPacket(client, {
      outBizNo: "tr_20000",
      amountFen: 123,
      recipient: { identityType: "USER_ID", identity: settled.identity },
      orderTitle: campaign.name,
      remark: campaign.prizeMessage,
    });
    expect(again.kind).toBe("ok");
    expect(await transfersFor(["tr_20000"])).toHaveLength(1);
    // …while anything different under it is PAYMENT_INFO_INCONSISTENCY.
    const changed = await transferRedPacket(client, {
      outBizNo: "tr_20000",
      amountFen: 124,
      recipient: { identityType: "USER_ID", identity: settled.identity },
      orderTitle: campaign.name,
      remark: campaign.prizeMessage,
    });
    expect(changed).toMatchObject({ kind: "rejected", subCode: "PAYMENT_INFO_INCONSISTENCY" });
  });

  it("a connection dropped before processing, and HTTP 500: resent once Alipay answers", async () => {
    await throughFault({ dropRate: 1, dropBeforeProcessing: true }, "tr_drop", { processed: false });
    await throughFault({ http500Rate: 1 }, "tr_http500", { processed: false });
  });

  it("many payouts under random faults: every one settles, none is paid twice", async () => {
    const campaign = await transferCampaign({ budgetFen: 100_000 });
    const keys = Array.from({ length: 30 }, (_, i) => `tr_chaos_${i}`);
    for (const [i, outBizNo] of keys.entries())
      await requestPayout(
        marketer.actor,
        payoutRequest(campaign.id, { identity: recipient(), outBizNo, amountFen: 100 + i }),
      );
    alipay.sim.setFaults({
      seed: 7,
      rules: [
        {
          methods: "alipay.fund.trans.*",
          timeoutRate: 0.15,
          timeoutDelayMs: 2_000,
          unknownRate: 0.15,
          dropRate: 0.15,
        },
      ],
    });
    const dispatcher = testDispatcher(client, {
      retry: { baseDelayMs: 50, maxDelayMs: 300, maxAttempts: 40 },
    });
    dispatcher.start();
    try {
      await waitUntilNone(campaign.id, SETTLING, 60_000);
    } finally {
      await dispatcher.stop();
    }
    const payouts = await db.payout.findMany({ where: { campaignId: campaign.id } });
    expect(payouts.every((p) => p.status === "SUCCEEDED")).toBe(true);
    const ledger = await transfersFor(keys);
    expect(ledger).toHaveLength(keys.length);
    expect(new Set(ledger.map((e) => e.key)).size).toBe(keys.length);
    const total = keys.reduce((sum, _, i) => sum + 100 + i, 0);
    expect(ledger.reduce((sum, e) => sum + e.amountFen, 0)).toBe(total);
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      reservedFen: 0,
      spentFen: total,
      sentCount: keys.length,
    });
  }, 90_000);
});

describe("PAYMENT_INFO_INCONSISTENCY", () => {
  it("is an alarm: NEEDS_ATTENTION at once, budget still held, payout.alarm audited, on the dashboard", async () => {
    const campaign = await transferCampaign();
    const identity = recipient();
    // Someone else already used the key at Alipay with another amount.
    const other = await transferRedPacket(client, {
      outBizNo: "tr_clash",
      amountFen: 999,
      recipient: { identityType: "USER_ID", identity },
    });
    expect(other.kind).toBe("ok");
    const alarmsBefore = (await dashboardSummary(admin.actor)).alarms;

    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity, outBizNo: "tr_clash", amountFen: 100 }),
    );
    const dispatcher = testDispatcher(client);
    dispatcher.start();
    await waitUntilNone(campaign.id, SETTLING);
    await dispatcher.stop();

    const flagged = await db.payout.findUniqueOrThrow({
      where: { id: payout.id },
      include: { attempts: true },
    });
    expect(flagged).toMatchObject({
      status: "NEEDS_ATTENTION",
      attentionReason: "PAYMENT_INFO_INCONSISTENCY",
      failureCode: "PAYMENT_INFO_INCONSISTENCY",
      attemptCount: 1,
      awardedFen: null,
    });
    expect(flagged.failureMessage).toBeTruthy();
    expect(flagged.attempts).toHaveLength(1);
    expect(flagged.attempts[0]).toMatchObject({ outcome: "REJECTED", subCode: "PAYMENT_INFO_INCONSISTENCY" });
    expect(await auditActionsOf(payout.id)).toEqual(["payout.request", "payout.claim", "payout.alarm"]);
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      reservedFen: 100,
      spentFen: 0,
    });
    // Only the other payment happened under the key.
    expect((await transfersFor(["tr_clash"])).map((e) => e.amountFen)).toEqual([999]);
    expect((await dashboardSummary(admin.actor)).alarms).toBe(alarmsBefore + 1);
  });
});

describe("the console's per-user limits", () => {
  it("dailyAmountPerUserFen: at most that much per recipient per Beijing day, refused on identity", async () => {
    const campaign = await transferCampaign({
      dailyAmountPerUserFen: 600,
      maxPacketFen: 600,
      autoApproveMaxFen: 0,
    });
    const identity = recipient();
    await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity, amountFen: 300 }));
    await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity, amountFen: 300 }));
    const error = await refusal(
      requestPayout(marketer.actor, payoutRequest(campaign.id, { identity, amountFen: 1 })),
    );
    expect(error.code).toBe("CONFLICT");
    expect(error.fieldErrors?.identity?.[0]).toMatchObject({
      key: "payouts.errors.dailyAmountLimit",
      params: { limit: "¥6.00" },
    });
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(2);
    // Another recipient has their own allowance; a cancelled payout no longer counts.
    await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: recipient(), amountFen: 600 }),
    );
    const first = await db.payout.findFirstOrThrow({ where: { campaignId: campaign.id, identity } });
    await db.payout.update({ where: { id: first.id }, data: { status: "CANCELED" } });
    await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity, amountFen: 300 }));
  });

  it("dailyAmountPerUserFen in a batch: refused as a whole when a recipient would go over", async () => {
    const campaign = await transferCampaign({ dailyAmountPerUserFen: 900, maxPacketFen: 500 });
    const identity = recipient();
    const prefix = uniquePrefix("trb");
    const file = batchFile([
      `用户ID,${identity},积分兑换,,${prefix}_1`,
      `用户ID,${identity},积分兑换,,${prefix}_2`,
    ]);
    const error = await refusal(
      submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows: 2 }),
    );
    expect(error.fieldErrors?.file?.[0]).toMatchObject({ key: "payouts.errors.dailyAmountLimit" });
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(0);
    const one = batchFile([`用户ID,${identity},积分兑换,,${prefix}_3`]);
    await submitBatch(marketer.actor, { campaignId: campaign.id, file: one, expectedValidRows: 1 });
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(1);
  });

  it("a batch carries the name column to the payout; a login id without one is an invalid row", async () => {
    const campaign = await transferCampaign();
    const prefix = uniquePrefix("trn");
    const header = "收款人类型,收款人,姓名,场景,备注,业务单号";
    const file = batchFile(
      [
        `登录账号,named${prefix}@example.com,李四,积分兑换,,${prefix}_1`,
        `登录账号,nameless${prefix}@example.com,,积分兑换,,${prefix}_2`,
      ],
      { header },
    );
    await submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows: 1 });
    const payouts = await db.payout.findMany({ where: { campaignId: campaign.id } });
    expect(payouts.map((p) => [p.outBizNo, p.payeeName])).toEqual([[`${prefix}_1`, "李四"]]);
  });
});

describe("alipay.fund.trans.order.changed", () => {
  const message = (outBizNo: string, amount: string, status = "SUCCESS") => ({
    out_biz_no: outBizNo,
    order_id: "20260101000000000000000000000001",
    product_code: "STD_RED_PACKET",
    biz_scene: "DIRECT_TRANSFER",
    origin_interface: "alipay.fund.trans.uni.transfer",
    status,
    action_type: "FINISH",
    trans_amount: amount,
  });

  it("an out_biz_no no transfer payout has is ignored", async () => {
    expect(await applyTransferOrderChanged(message(`nobody_${Date.now()}`, "1.00"))).toEqual({
      outcome: "IGNORED",
      reason: "notifications.reason.unknownPayout",
    });
    expect(await applyTransferOrderChanged({ status: "SUCCESS" })).toMatchObject({ outcome: "IGNORED" });
  });

  it("another amount is refused and audited; a settled payout's own message is applied, again and again", async () => {
    const campaign = await transferCampaign();
    const outBizNo = uniquePrefix("trm");
    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: recipient(), outBizNo, amountFen: 150 }),
    );
    const dispatcher = testDispatcher(client);
    dispatcher.start();
    await waitUntilNone(campaign.id, SETTLING);
    await dispatcher.stop();

    expect(await applyTransferOrderChanged(message(outBizNo, "1.51"))).toEqual({
      outcome: "REFUSED",
      reason: "notifications.reason.amountMismatch",
      entityType: "Payout",
      entityId: payout.id,
    });
    expect(await auditActionsOf(payout.id)).toContain("payout.notification_refused");
    for (let i = 0; i < 2; i++)
      expect(await applyTransferOrderChanged(message(outBizNo, "1.50"))).toEqual({
        outcome: "APPLIED",
        entityType: "Payout",
        entityId: payout.id,
      });
    expect(await db.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({
      status: "SUCCEEDED",
      awardedFen: 150,
    });
  });

  it("an UNKNOWN payout is brought forward and settled by the query at once", async () => {
    const campaign = await transferCampaign();
    const outBizNo = uniquePrefix("tru");
    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: recipient(), outBizNo, amountFen: 160 }),
    );
    await alipay.admin("/__sim/faults", {
      rules: [{ methods: "alipay.fund.trans.uni.transfer", timeoutRate: 1, timeoutDelayMs: 2_500 }],
    });
    // Without the message it would wait a minute before asking again.
    const dispatcher = testDispatcher(client, {
      retry: { baseDelayMs: 60_000, maxDelayMs: 60_000, maxAttempts: 20 },
    });
    dispatcher.start();
    try {
      await waitFor(
        "the unknown outcome",
        () => db.payout.findUniqueOrThrow({ where: { id: payout.id } }),
        (p) => p.status === "UNKNOWN",
      );
      await alipay.admin("/__sim/faults", { rules: [] });
      expect(await applyTransferOrderChanged(message(outBizNo, "1.60"))).toEqual({
        outcome: "APPLIED",
        entityType: "Payout",
        entityId: payout.id,
      });
      await waitUntilNone(campaign.id, SETTLING, 10_000);
    } finally {
      await dispatcher.stop();
    }
    expect(await db.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({
      status: "SUCCEEDED",
      awardedFen: 160,
      attemptCount: 2,
    });
    expect((await transfersFor([outBizNo])).map((e) => e.amountFen)).toEqual([160]);
  });
});
