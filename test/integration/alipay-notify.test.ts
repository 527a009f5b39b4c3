/**
 * The Alipay notification receiver (lib/notifications/receive.ts) and its route (/api/alipay/notify), against the
 * real database and notifications signed with the simulator's own Alipay key exactly as the simulator signs them
 * (plus one real 应用网关 message the simulator sends after a transfer). The appliers are replaced by spies: this
 * file checks what reaches them and what is stored and answered, not what they do.
 */
import { createPrivateKey, randomUUID, type KeyObject } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/alipay/notify/route";
import type * as AlipayModule from "@/lib/alipay";
import type { AlipayClient } from "@/lib/alipay/client";
import { transferRedPacket } from "@/lib/alipay/transfer";
import { generateKeyPair } from "@/lib/alipay-sim";
import type * as RequestMetaModule from "@/lib/auth/request-meta";
import { signNotification } from "@/lib/alipay-sim/protocol";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { listAlipayNotifications } from "@/lib/notifications/queries";
import { receiveAlipayNotification } from "@/lib/notifications/receive";
import type { NotificationResult } from "@/lib/notifications/types";
import { notificationsListQuerySchema } from "@/lib/validation/notifications";
import { startTestAlipay, TEST_APP_ID, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";

const spies = vi.hoisted(() => ({
  fundCoupon: vi.fn<(fields: Record<string, string>) => Promise<NotificationResult>>(),
  transfer: vi.fn<(biz: Record<string, unknown>) => Promise<NotificationResult>>(),
  /** What the route's `alipay()` returns (null: the process's client could not be built). */
  client: { current: null as AlipayClient | null },
}));

vi.mock("@/lib/fund-coupon/notified", () => ({ applyFundCouponNotification: spies.fundCoupon }));
vi.mock("@/lib/payouts/rails/transfer-messages", () => ({ applyTransferOrderChanged: spies.transfer }));
vi.mock("@/lib/alipay", async (importOriginal) => ({
  ...(await importOriginal<typeof AlipayModule>()),
  alipay: () => spies.client.current,
}));
// The public route never looks up a session; Auth.js itself does not load outside Next.
vi.mock("@/lib/auth/session", () => ({
  requirePermission: () => Promise.reject(new Error("a public route must not ask for a session")),
  currentUserForDisplay: () => Promise.resolve(null),
}));
// Route handlers read the request's headers through Next's request scope, which a direct call does not have.
vi.mock("@/lib/auth/request-meta", async (importOriginal) => ({
  ...(await importOriginal<typeof RequestMetaModule>()),
  currentRequestMeta: async () => ({ ip: "203.0.113.7", userAgent: "alipay-notify-test" }),
}));

let alipay: TestAlipay;
let client: AlipayClient;
let alipayKey: KeyObject;
let forwarder: http.Server;
/** What the forwarding receiver answered the simulator, in order. */
const forwarded: Array<{ answer: string; notificationId: string }> = [];

const APPLIED_PAYOUT: NotificationResult = { outcome: "APPLIED", entityType: "Payout", entityId: "payout-1" };

/** A fund coupon notify_url notification, signed as lib/alipay-sim/fund-coupon.ts signs it (rsaCheckV1 style). */
function couponFields(overrides: Record<string, string> = {}, key: KeyObject = alipayKey) {
  return signNotification(
    {
      notify_type: "trade_status_sync",
      notify_id: randomUUID().replaceAll("-", ""),
      notify_time: "2026-12-02 10:00:00",
      app_id: TEST_APP_ID,
      charset: "utf-8",
      version: "1.0",
      sign_type: "RSA2",
      auth_no: "2026120210002001000000000001",
      out_order_no: "fo-1",
      operation_id: "20261202000000000001",
      out_request_no: "fo-1",
      operation_type: "PAY",
      amount: "10.00",
      status: "SUCCESS",
      // A value with "%" and "+": the reason the receiver verifies the parsed fields without decoding again.
      payer_user_id: "2088102000000002",
      ...overrides,
    },
    key,
    false,
  );
}

/** An alipay.fund.trans.order.changed 应用网关 message, signed as lib/alipay-sim/transfers.ts signs it. */
function gatewayFields(biz: Record<string, unknown> | string, overrides: Record<string, string> = {}) {
  return signNotification(
    {
      notify_id: randomUUID().replaceAll("-", ""),
      utc_timestamp: String(Date.now()),
      msg_method: "alipay.fund.trans.order.changed",
      app_id: TEST_APP_ID,
      version: "1.1",
      charset: "utf-8",
      sign_type: "RSA2",
      biz_content: typeof biz === "string" ? biz : JSON.stringify(biz),
      ...overrides,
    },
    alipayKey,
    true,
  );
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function refusalAudit(notificationId: string) {
  return db.auditEvent.findMany({ where: { entityType: "AlipayNotification", entityId: notificationId } });
}

beforeAll(async () => {
  // Stands in for the console's /api/alipay/notify: hands the raw body to the receiver, answers what it says.
  forwarder = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      void receiveAlipayNotification(body, client).then(
        (received) => {
          forwarded.push({ answer: received.answer, notificationId: received.notification.id });
          res.end(received.answer);
        },
        () => res.end("fail"),
      );
    });
  });
  await new Promise<void>((resolve) => forwarder.listen(0, "127.0.0.1", resolve));
  const { port } = forwarder.address() as AddressInfo;
  alipay = await startTestAlipay({ appGatewayUrl: `http://127.0.0.1:${port}/api/alipay/notify` });
  client = alipay.client();
  alipayKey = createPrivateKey(alipay.keys.alipay.privateKey);
});

afterAll(async () => {
  await alipay?.sim.stop();
  forwarder?.closeAllConnections();
  await new Promise<void>((resolve) => forwarder?.close(() => resolve()));
});

beforeEach(() => {
  spies.fundCoupon.mockReset().mockResolvedValue(APPLIED_PAYOUT);
  spies.transfer.mockReset().mockResolvedValue(APPLIED_PAYOUT);
  spies.client.current = client;
});

describe("receiveAlipayNotification", () => {
  it("applies a correctly signed notification, stores it without the signature and answers success", async () => {
    const fields = couponFields({ passback_params: "a%20b+c%" });
    const { answer, notification } = await receiveAlipayNotification(form(fields), client);
    expect(answer).toBe("success");
    expect(spies.fundCoupon).toHaveBeenCalledTimes(1);
    expect(spies.fundCoupon.mock.calls[0]?.[0]).toMatchObject({
      notify_id: fields.notify_id,
      amount: "10.00",
      passback_params: "a%20b+c%",
    });
    expect(spies.transfer).not.toHaveBeenCalled();
    const stored = await db.alipayNotification.findUniqueOrThrow({ where: { id: notification.id } });
    expect(stored).toMatchObject({
      channel: "NOTIFY",
      type: "trade_status_sync",
      notifyId: fields.notify_id,
      appId: TEST_APP_ID,
      signatureValid: true,
      outcome: "APPLIED",
      reason: null,
      entityType: "Payout",
      entityId: "payout-1",
    });
    const { sign: _sign, ...withoutSign } = fields;
    expect(stored.fields).toEqual(withoutSign);
    expect(await refusalAudit(notification.id)).toEqual([]);
  });

  it("routes refund notifications to the fund coupon applier too", async () => {
    const fields = couponFields({ notify_type: "fund_stdtrustee_refund.success", operation_type: "REFUND" });
    expect((await receiveAlipayNotification(form(fields), client)).answer).toBe("success");
    expect(spies.fundCoupon).toHaveBeenCalledTimes(1);
  });

  it("refuses a forged or tampered signature: stored, audited, answered fail, nothing applied", async () => {
    const forger = createPrivateKey(generateKeyPair().privateKey);
    const forged = couponFields({}, forger);
    const tampered = { ...couponFields(), amount: "10000.00" };
    const unsigned = couponFields();
    delete (unsigned as Partial<Record<string, string>>).sign;
    const cases: Array<Record<string, string>> = [forged, tampered, unsigned];
    for (const fields of cases) {
      const { answer, notification } = await receiveAlipayNotification(form(fields), client);
      expect(answer).toBe("fail");
      expect(notification).toMatchObject({
        outcome: "REFUSED",
        reason: "notifications.reason.badSignature",
        signatureValid: false,
        notifyId: fields.notify_id,
      });
      const audit = await refusalAudit(notification.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: "alipay.notification_refused", actorType: "SYSTEM" });
    }
    expect(spies.fundCoupon).not.toHaveBeenCalled();
    // A forged notify_id never counts as applied: the genuine notification with that id is still applied.
    const genuine = couponFields({ notify_id: forged.notify_id as string });
    expect((await receiveAlipayNotification(form(genuine), client)).notification.outcome).toBe("APPLIED");
  });

  it("answers a replayed notify_id DUPLICATE and success without applying it again", async () => {
    const body = form(couponFields());
    const first = await receiveAlipayNotification(body, client);
    const again = await receiveAlipayNotification(body, client);
    expect(first.notification.outcome).toBe("APPLIED");
    expect(again).toMatchObject({
      answer: "success",
      notification: { outcome: "DUPLICATE", entityType: "Payout", entityId: "payout-1" },
    });
    expect(spies.fundCoupon).toHaveBeenCalledTimes(1);
  });

  it("stores one APPLIED row when redeliveries of one notify_id arrive at once", async () => {
    const fields = couponFields();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => receiveAlipayNotification(form(fields), client)),
    );
    expect(results.map((r) => r.answer)).toEqual(Array(6).fill("success"));
    const rows = await db.alipayNotification.findMany({ where: { notifyId: fields.notify_id } });
    expect(rows).toHaveLength(6);
    expect(rows.filter((r) => r.outcome === "APPLIED")).toHaveLength(1);
    expect(rows.filter((r) => r.outcome === "DUPLICATE")).toHaveLength(5);
  });

  it("refuses a correctly signed notification for another app id", async () => {
    const fields = couponFields({ app_id: "2021000000009999" });
    const { answer, notification } = await receiveAlipayNotification(form(fields), client);
    expect(answer).toBe("fail");
    expect(notification).toMatchObject({
      outcome: "REFUSED",
      reason: "notifications.reason.wrongAppId",
      signatureValid: true,
      appId: "2021000000009999",
    });
    expect(await refusalAudit(notification.id)).toHaveLength(1);
    expect(spies.fundCoupon).not.toHaveBeenCalled();
  });

  it("refuses malformed bodies without throwing", async () => {
    const bodies = [
      "",
      "not a form at all %%% \u0000",
      JSON.stringify({ notify_type: "trade_status_sync" }),
      "a=1&b=2&sign=xyz",
      "x".repeat(10_000),
    ];
    for (const body of bodies) {
      const { answer, notification } = await receiveAlipayNotification(body, client);
      expect(answer, body.slice(0, 40)).toBe("fail");
      expect(notification).toMatchObject({ outcome: "REFUSED", reason: "notifications.reason.malformed" });
      expect(await refusalAudit(notification.id)).toHaveLength(1);
    }
    // What Postgres cannot store (NUL, an unpaired surrogate) is stored replaced, so the refusal is kept.
    const unstorable = await receiveAlipayNotification("notify_type=\u0000&app_id=\uD800", client);
    expect(unstorable).toMatchObject({
      answer: "fail",
      notification: { outcome: "REFUSED", type: "\uFFFD", appId: "\uFFFD" },
    });
    // Signed, but its biz_content is not JSON: refused as malformed rather than applied.
    const { answer, notification } = await receiveAlipayNotification(form(gatewayFields("{oops")), client);
    expect(answer).toBe("fail");
    expect(notification).toMatchObject({
      channel: "GATEWAY",
      outcome: "REFUSED",
      reason: "notifications.reason.malformed",
      signatureValid: true,
    });
    expect(spies.fundCoupon).not.toHaveBeenCalled();
    expect(spies.transfer).not.toHaveBeenCalled();
  });

  it("routes a gateway message to the transfer applier with its parsed biz_content", async () => {
    const biz = { out_biz_no: "rp-1", order_id: "2026120200000001", status: "SUCCESS", trans_amount: "1.88" };
    const fields = gatewayFields(biz);
    const { answer, notification } = await receiveAlipayNotification(form(fields), client);
    expect(answer).toBe("success");
    expect(spies.transfer).toHaveBeenCalledExactlyOnceWith(biz);
    expect(spies.fundCoupon).not.toHaveBeenCalled();
    expect(notification).toMatchObject({
      channel: "GATEWAY",
      type: "alipay.fund.trans.order.changed",
      notifyId: fields.notify_id,
      outcome: "APPLIED",
    });
  });

  it("ignores verified notifications about nothing it acts on, and answers success", async () => {
    const notify = await receiveAlipayNotification(
      form(couponFields({ notify_type: "some_new_type" })),
      client,
    );
    const message = await receiveAlipayNotification(
      form(gatewayFields({ a: 1 }, { msg_method: "alipay.some.other.message" })),
      client,
    );
    for (const { answer, notification } of [notify, message]) {
      expect(answer).toBe("success");
      expect(notification).toMatchObject({ outcome: "IGNORED", reason: "notifications.reason.unknownType" });
    }
    expect(spies.fundCoupon).not.toHaveBeenCalled();
    expect(spies.transfer).not.toHaveBeenCalled();
  });

  it("answers fail for deferred and failed applications, so Alipay redelivers, then applies the redelivery", async () => {
    const body = form(couponFields());
    spies.fundCoupon.mockResolvedValueOnce({
      outcome: "DEFERRED",
      reason: "notifications.reason.applyFailed",
    });
    spies.fundCoupon.mockRejectedValueOnce(new Error("database went away"));
    const deferred = await receiveAlipayNotification(body, client);
    const failed = await receiveAlipayNotification(body, client);
    const applied = await receiveAlipayNotification(body, client);
    expect([deferred.answer, failed.answer, applied.answer]).toEqual(["fail", "fail", "success"]);
    expect(failed.notification).toMatchObject({
      outcome: "DEFERRED",
      reason: "notifications.reason.applyFailed",
    });
    expect(applied.notification.outcome).toBe("APPLIED");
    expect(spies.fundCoupon).toHaveBeenCalledTimes(3);
  });

  it("answers fail for a notification the applier refuses (amount disagrees); the applier audits that", async () => {
    spies.fundCoupon.mockResolvedValueOnce({
      outcome: "REFUSED",
      reason: "notifications.reason.amountMismatch",
    });
    const { answer, notification } = await receiveAlipayNotification(form(couponFields()), client);
    expect(answer).toBe("fail");
    expect(notification).toMatchObject({
      outcome: "REFUSED",
      reason: "notifications.reason.amountMismatch",
      signatureValid: true,
    });
    // The applier records the refusal on the payout or order it found; the receiver adds none of its own.
    expect(await refusalAudit(notification.id)).toEqual([]);
  });

  it("receives the simulator's real alipay.fund.trans.order.changed after a transfer", async () => {
    const outBizNo = `notify-${randomUUID()}`;
    const result = await transferRedPacket(client, {
      outBizNo,
      amountFen: 188,
      recipient: { identityType: "USER_ID", identity: "2088000000000777" },
      orderTitle: "Reward",
    });
    expect(result.kind).toBe("ok");
    await vi.waitFor(() => expect(spies.transfer).toHaveBeenCalled(), { timeout: 10_000 });
    expect(spies.transfer.mock.calls[0]?.[0]).toMatchObject({ out_biz_no: outBizNo, status: "SUCCESS" });
    await vi.waitFor(() => expect(forwarded.length).toBeGreaterThan(0), { timeout: 5_000 });
    const last = forwarded.at(-1);
    expect(last?.answer).toBe("success");
    const stored = await db.alipayNotification.findUniqueOrThrow({ where: { id: last?.notificationId } });
    expect(stored).toMatchObject({ channel: "GATEWAY", outcome: "APPLIED", signatureValid: true });
  });
});

describe("POST /api/alipay/notify", () => {
  const context = { params: Promise.resolve({}) };
  const post = (body: string, headers: Record<string, string> = {}) =>
    POST(
      new Request("http://localhost/api/alipay/notify", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8", ...headers },
        body,
      }),
      context,
    );

  it("answers success as plain text for a good notification and fail (200) for a forged one", async () => {
    const good = await post(form(couponFields()));
    expect(good.status).toBe(200);
    expect(good.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await good.text()).toBe("success");

    const forged = await post(form({ ...couponFields(), amount: "99999.00" }));
    expect(forged.status).toBe(200);
    expect(await forged.text()).toBe("fail");
    const row = await db.alipayNotification.findFirstOrThrow({ orderBy: { receivedAt: "desc" } });
    const audit = await refusalAudit(row.id);
    // The caller's address is kept with the refusal, for whoever looks into a forgery.
    expect(audit[0]).toMatchObject({ ip: "203.0.113.7" });
  });

  it("never answers 500 to hostile input", async () => {
    const big = await post("a=".padEnd(70 * 1024, "x"));
    expect(big.status).toBe(413);
    expect(await big.text()).toBe("fail");
    for (const body of ["", "%", "\uFFFF\uD800", '{"json":true}']) {
      const response = await post(body);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("fail");
    }
    // No usable Alipay client in this process (misconfiguration): still a plain `fail`.
    spies.client.current = null;
    const broken = await post(form(couponFields()));
    expect(broken.status).toBe(200);
    expect(await broken.text()).toBe("fail");
  });
});

describe("listAlipayNotifications", () => {
  it("shows administrators the stored notifications newest first, filtered by outcome and channel", async () => {
    const [admin, marketer] = await Promise.all([insertUser("admin"), insertUser("marketer")]);
    const gateway = await receiveAlipayNotification(form(gatewayFields({ out_biz_no: "rp-list" })), client);
    const query = notificationsListQuerySchema.parse({ channel: "GATEWAY", outcome: "APPLIED" });
    const page = await listAlipayNotifications(admin.actor, query);
    expect(page.rows[0]).toMatchObject({
      id: gateway.notification.id,
      channel: "GATEWAY",
      outcome: "APPLIED",
      entityHref: "/payouts/payout-1",
    });
    expect(page.rows.every((r) => r.channel === "GATEWAY" && r.outcome === "APPLIED")).toBe(true);
    const refused = await listAlipayNotifications(
      admin.actor,
      notificationsListQuerySchema.parse({ outcome: "REFUSED" }),
    );
    expect(refused.total).toBeGreaterThan(0);
    expect(refused.rows.every((r) => r.outcome === "REFUSED")).toBe(true);
    const byNotifyId = await listAlipayNotifications(
      admin.actor,
      notificationsListQuerySchema.parse({ q: gateway.notification.notifyId }),
    );
    expect(byNotifyId.rows.map((r) => r.id)).toEqual([gateway.notification.id]);
    await expect(listAlipayNotifications(marketer.actor, query)).rejects.toBeInstanceOf(DomainError);
  });
});
