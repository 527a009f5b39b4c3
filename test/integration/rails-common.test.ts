/**
 * What every payout rail must guarantee, run against each of the three with the same assertions: a request
 * replayed at once makes one payout and one payment; concurrent requests never hold more than the budget; and
 * lost or unknown answers are resolved under the same key without paying anyone twice. Real database, the
 * simulator over HTTP through the real SDK, the real dispatcher; the simulator's ledger is the proof of what was
 * paid. Each rail brings only how a campaign able to pay is made, which Alipay methods carry its payments, and
 * where its payments show in the ledger.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Campaign, CampaignRail } from "@/generated/prisma/client";
import type { AlipayClient } from "@/lib/alipay/client";
import type { FaultRule } from "@/lib/alipay-sim";
import { checkBudgets, recomputeBudget } from "@/lib/budget/service";
import { createCampaign } from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import type { PayoutStatus } from "@/lib/enums";
import { DomainError } from "@/lib/errors";
import { railFor } from "@/lib/payouts/rails";
import { requestPayout } from "@/lib/payouts/request";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import { fundedCouponCampaign } from "../support/fund-coupon";
import {
  activeCampaign,
  campaignInput,
  payoutRequest,
  testDispatcher,
  userId,
  waitUntilNone,
  type LedgerEntry,
} from "../support/payouts";

const SETTLING: PayoutStatus[] = ["APPROVED", "SENDING", "UNKNOWN"];
const PACKET_FEN = 100;

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;

beforeAll(async () => {
  alipay = await startTestAlipay();
  // A short client timeout: every injected timeout costs the dispatcher this long, not the simulator's hold.
  client = alipay.client({ timeoutMs: 600 });
  marketer = await insertUser("marketer");
  // TRANSFER pays from the merchant balance, and FUND_COUPON's agreement pay draws on it too: never the limit.
  await alipay.admin("/__sim/balance", { fen: 1_000_000_000 });
});
afterAll(() => alipay.sim.stop());
afterEach(() => alipay.sim.setFaults({ rules: [] }));

/** A ledger entry with the payout key it was paid under (out_biz_no / out_order_no). */
type Payment = LedgerEntry & { outBizNo: string };

type RailCase = {
  rail: CampaignRail;
  /** This rail's recipients are userId(users + …): distinct per rail and per test (payees have daily limits). */
  users: number;
  /** An ACTIVE campaign that can pay exactly `budgetFen` in packets of `packetFen`. */
  ready(budgetFen: number, packetFen: number): Promise<Campaign>;
  /** The Alipay methods faults are injected on: the payment itself, and the query that resolves it (if any). */
  methods: { send: string; query: string | null };
  /** The simulator's payments that belong to this campaign, whatever key they were made under. */
  ledger(campaign: Campaign): Promise<Payment[]>;
  /** Payouts in the fault test. */
  faultPayouts: number;
  /** Calls in flight for the dispatcher. */
  concurrency: number;
};

async function ledgerOf(kind: string): Promise<LedgerEntry[]> {
  const ledger = await alipay.admin<LedgerEntry[]>("/__sim/ledger");
  return ledger.filter((e) => e.kind === kind);
}

async function payoutKeys(campaignId: string): Promise<Set<string>> {
  const payouts = await db.payout.findMany({ where: { campaignId }, select: { outBizNo: true } });
  return new Set(payouts.map((p) => p.outBizNo));
}

const RAILS: RailCase[] = [
  {
    rail: "CASH_CAMPAIGN",
    users: 3_700_000,
    ready: (budgetFen, packetFen) =>
      activeCampaign(alipay, client, marketer.actor, { budgetFen, packetCount: budgetFen / packetFen }),
    // No query: the resolver sends the same trigger again and Alipay answers with the earlier result.
    methods: { send: "alipay.marketing.campaign.cash.trigger", query: null },
    async ledger(campaign) {
      // Keys are `<crowd_no>/<out_biz_no>`: every trigger of the campaign's Alipay campaign, under any key.
      const prefix = `${campaign.crowdNo}/`;
      return (await ledgerOf("CAMPAIGN_TRIGGER"))
        .filter((e) => e.key.startsWith(prefix))
        .map((e) => ({ ...e, outBizNo: e.key.slice(prefix.length) }));
    },
    faultPayouts: 150,
    concurrency: 64,
  },
  {
    rail: "FUND_COUPON",
    users: 3_710_000,
    async ready(budgetFen, packetFen) {
      const { campaign } = await fundedCouponCampaign(alipay, client, marketer.actor, {
        fundingFen: budgetFen,
        maxPacketFen: packetFen,
      });
      return campaign;
    },
    methods: { send: "alipay.fund.coupon.order.disburse", query: "alipay.fund.coupon.operation.query" },
    async ledger(campaign) {
      // Keys are `<out_order_no>/<out_request_no>`: any disbursement under one of the payouts' out_order_no,
      // whatever its request number, so a second disbursement under another one would show.
      const keys = await payoutKeys(campaign.id);
      return (await ledgerOf("FUND_COUPON_DISBURSE"))
        .map((e) => ({ ...e, outBizNo: e.key.split("/")[0] ?? "" }))
        .filter((e) => keys.has(e.outBizNo));
    },
    faultPayouts: 150,
    concurrency: 64,
  },
  {
    rail: "TRANSFER",
    users: 3_720_000,
    ready: (budgetFen, packetFen) =>
      createCampaign(
        client,
        marketer.actor,
        campaignInput({ rail: "TRANSFER", budgetFen, maxPacketFen: packetFen, packetCount: 0 }),
      ),
    methods: { send: "alipay.fund.trans.uni.transfer", query: "alipay.fund.trans.common.query" },
    async ledger(campaign) {
      const keys = await payoutKeys(campaign.id);
      return (await ledgerOf("TRANSFER"))
        .filter((e) => keys.has(e.key))
        .map((e) => ({ ...e, outBizNo: e.key }));
    },
    // The rail is held to ALIPAY_TRANSFER_MAX_QPS (10 calls a second by default, Alipay's rate for B2C red
    // packets), read once when lib/env.ts is imported, and the dispatcher spaces sends and queries alike to it.
    // The test keeps that production default rather than changing the environment under the rail, so the fault
    // case is sized to stay quick: 60 payouts are ~100 calls (about ten seconds) where 150 would be ~250.
    faultPayouts: 60,
    // More in flight would only queue for the rate while the claims' leases run down.
    concurrency: 16,
  },
];

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

async function dispatchAll(fixture: RailCase, campaignId: string, timeoutMs = 60_000): Promise<void> {
  // testDispatcher's retry policy (50 ms doubling to 400 ms, 20 attempts) brings an unknown outcome back within
  // a second, and at these fault rates no payout comes near 20 attempts (NEEDS_ATTENTION would fail the test).
  const dispatcher = testDispatcher(client, { concurrency: fixture.concurrency });
  dispatcher.start();
  try {
    await waitUntilNone(campaignId, SETTLING, timeoutMs);
  } finally {
    await dispatcher.stop();
  }
}

/** Stored figures agree with the payouts themselves, and the consistency check flags nothing on the campaign. */
async function expectConsistent(campaignId: string): Promise<Campaign> {
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  expect(await recomputeBudget(db, campaignId)).toEqual({
    reservedFen: campaign.reservedFen,
    spentFen: campaign.spentFen,
    sentCount: campaign.sentCount,
    refundedFen: campaign.refundedFen,
  });
  expect((await checkBudgets()).map((m) => m.campaignId)).not.toContain(campaignId);
  return campaign;
}

describe.each(RAILS)("$rail", (fixture) => {
  const recipient = (i: number) => userId(fixture.users + i);

  it("the same request 20 times at once makes one payout and one payment; changed fields are a conflict", async () => {
    const campaign = await fixture.ready(10 * PACKET_FEN, PACKET_FEN);
    expect(campaign.status).toBe("ACTIVE");
    // FUND_COUPON and TRANSFER keys are unique per merchant, not per campaign: one of this rail's own.
    const same = payoutRequest(campaign.id, {
      identity: recipient(1),
      outBizNo: `common_${fixture.rail}_42`,
      memo: "redeem",
    });
    const results = await Promise.all(Array.from({ length: 20 }, () => requestPayout(marketer.actor, same)));
    expect(new Set(results.map((r) => r.payout.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(1);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(
      PACKET_FEN,
    );

    // A rail whose requests name an amount compares it too; on CASH_CAMPAIGN the campaign sizes the packet.
    const changesAmount = railFor(fixture.rail).amountFromRequest;
    const conflict = await refusal(
      requestPayout(marketer.actor, {
        ...same,
        identity: recipient(2),
        memo: "other",
        ...(changesAmount ? { amountFen: PACKET_FEN - 1 } : {}),
      }),
    );
    const fields = changesAmount ? ["identity", "memo", "amountFen"] : ["identity", "memo"];
    expect(conflict.code).toBe("CONFLICT");
    expect(conflict.ref.params).toMatchObject({ fields: fields.join(", ") });
    expect(Object.keys(conflict.fieldErrors ?? {})).toEqual(fields);
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(1);

    await dispatchAll(fixture, campaign.id);
    const ledger = await fixture.ledger(campaign);
    expect(ledger.map((e) => [e.outBizNo, e.user, e.amountFen])).toEqual([
      [same.outBizNo, recipient(1), PACKET_FEN],
    ]);
    expect(await db.payout.findFirstOrThrow({ where: { campaignId: campaign.id } })).toMatchObject({
      status: "SUCCEEDED",
      awardedFen: PACKET_FEN,
    });
    expect(await expectConsistent(campaign.id)).toMatchObject({
      reservedFen: 0,
      spentFen: PACKET_FEN,
      sentCount: 1,
    });
  });

  it("120 concurrent requests against a budget for 30 packets: exactly 30 accepted and paid, 90 refused", async () => {
    const budgetFen = 30 * PACKET_FEN;
    const campaign = await fixture.ready(budgetFen, PACKET_FEN);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 120 }, (_, i) =>
        requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: recipient(1_000 + i) })),
      ),
    );
    // Anything but a DomainError is shown as its message, so a failure says what went wrong.
    const refused = outcomes
      .filter((o) => o.status === "rejected")
      .map((o) => (o.reason instanceof DomainError ? o.reason.ref.key : String(o.reason)));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(30);
    expect(refused).toHaveLength(90);
    expect(new Set(refused)).toEqual(new Set(["payouts.errors.budgetExhausted"]));
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(30);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(budgetFen);

    await dispatchAll(fixture, campaign.id);
    const ledger = await fixture.ledger(campaign);
    expect(ledger).toHaveLength(30);
    expect(new Set(ledger.map((e) => e.outBizNo))).toEqual(await payoutKeys(campaign.id));
    const figures = await expectConsistent(campaign.id);
    expect(ledger.reduce((sum, e) => sum + e.amountFen, 0)).toBe(figures.spentFen);
    expect(figures).toMatchObject({ spentFen: budgetFen, reservedFen: 0, sentCount: 30 });
  });

  it("with ~30 % timeouts and ~10 % 20000 (queries failing too), every payout is paid exactly once", async () => {
    const n = fixture.faultPayouts;
    const campaign = await fixture.ready(n * PACKET_FEN, PACKET_FEN);
    for (let i = 0; i < n; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, (_, j) =>
          requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: recipient(5_000 + i + j) })),
        ),
      );
    }
    // Timeouts are processed and their answer held well beyond the client's timeout (undici's can fire late);
    // 20000 is not processed. A query that times out or answers 20000 says nothing, so the payout stays unknown.
    const rules: FaultRule[] = [
      { methods: fixture.methods.send, timeoutRate: 0.3, timeoutDelayMs: 2_000, unknownRate: 0.1 },
    ];
    if (fixture.methods.query)
      rules.push({
        methods: fixture.methods.query,
        timeoutRate: 0.1,
        timeoutDelayMs: 2_000,
        unknownRate: 0.1,
      });
    alipay.sim.setFaults({ seed: 11, rules });

    await dispatchAll(fixture, campaign.id, 120_000);

    const payouts = await db.payout.findMany({ where: { campaignId: campaign.id } });
    expect(payouts.filter((p) => p.status !== "SUCCEEDED").map((p) => [p.outBizNo, p.status])).toEqual([]);
    expect(payouts).toHaveLength(n);
    const ledger = await fixture.ledger(campaign);
    expect(ledger).toHaveLength(n);
    expect(new Set(ledger.map((e) => e.outBizNo)).size).toBe(n);
    // Each payout's own payment: its key, its payee, what it recorded as awarded.
    const paid = new Map(ledger.map((e) => [e.outBizNo, e]));
    const unmatched = payouts.filter((p) => {
      const entry = paid.get(p.outBizNo);
      return !entry || entry.user !== p.identity || entry.amountFen !== p.awardedFen;
    });
    expect(unmatched.map((p) => p.outBizNo)).toEqual([]);

    const figures = await expectConsistent(campaign.id);
    expect(figures).toMatchObject({ spentFen: n * PACKET_FEN, reservedFen: 0, sentCount: n });
    expect(ledger.reduce((sum, e) => sum + e.amountFen, 0)).toBe(figures.spentFen);
    // The faults happened and were resolved under the same keys: unknown attempts, and processed timeouts
    // learnt as the earlier payment (a repeat), not paid again.
    const attempts = (outcome: { outcome?: "UNKNOWN"; repeat?: true }) =>
      db.payoutAttempt.count({ where: { payout: { campaignId: campaign.id }, ...outcome } });
    expect(await attempts({ outcome: "UNKNOWN" })).toBeGreaterThan(0);
    expect(await attempts({ repeat: true })).toBeGreaterThan(0);
  }, 150_000);
});
