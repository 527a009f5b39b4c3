/**
 * Contract tests of the Alipay client (lib/alipay) against the local gateway simulator, through the real
 * alipay-sdk over HTTP: every API's success, business failures, idempotent replays, and each injected fault →
 * the right ok / rejected / unknown classification. Nothing is mocked.
 */
import crypto from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createCashCampaign,
  getCashCampaignDetail,
  listCashCampaigns,
  NOT_AWARDED,
  setCashCampaignStatus,
  triggerCashCampaign,
  type CashCampaignSpec,
} from "@/lib/alipay/campaign";
import { type AlipayClient } from "@/lib/alipay/client";
import {
  agreementPay,
  appPayOrderString,
  disburse,
  pagePayForm,
  queryOperation,
  refund,
} from "@/lib/alipay/fund-coupon";
import { parseFormBody, verifyGatewayMessage, verifyNotification } from "@/lib/alipay/notify";
import type { AlipayResult } from "@/lib/alipay/result";
import { queryTransfer, transferRedPacket } from "@/lib/alipay/transfer";
import type { LedgerEntry } from "@/lib/alipay-sim";
import { startReceiver, startTestAlipay, TEST_APP_ID, type TestAlipay } from "../support/alipay";

let alipay: TestAlipay;
let client: AlipayClient;

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client();
});
afterAll(() => alipay.sim.stop());
afterEach(() => alipay.sim.setFaults({ rules: [] }));

const DAY = 24 * 60 * 60 * 1000;
let sequence = 0;
const key = (prefix: string) => `${prefix}_${Date.now()}_${++sequence}`;

function spec(overrides: Partial<CashCampaignSpec> = {}): CashCampaignSpec {
  return {
    couponName: key("contract"),
    prizeMsg: "Thank you",
    prizeType: "fixed",
    totalFen: 1000,
    count: 5,
    start: "now",
    end: new Date(Date.now() + 30 * DAY),
    sendFrequency: "L1",
    ...overrides,
  };
}

function expectOk<T>(result: AlipayResult<T>): T {
  if (result.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.data;
}

async function fundedCampaign(overrides: Partial<CashCampaignSpec> = {}): Promise<string> {
  const { crowdNo } = expectOk(await createCashCampaign(client, spec(overrides)));
  await alipay.admin(`/__sim/campaigns/${encodeURIComponent(crowdNo)}/pay`, {});
  return crowdNo;
}

const user = (n: number) => ({
  identityType: "USER_ID" as const,
  identity: `2088${String(100000000000 + n).slice(-12)}`,
});

describe("cash campaigns", () => {
  it("creates a campaign: crowd_no, origin_crowd_no and a decoded pay URL to the cashier", async () => {
    const created = expectOk(await createCashCampaign(client, spec()));
    expect(created.crowdNo.length).toBeGreaterThan(20);
    expect(created.originCrowdNo).toMatch(/^\d{32}$/);
    expect(created.payUrl.startsWith(`${alipay.sim.url}/cashier/campaign?crowdNo=`)).toBe(true);
  });

  it("classifies Alipay's refusal of bad times as rejected, with the sub_code", async () => {
    const result = await createCashCampaign(client, spec({ start: new Date(Date.now() - DAY) }));
    expect(result).toMatchObject({
      kind: "rejected",
      code: "40004",
      subCode: "isv.CASH_TIME_CHECK_FAILED",
      retryable: false,
    });
  });

  it("triggers packets once paid, with fen amounts, and replays a repeated out_biz_no without paying twice", async () => {
    const crowdNo = await fundedCampaign();
    const outBizNo = key("t");
    const first = expectOk(await triggerCashCampaign(client, { crowdNo, recipient: user(1), outBizNo }));
    expect(first).toMatchObject({ amountFen: 200, repeat: false });
    const again = expectOk(await triggerCashCampaign(client, { crowdNo, recipient: user(1), outBizNo }));
    expect(again).toMatchObject({ amountFen: 200, repeat: true });
    const paid = alipay.sim.ledger().filter((e) => e.kind === "CAMPAIGN_TRIGGER" && e.key.endsWith(outBizNo));
    expect(paid).toHaveLength(1);
  });

  it("handles both shapes of 'not awarded': 10000 + trigger_result=false, and 40004 + sub_code", async () => {
    const crowdNo = await fundedCampaign({ totalFen: 400, count: 2 });
    expectOk(await triggerCashCampaign(client, { crowdNo, recipient: user(2), outBizNo: key("a") }));
    const overLimit = await triggerCashCampaign(client, { crowdNo, recipient: user(2), outBizNo: key("b") });
    expect(overLimit).toMatchObject({ kind: "rejected", code: "10000", subCode: NOT_AWARDED });
    expectOk(await triggerCashCampaign(client, { crowdNo, recipient: user(3), outBizNo: key("c") }));
    const exhausted = await triggerCashCampaign(client, { crowdNo, recipient: user(4), outBizNo: key("d") });
    expect(exhausted).toMatchObject({
      kind: "rejected",
      code: "40004",
      subCode: "CASH_CAMP_BUDGET_INSUFFICIENT",
    });
  });

  it("pauses and resumes; refuses what the state does not allow; reports true totals", async () => {
    const crowdNo = await fundedCampaign();
    expectOk(await triggerCashCampaign(client, { crowdNo, recipient: user(5), outBizNo: key("e") }));
    expectOk(await setCashCampaignStatus(client, crowdNo, "PAUSE"));
    expect(expectOk(await getCashCampaignDetail(client, crowdNo))).toMatchObject({
      status: "PAUSE",
      sentFen: 200,
      totalFen: 1000,
    });
    const unpaid = expectOk(await createCashCampaign(client, spec())).crowdNo;
    expect(await setCashCampaignStatus(client, unpaid, "PAUSE")).toMatchObject({
      kind: "rejected",
      subCode: "isv.CASH_CURRENT_STATE_CANNOT_MODIFY",
    });
    expectOk(await setCashCampaignStatus(client, crowdNo, "READY"));
    const detail = expectOk(await getCashCampaignDetail(client, crowdNo));
    expect(detail.status).toBe("READY");
    expect(detail.end).toBeInstanceOf(Date);
  });

  it("lists campaigns with their status (SETTLE and SETTLED both read as SETTLED)", async () => {
    const crowdNo = await fundedCampaign();
    const list = expectOk(await listCashCampaigns(client, { status: "ALL", page: 1, pageSize: 50 }));
    expect(list.total).toBeGreaterThan(0);
    expect(list.items.find((c) => c.crowdNo === crowdNo)).toMatchObject({ status: "READY" });
  });
});

describe("fund coupon (收发现金红包)", () => {
  it("funds by agreement, disburses idempotently, refunds, and answers operation queries", async () => {
    const outOrderNo = key("order");
    const funded = expectOk(
      await agreementPay(client, {
        outOrderNo,
        outRequestNo: key("req"),
        title: "Contract fund",
        amountFen: 1000,
        payerUserId: "2088000000000001",
      }),
    );
    expect(funded.amountFen).toBe(1000);
    const d = {
      outOrderNo: key("disburse"),
      outRequestNo: key("dreq"),
      deductAuthNo: funded.authNo,
      title: "Reward",
      amountFen: 300,
      payee: { userId: "2088000000000123" },
    };
    const first = expectOk(await disburse(client, d));
    const replay = expectOk(await disburse(client, d));
    expect(replay.operationId).toBe(first.operationId);
    expect(
      alipay.sim
        .ledger()
        .filter(
          (e) => e.kind === "FUND_COUPON_DISBURSE" && e.amountFen === 300 && e.user === "2088000000000123",
        ),
    ).toHaveLength(1);

    const tooMuch = await disburse(client, {
      ...d,
      outOrderNo: key("disburse"),
      outRequestNo: key("dreq"),
      amountFen: 800,
    });
    expect(tooMuch.kind).toBe("rejected");

    const refunded = expectOk(
      await refund(client, { authNo: funded.authNo, outRequestNo: key("refund"), amountFen: 700 }),
    );
    expect(refunded.amountFen).toBe(700);
    const looked = expectOk(
      await queryOperation(client, { authNo: first.authNo, operationId: first.operationId }),
    );
    expect(looked.amountFen).toBe(300);
  });

  it("builds a signed page-pay form and an app-pay order string the gateway accepts, then notifies", async () => {
    const receiver = await startReceiver();
    const notifying = alipay.client({ notifyUrl: receiver.url });
    try {
      const form = pagePayForm(
        notifying,
        { outOrderNo: key("page"), outRequestNo: key("preq"), title: "Page", amountFen: 500 },
        "http://localhost/return",
      );
      // Submit the form as a browser would: the gateway verifies it and sends the payer to its cashier.
      const unescape = (v: string) => v.replaceAll("&quot;", '"').replaceAll("&amp;", "&");
      const action = unescape(/action="([^"]+)"/.exec(form)?.[1] ?? "");
      const fields = [...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map(([, n, v]) => [
        n ?? "",
        unescape(v ?? ""),
      ]);
      expect(action.startsWith(`${alipay.sim.gatewayUrl}?`)).toBe(true);
      const submitted = await fetch(action, {
        method: "POST",
        body: new URLSearchParams(fields),
        redirect: "manual",
      });
      expect(submitted.status).toBe(302);
      expect(submitted.headers.get("location")).toContain("/cashier/fund-coupon");

      const orderString = appPayOrderString(notifying, {
        outOrderNo: key("app"),
        outRequestNo: key("areq"),
        title: "App",
        amountFen: 600,
      });
      const paid = await fetch(`${alipay.sim.url}/__sim/client/app-pay`, {
        method: "POST",
        body: orderString,
      });
      expect(paid.status).toBe(200);
      await receiver.waitFor(1);
      const notification = receiver.received[0] ?? {};
      expect(verifyNotification(notifying, notification)).toMatchObject({ kind: "verified" });
      expect(notification.amount).toBe("6.00");
      // A notification whose amount was altered in transit no longer verifies.
      expect(verifyNotification(notifying, { ...notification, amount: "600.00" })).toEqual({
        kind: "invalid",
        reason: "bad-signature",
      });
      expect(verifyNotification(notifying, { ...notification, sign: "" })).toEqual({
        kind: "invalid",
        reason: "unsigned",
      });
    } finally {
      await receiver.close();
    }
  });
});

describe("B2C red packet transfer (STD_RED_PACKET)", () => {
  const transfer = (overrides: Partial<Parameters<typeof transferRedPacket>[1]> = {}) => ({
    outBizNo: key("rp"),
    amountFen: 188,
    recipient: { identityType: "USER_ID" as const, identity: "2088000000000777" },
    orderTitle: "Reward",
    ...overrides,
  });

  it("pays once per out_biz_no: the same request again returns the same order", async () => {
    const t = transfer();
    const first = expectOk(await transferRedPacket(client, t));
    const again = expectOk(await transferRedPacket(client, t));
    expect(again.orderId).toBe(first.orderId);
    expect(alipay.sim.ledger().filter((e) => e.kind === "TRANSFER" && e.key === t.outBizNo)).toHaveLength(1);
    const status = expectOk(await queryTransfer(client, t.outBizNo));
    expect(status).toMatchObject({ status: "SUCCESS", orderId: first.orderId, amountFen: 188 });
  });

  it("refuses the same key with different parameters, unknown payees and unknown orders", async () => {
    const t = transfer();
    expectOk(await transferRedPacket(client, t));
    expect(await transferRedPacket(client, { ...t, amountFen: 189 })).toMatchObject({
      kind: "rejected",
      subCode: "PAYMENT_INFO_INCONSISTENCY",
    });
    expect(
      await transferRedPacket(
        client,
        transfer({ recipient: { identityType: "USER_ID", identity: "2088999900000001" } }),
      ),
    ).toMatchObject({
      kind: "rejected",
      subCode: "PAYEE_NOT_EXIST",
    });
    expect(await queryTransfer(client, key("never"))).toMatchObject({
      kind: "rejected",
      subCode: "ORDER_NOT_EXIST",
    });
  });

  it("refuses when the merchant balance is short", async () => {
    await alipay.admin("/__sim/balance", { fen: 100 });
    try {
      expect(await transferRedPacket(client, transfer({ amountFen: 101 }))).toMatchObject({
        kind: "rejected",
        subCode: "PAYER_BALANCE_NOT_ENOUGH",
      });
    } finally {
      await alipay.admin("/__sim/balance", { fen: 100_000_000 });
    }
  });

  it("sends alipay.fund.trans.order.changed to the app gateway, verifiable with the client", async () => {
    const receiver = await startReceiver();
    const withGateway = await startTestAlipay({ appGatewayUrl: receiver.url });
    try {
      const c = withGateway.client();
      const t = transfer();
      expectOk(await transferRedPacket(c, t));
      await receiver.waitFor(1);
      const check = verifyGatewayMessage(c, receiver.received[0] ?? {});
      if (check.kind !== "verified") throw new Error(`not verified: ${JSON.stringify(check)}`);
      expect(check.message.msgMethod).toBe("alipay.fund.trans.order.changed");
      expect(check.message.bizContent).toMatchObject({ out_biz_no: t.outBizNo, status: "SUCCESS" });
    } finally {
      await withGateway.sim.stop();
      await receiver.close();
    }
  });
});

describe("faults → classification", () => {
  const ledgerCount = (predicate: (e: LedgerEntry) => boolean) =>
    alipay.sim.ledger().filter(predicate).length;

  it("a timeout (processed, answered late) is unknown, and the retry with the same key pays nothing more", async () => {
    const fast = alipay.client({ timeoutMs: 600 });
    alipay.sim.setFaults({
      rules: [{ methods: "alipay.fund.trans.uni.transfer", timeoutRate: 1, timeoutDelayMs: 2500 }],
    });
    const t = {
      outBizNo: key("slow"),
      amountFen: 100,
      recipient: { identityType: "USER_ID" as const, identity: "2088000000000778" },
    };
    expect(await transferRedPacket(fast, t)).toMatchObject({ kind: "unknown", reason: "timeout" });
    alipay.sim.setFaults({ rules: [] });
    expect(ledgerCount((e) => e.key === t.outBizNo)).toBe(1); // it was processed
    expectOk(await transferRedPacket(client, t));
    expect(ledgerCount((e) => e.key === t.outBizNo)).toBe(1);
  });

  it("20000 is unknown (not processed): the retry pays once", async () => {
    alipay.sim.setFaults({ rules: [{ methods: "*", unknownRate: 1 }] });
    const t = {
      outBizNo: key("u"),
      amountFen: 100,
      recipient: { identityType: "USER_ID" as const, identity: "2088000000000779" },
    };
    expect(await transferRedPacket(client, t)).toMatchObject({
      kind: "unknown",
      reason: "service-unavailable",
    });
    expect(ledgerCount((e) => e.key === t.outBizNo)).toBe(0);
    alipay.sim.setFaults({ rules: [] });
    expectOk(await transferRedPacket(client, t));
    expect(ledgerCount((e) => e.key === t.outBizNo)).toBe(1);
  });

  it("a dropped connection after processing is unknown; the HTTP client's own retry does not pay twice", async () => {
    alipay.sim.setFaults({ rules: [{ methods: "alipay.fund.trans.uni.transfer", dropRate: 1 }] });
    const t = {
      outBizNo: key("drop"),
      amountFen: 100,
      recipient: { identityType: "USER_ID" as const, identity: "2088000000000780" },
    };
    expect(await transferRedPacket(client, t)).toMatchObject({ kind: "unknown", reason: "network" });
    expect(ledgerCount((e) => e.key === t.outBizNo)).toBe(1);
  });

  it("a response signed with the wrong key is refused by the client (unknown: it may have been processed)", async () => {
    alipay.sim.setFaults({ rules: [{ methods: "*", badSignatureRate: 1 }] });
    expect(await createCashCampaign(client, spec())).toMatchObject({
      kind: "unknown",
      reason: "bad-signature",
    });
  });

  it("HTTP 500 is unknown", async () => {
    alipay.sim.setFaults({ rules: [{ methods: "*", http500Rate: 1 }] });
    expect(await createCashCampaign(client, spec())).toMatchObject({
      kind: "unknown",
      reason: "http-status",
    });
  });

  it("rate limiting (40005) is a retryable refusal", async () => {
    alipay.sim.setFaults({
      rules: [{ methods: "alipay.marketing.campaign.cash.detail.query", rateLimitQps: 1 }],
    });
    const crowdNo = expectOk(await createCashCampaign(client, spec())).crowdNo;
    const results = await Promise.all([1, 2, 3].map(() => getCashCampaignDetail(client, crowdNo)));
    expect(results.some((r) => r.kind === "ok")).toBe(true);
    expect(results.find((r) => r.kind === "rejected")).toMatchObject({ code: "40005", retryable: true });
  });

  it("a signed reply that lacks what the caller relies on is unknown, never a crash", async () => {
    const crowdNo = expectOk(await createCashCampaign(client, spec())).crowdNo;
    const expectsMore = z.object({ crowd_no: z.string(), field_alipay_never_sends: z.string() });
    const result = await client.call(
      "alipay.marketing.campaign.cash.detail.query",
      { crowd_no: crowdNo },
      expectsMore,
    );
    expect(result).toMatchObject({ kind: "unknown", reason: "invalid-response" });
    expect(result.kind === "unknown" && result.detail).toContain("field_alipay_never_sends");
  });

  it("a gateway that cannot be reached is unknown (network)", async () => {
    const nowhere = alipay.client({ gateway: "http://127.0.0.1:9/gateway.do" });
    expect(await createCashCampaign(nowhere, spec())).toMatchObject({ kind: "unknown", reason: "network" });
  });
});

describe("protocol", () => {
  it("a request signed with a key the gateway does not know is refused (isv.invalid-signature)", async () => {
    const stranger = crypto
      .generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" });
    const result = await createCashCampaign(alipay.client({ privateKey: stranger.toString() }), spec());
    expect(result).toMatchObject({ kind: "rejected", code: "40002", subCode: "isv.invalid-signature" });
  });

  it("a client with the wrong Alipay public key refuses genuine responses", async () => {
    const other = crypto
      .generateKeyPairSync("rsa", { modulusLength: 2048 })
      .publicKey.export({ type: "spki", format: "pem" });
    const result = await createCashCampaign(alipay.client({ alipayPublicKey: other.toString() }), spec());
    expect(result).toMatchObject({ kind: "unknown", reason: "bad-signature" });
  });

  it("works with PKCS#1 and PKCS#8 app keys, and with a one-line PEM as env files hold it", async () => {
    expectOk(
      await createCashCampaign(
        alipay.client({ privateKey: alipay.keys.app.privateKeyPkcs1, keyType: "PKCS1" }),
        spec(),
      ),
    );
    const oneLine = alipay.keys.app.privateKey.trim().replace(/\n/g, "\\n");
    expectOk(await createCashCampaign(alipay.client({ privateKey: oneLine, keyType: "PKCS8" }), spec()));
    const bareAlipayKey = alipay.keys.alipay.publicKey
      .split("\n")
      .filter((l) => l && !l.startsWith("-----"))
      .join("");
    expectOk(await createCashCampaign(alipay.client({ alipayPublicKey: bareAlipayKey }), spec()));
  });

  it.each(["UTC", "America/Los_Angeles"])(
    "sends Beijing-time timestamps when the process runs in %s",
    async (zone) => {
      const previous = process.env.TZ;
      process.env.TZ = zone; // 8 and 15-16 hours from Beijing: the gateway would refuse local time
      try {
        expectOk(await createCashCampaign(client, spec()));
        // The same call with the SDK's own local timestamp is refused: this test can tell the difference.
        const raw = (await client.sdk.exec(
          "alipay.marketing.campaign.cash.detail.query",
          { bizContent: { crowd_no: "x" } },
          { validateSign: true },
        )) as { code?: string; sub_code?: string };
        expect(raw).toMatchObject({ code: "40002", sub_code: "isv.invalid-timestamp" });
      } finally {
        if (previous === undefined) delete process.env.TZ;
        else process.env.TZ = previous;
      }
    },
  );

  it("parses notification bodies once, without decoding values twice", () => {
    expect(parseFormBody("passback_params=a%2525b&amount=1.00")).toEqual({
      passback_params: "a%25b",
      amount: "1.00",
    });
    expect(TEST_APP_ID).toMatch(/^\d{16}$/);
  });
});
