/**
 * User-funded packets (the C2C flow on the FUND_COUPON rail), through the machine API's route handlers as Next
 * calls them, against the real database and the simulator over HTTP with the real SDK: the app.pay order string
 * is paid by the simulated phone (/__sim/client/app-pay), its signed result confirms the payment, or the
 * notification alone does; claims are payouts disbursed by the dispatcher from the packet's order; a forged
 * result changes nothing; the expiry sweep closes the packet and refunds what nobody claimed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as CLAIM } from "@/app/api/v1/red-packets/[packetId]/claims/route";
import { POST as PAY } from "@/app/api/v1/red-packets/[packetId]/payment/route";
import { GET as GET_PACKET } from "@/app/api/v1/red-packets/[packetId]/route";
import { POST as CREATE } from "@/app/api/v1/red-packets/app-pay-orders/route";
import type { AlipayClient } from "@/lib/alipay/client";
import type { ApiErrorBody } from "@/lib/api/errors";
import type { ApiPayout } from "@/lib/api/resources";
import type { ApiAppPayOrder, ApiRedPacket, ApiRedPacketDetail } from "@/lib/api/schemas/red-packets";
import { authenticateApiKey, createApiKey } from "@/lib/api-keys/service";
import { NO_REQUEST, type ApiKeyActor } from "@/lib/auth/actor";
import { listCampaigns } from "@/lib/campaigns/queries";
import { db } from "@/lib/db";
import { receiveAlipayNotification } from "@/lib/notifications/receive";
import { listUserPackets } from "@/lib/user-packets/queries";
import { expireUserPackets } from "@/lib/user-packets/service";
import { campaignListQuerySchema } from "@/lib/validation/campaigns";
import type { ApiKeyPermission } from "@/lib/validation/api-keys";
import { userPacketListQuerySchema } from "@/lib/validation/user-packets";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import { testDispatcher, userId, waitUntilNone, type LedgerEntry } from "../support/payouts";

const BASE = "http://localhost/api/v1/red-packets";
const IN_FLIGHT = ["PENDING_APPROVAL", "APPROVED", "SENDING", "UNKNOWN"] as const;
/** Nothing listens here: the simulator's notifications wait in its outbox for the test to apply them. */
const NOWHERE = "http://127.0.0.1:9/notify";

let alipay: TestAlipay;
let client: AlipayClient;
let admin: Awaited<ReturnType<typeof insertUser>>;
let secret: string;
let actor: ApiKeyActor;
let dispatcher: ReturnType<typeof testDispatcher>;
let n = 0;

function useClientForRoutes(c: AlipayClient | undefined): void {
  (globalThis as unknown as { hongbaoAlipay?: AlipayClient }).hongbaoAlipay = c;
}

async function key(permissions: ApiKeyPermission[], campaignIds: string[] | null = null): Promise<string> {
  const created = await createApiKey(admin.actor, {
    name: `user-packets ${permissions.join(",")}`,
    permissions,
    campaignIds,
    ratePerMinute: 10_000,
  });
  return created.secret;
}

function json(method: string, url: string, body: unknown, withKey = secret): Request {
  return new Request(url, {
    method,
    headers: { authorization: `Bearer ${withKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function orderBody(overrides: Record<string, unknown> = {}) {
  n += 1;
  return {
    outOrderNo: `up_${Date.now()}_${n}`,
    payerUserId: userId(3_800_000),
    amountFen: 1_000,
    packetCount: 3,
    title: "新年快乐",
    greeting: "恭喜发财",
    expiresInMinutes: 60,
    ...overrides,
  };
}

const create = (body: unknown, withKey = secret) =>
  CREATE(json("POST", `${BASE}/app-pay-orders`, body, withKey), { params: Promise.resolve({}) });
const pay = (packetId: string, body: unknown) =>
  PAY(json("POST", `${BASE}/${packetId}/payment`, body), { params: Promise.resolve({ packetId }) });
const claim = (packetId: string, body: unknown) =>
  CLAIM(json("POST", `${BASE}/${packetId}/claims`, body), { params: Promise.resolve({ packetId }) });
const getPacket = (packetId: string) =>
  GET_PACKET(new Request(`${BASE}/${packetId}`, { headers: { authorization: `Bearer ${secret}` } }), {
    params: Promise.resolve({ packetId }),
  });

async function ok<T>(response: Response, status: number): Promise<T> {
  const body = (await response.json()) as T;
  expect(response.status, JSON.stringify(body)).toBe(status);
  return body;
}

async function refused(response: Response, status: number, code: string): Promise<ApiErrorBody["error"]> {
  const body = (await response.json()) as ApiErrorBody;
  expect({ status: response.status, code: body.error?.code }, JSON.stringify(body)).toEqual({ status, code });
  return body.error;
}

/** The simulated Alipay app pays the order string, answering as the client SDK does. */
async function payOnPhone(orderString: string): Promise<{ resultStatus: string; result: string }> {
  const response = await fetch(`${alipay.sim.url}/__sim/client/app-pay`, {
    method: "POST",
    body: orderString,
  });
  return (await response.json()) as { resultStatus: string; result: string };
}

async function createPaidPacket(overrides: Record<string, unknown> = {}): Promise<ApiAppPayOrder> {
  const order = await ok<ApiAppPayOrder>(await create(orderBody(overrides)), 201);
  const paid = await payOnPhone(order.orderString);
  expect(paid.resultStatus).toBe("9000");
  const packet = await ok<ApiRedPacket>(await pay(order.id, { result: paid.result }), 200);
  expect(packet.status).toBe("ACTIVE");
  return order;
}

const ledger = () => alipay.admin<LedgerEntry[]>("/__sim/ledger");

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ notifyUrl: NOWHERE });
  useClientForRoutes(client);
  admin = await insertUser("admin");
  secret = await key(["campaign:create", "campaign:fund", "campaign:read", "payout:request"]);
  actor = await authenticateApiKey(secret, NO_REQUEST);
  dispatcher = testDispatcher(client);
  dispatcher.start();
});

afterAll(async () => {
  await dispatcher.stop();
  useClientForRoutes(undefined);
  await alipay.sim.stop();
});

describe("starting a packet", () => {
  it("creates an AWAITING_FUNDING fund-coupon campaign and an APP order in one go, with a signed order string", async () => {
    const body = orderBody({ amountFen: 2_000, packetCount: 4, expiresInMinutes: 90 });
    const before = Date.now();
    const order = await ok<ApiAppPayOrder>(await create(body), 201);
    expect(order).toMatchObject({ orderNo: body.outOrderNo, status: "AWAITING_FUNDING" });
    expect(order.orderString).toContain("method=alipay.fund.coupon.order.app.pay");
    expect(order.orderString).toContain("sign=");
    const campaign = await db.campaign.findUniqueOrThrow({
      where: { id: order.id },
      include: { fundOrders: true },
    });
    expect(campaign).toMatchObject({
      rail: "FUND_COUPON",
      status: "AWAITING_FUNDING",
      payerUserId: body.payerUserId,
      name: body.title,
      prizeMessage: body.greeting,
      budgetFen: 0,
      maxPacketFen: 2_000,
      packetCount: 4,
      frequencyLifetime: 1,
      autoApproveMaxFen: 2_000,
      autoApproveDailyCapFen: 2_000,
      createdByLabel: actor.label,
    });
    expect(campaign.endsAt.getTime()).toBeGreaterThanOrEqual(before + 90 * 60_000 - 1_000);
    expect(campaign.fundOrders).toEqual([
      expect.objectContaining({
        method: "APP",
        status: "AWAITING_PAYMENT",
        outOrderNo: body.outOrderNo,
        amountFen: 2_000,
      }),
    ]);
    expect(campaign.fundOrders[0]?.payTimeoutAt).not.toBeNull();
    const audit = await db.auditEvent.findMany({
      where: { entityId: { in: [order.id, campaign.fundOrders[0]?.id ?? ""] } },
    });
    expect(audit.map((a) => a.action).sort()).toEqual(["campaign.user_packet_create", "fund_order.create"]);
  });

  it("answers a replay with the same packet and order, and refuses other values naming them", async () => {
    const body = orderBody();
    const first = await ok<ApiAppPayOrder>(await create(body), 201);
    const again = await ok<ApiAppPayOrder>(await create(body), 200);
    expect({ id: again.id, orderNo: again.orderNo }).toEqual({ id: first.id, orderNo: first.orderNo });
    expect(await db.fundOrder.count({ where: { outOrderNo: body.outOrderNo } })).toBe(1);
    const conflict = await refused(
      await create({ ...body, amountFen: 999, greeting: "其他" }),
      409,
      "IDEMPOTENCY_CONFLICT",
    );
    expect(Object.keys(conflict.fields ?? {}).sort()).toEqual(["amountFen", "greeting"]);
    expect(conflict.message).toContain("amountFen");
  });

  it("refuses bad fields naming each one (422) and keys limited to campaigns (403)", async () => {
    const bad = await refused(
      await create(orderBody({ payerUserId: "12345", amountFen: 0, packetCount: 101, expiresInMinutes: 2 })),
      422,
      "VALIDATION",
    );
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual([
      "amountFen",
      "expiresInMinutes",
      "packetCount",
      "payerUserId",
    ]);
    await refused(await create(orderBody({ amountFen: 200_001 })), 422, "VALIDATION");
    await refused(await create(orderBody({ outOrderNo: "no spaces!" })), 422, "VALIDATION");
    const scoped = await key(["campaign:create"], [(await createPaidPacket()).id]);
    await refused(await create(orderBody(), scoped), 403, "FORBIDDEN");
    const readOnly = await key(["campaign:read"]);
    await refused(await create(orderBody(), readOnly), 403, "FORBIDDEN");
  });
});

describe("paying a packet", () => {
  it("verifies the SDK's signed result and funds the packet once", async () => {
    const order = await ok<ApiAppPayOrder>(await create(orderBody({ amountFen: 1_500 })), 201);
    const paid = await payOnPhone(order.orderString);
    expect(paid.resultStatus).toBe("9000");
    const packet = await ok<ApiRedPacket>(await pay(order.id, { result: paid.result }), 200);
    expect(packet).toMatchObject({
      status: "ACTIVE",
      orderStatus: "PAID",
      amountFen: 1_500,
      availableFen: 1_500,
    });
    const again = await ok<ApiRedPacket>(await pay(order.id, { result: paid.result }), 200);
    expect(again.availableFen).toBe(1_500);
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: order.id } });
    expect({ status: campaign.status, budgetFen: campaign.budgetFen }).toEqual({
      status: "ACTIVE",
      budgetFen: 1_500,
    });
    const funding = (await ledger()).filter((e) => e.kind === "FUNDING" && e.key === order.orderNo);
    expect(funding).toHaveLength(1);
    expect(funding[0]?.amountFen).toBe(1_500);
  });

  it("refuses a forged or another order's result (422 on `result`) and changes nothing", async () => {
    const other = await ok<ApiAppPayOrder>(await create(orderBody({ amountFen: 700 })), 201);
    const otherPaid = await payOnPhone(other.orderString);
    const order = await ok<ApiAppPayOrder>(await create(orderBody({ amountFen: 700 })), 201);
    const forged = otherPaid.result.replace(other.orderNo, order.orderNo);
    for (const result of [
      forged,
      otherPaid.result,
      "{}",
      "not json",
      otherPaid.result.replace(/"sign":"[^"]+"/, '"sign":"AAAA"'),
    ]) {
      const error = await refused(await pay(order.id, { result }), 422, "VALIDATION");
      expect(Object.keys(error.fields ?? {})).toEqual(["result"]);
    }
    await refused(await pay(order.id, {}), 422, "VALIDATION");
    const campaign = await db.campaign.findUniqueOrThrow({
      where: { id: order.id },
      include: { fundOrders: true },
    });
    expect({ status: campaign.status, budgetFen: campaign.budgetFen }).toEqual({
      status: "AWAITING_FUNDING",
      budgetFen: 0,
    });
    expect(campaign.fundOrders[0]?.status).toBe("AWAITING_PAYMENT");
    expect(
      await db.auditEvent.count({
        where: { action: "fund_order.app_pay_refused", entityId: campaign.fundOrders[0]?.id },
      }),
    ).toBe(5);
  });

  it("is funded by Alipay's notification alone (trade_status_sync of the APP order)", async () => {
    const order = await ok<ApiAppPayOrder>(await create(orderBody({ amountFen: 1_200 })), 201);
    const paid = await payOnPhone(order.orderString);
    expect(paid.resultStatus).toBe("9000");
    const outbox = await alipay.admin<Array<{ fields: Record<string, string> }>>("/__sim/notifications");
    const note = outbox.find(
      (e) => e.fields.notify_type === "trade_status_sync" && e.fields.out_order_no === order.orderNo,
    );
    if (!note) throw new Error("no pay notification in the simulator's outbox");
    // Paid at Alipay, but nothing has told the console yet.
    expect((await db.campaign.findUniqueOrThrow({ where: { id: order.id } })).status).toBe(
      "AWAITING_FUNDING",
    );
    const received = await receiveAlipayNotification(new URLSearchParams(note.fields).toString(), client);
    expect(received.answer).toBe("success");
    const campaign = await db.campaign.findUniqueOrThrow({
      where: { id: order.id },
      include: { fundOrders: true },
    });
    expect({ status: campaign.status, budgetFen: campaign.budgetFen }).toEqual({
      status: "ACTIVE",
      budgetFen: 1_200,
    });
    expect(campaign.fundOrders[0]?.status).toBe("PAID");
    // The app's result arriving afterwards changes nothing.
    const packet = await ok<ApiRedPacket>(await pay(order.id, { result: paid.result }), 200);
    expect(packet.availableFen).toBe(1_200);
    expect(
      await db.auditEvent.count({
        where: { action: "fund_order.paid", entityId: campaign.fundOrders[0]?.id },
      }),
    ).toBe(1);
  });
});

describe("claims, expiry and the lists", () => {
  let packet: ApiAppPayOrder;

  beforeAll(async () => {
    packet = await createPaidPacket({ amountFen: 1_000, packetCount: 3 });
  });

  it("pays two claimers from the packet's order, refuses a second claim by one of them and more than is left", async () => {
    const first = await ok<ApiPayout>(
      await claim(packet.id, {
        outBizNo: `${packet.orderNo}_c1`,
        recipient: { type: "USER_ID", id: userId(3_800_001) },
        amountFen: 300,
      }),
      201,
    );
    expect(first).toMatchObject({ status: "APPROVED", amountFen: 300, scene: "OTHER", source: "API" });
    await ok<ApiPayout>(
      await claim(packet.id, {
        outBizNo: `${packet.orderNo}_c2`,
        recipient: { type: "USER_ID", id: userId(3_800_002) },
        amountFen: 200,
      }),
      201,
    );
    // An identical replay answers the same payout.
    const replay = await ok<ApiPayout>(
      await claim(packet.id, {
        outBizNo: `${packet.orderNo}_c1`,
        recipient: { type: "USER_ID", id: userId(3_800_001) },
        amountFen: 300,
      }),
      200,
    );
    expect(replay.id).toBe(first.id);
    await refused(
      await claim(packet.id, {
        outBizNo: `${packet.orderNo}_c3`,
        recipient: { type: "USER_ID", id: userId(3_800_001) },
        amountFen: 100,
      }),
      422,
      "FREQUENCY_LIMIT",
    );
    await refused(
      await claim(packet.id, {
        outBizNo: `${packet.orderNo}_c4`,
        recipient: { type: "USER_ID", id: userId(3_800_003) },
        amountFen: 600,
      }),
      422,
      "BUDGET_EXHAUSTED",
    );
    const wrongType = await refused(
      await claim(packet.id, {
        outBizNo: `${packet.orderNo}_c5`,
        recipient: { type: "OPEN_ID", id: "abc" },
        amountFen: 1,
      }),
      422,
      "VALIDATION",
    );
    expect(Object.keys(wrongType.fields ?? {})).toContain("recipient.type");

    await waitUntilNone(packet.id, [...IN_FLIGHT]);
    const payouts = await db.payout.findMany({
      where: { campaignId: packet.id },
      orderBy: { createdAt: "asc" },
    });
    expect(payouts.map((p) => p.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    const disbursed = (await ledger()).filter(
      (e) => e.kind === "FUND_COUPON_DISBURSE" && e.key.startsWith(packet.orderNo),
    );
    expect(disbursed.map((e) => [e.user, e.amountFen]).sort()).toEqual([
      [userId(3_800_001), 300],
      [userId(3_800_002), 200],
    ]);

    const detail = await ok<ApiRedPacketDetail>(await getPacket(packet.id), 200);
    expect(detail.packet).toMatchObject({
      status: "ACTIVE",
      claimedCount: 2,
      claimedFen: 500,
      availableFen: 500,
    });
    expect(detail.claims.map((c) => c.recipient.id).sort()).toEqual([userId(3_800_001), userId(3_800_002)]);
    expect(detail.refunds).toEqual([]);
  });

  it("refuses claims beyond the packet count", async () => {
    const small = await createPaidPacket({ amountFen: 300, packetCount: 1 });
    await ok<ApiPayout>(
      await claim(small.id, {
        outBizNo: `${small.orderNo}_c1`,
        recipient: { type: "USER_ID", id: userId(3_800_004) },
        amountFen: 100,
      }),
      201,
    );
    await refused(
      await claim(small.id, {
        outBizNo: `${small.orderNo}_c2`,
        recipient: { type: "USER_ID", id: userId(3_800_005) },
        amountFen: 100,
      }),
      409,
      "CONFLICT",
    );
    await waitUntilNone(small.id, [...IN_FLIGHT]);
  });

  it("lists packets on their own page, not among the campaigns", async () => {
    const packets = await listUserPackets(
      admin.actor,
      userPacketListQuerySchema().parse({ q: packet.orderNo }),
    );
    expect(packets.rows.map((r) => r.id)).toEqual([packet.id]);
    expect(packets.rows[0]).toMatchObject({ claimedCount: 2, claimedFen: 500, amountFen: 1_000 });
    const campaigns = await listCampaigns(
      admin.actor,
      campaignListQuerySchema().parse({ q: "新年快乐", pageSize: "100" }),
      "Asia/Shanghai",
    );
    expect(campaigns.rows.map((r) => r.id)).not.toContain(packet.id);
  });

  it("refunds the unclaimed remainder when the packet ends, and closes unpaid packets with nothing to refund", async () => {
    const unpaid = await ok<ApiAppPayOrder>(await create(orderBody()), 201);
    const past = new Date(Date.now() - 60_000);
    await db.campaign.updateMany({ where: { id: { in: [packet.id, unpaid.id] } }, data: { endsAt: past } });
    const swept = await expireUserPackets(client);
    expect(swept.closed).toBeGreaterThanOrEqual(2);

    const closed = await db.campaign.findUniqueOrThrow({ where: { id: packet.id } });
    expect({ status: closed.status, refundedFen: closed.refundedFen, spentFen: closed.spentFen }).toEqual({
      status: "CLOSED",
      refundedFen: 500,
      spentFen: 500,
    });
    const order = await db.fundOrder.findFirstOrThrow({ where: { campaignId: packet.id } });
    const refunds = (await ledger()).filter(
      (e) => e.kind === "REFUND" && e.key.startsWith(`${order.authNo}/`),
    );
    expect(refunds.map((e) => e.amountFen)).toEqual([500]);
    const detail = await ok<ApiRedPacketDetail>(await getPacket(packet.id), 200);
    expect(detail.packet).toMatchObject({ status: "CLOSED", refundedFen: 500, availableFen: 0 });
    expect(detail.refunds).toEqual([
      expect.objectContaining({ amountFen: 500, kind: "CLOSING", status: "SUCCEEDED" }),
    ]);

    const unpaidCampaign = await db.campaign.findUniqueOrThrow({
      where: { id: unpaid.id },
      include: { refunds: true },
    });
    expect({ status: unpaidCampaign.status, refunds: unpaidCampaign.refunds }).toEqual({
      status: "CLOSED",
      refunds: [],
    });

    // A claim after the end is refused; the sweep finds nothing more to do.
    await refused(
      await claim(packet.id, {
        outBizNo: `${packet.orderNo}_late`,
        recipient: { type: "USER_ID", id: userId(3_800_006) },
        amountFen: 100,
      }),
      422,
      "CAMPAIGN_NOT_PAYING",
    );
    expect((await expireUserPackets(client)).closed).toBe(0);
  });

  it("answers 404 for an unknown packet and for a company campaign", async () => {
    await refused(await getPacket("no-such-packet"), 404, "NOT_FOUND");
    await refused(await pay("no-such-packet", { result: "{}" }), 404, "NOT_FOUND");
  });
});
