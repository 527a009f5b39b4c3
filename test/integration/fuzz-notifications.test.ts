/**
 * Alipay's notification endpoint (POST /api/alipay/notify, its handler called directly) with the REAL appliers:
 * notifications come from the simulator (it signs them with Alipay's key and posts them to a receiver), and the
 * test plays the forger. Property: random form bodies, the genuine notification with its fields in another
 * order, one field replaced by a hostile value, cut short, or with a forged signature — the answer is always
 * Alipay's plain `success` or `fail` (never a 5xx), every POST is stored with an outcome that matches the answer,
 * a receiver's refusal is audited with it, and no money moves: fund orders, campaign budgets and payouts stay as
 * they were. Then four explicit refusals through the real appliers: a forged signature, another app's id, an
 * amount that is not the order's (correctly signed), and a replay of an applied notification.
 *
 * test/integration/alipay-notify.test.ts proves the receiver's routing with spies in place of the appliers;
 * this file proves, with the appliers themselves, that none of those cases changes money.
 */
import { createPrivateKey, randomUUID, type KeyObject } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/alipay/notify/route";
import type { AlipayClient } from "@/lib/alipay/client";
import { signNotification } from "@/lib/alipay-sim/protocol";
import type * as RequestMetaModule from "@/lib/auth/request-meta";
import { createCampaign } from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import { startPagePay } from "@/lib/fund-coupon/orders";
import { NOTIFICATION_REASONS } from "@/lib/notifications/receive";
import { fuzzParams, fuzzTimeout, hostileString, hostileValue } from "../support/arbitraries";
import { startReceiver, startTestAlipay, TEST_APP_ID, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import { fundedCouponCampaign } from "../support/fund-coupon";
import { campaignInput } from "../support/payouts";

// Per property, scaled with FUZZ_RUNS: well above what one takes on a loaded machine (see fuzzTimeout).
vi.setConfig({ testTimeout: fuzzTimeout(180_000) });

// The public route never looks up a session; Auth.js itself does not load outside Next.
vi.mock("@/lib/auth/session", () => ({
  requirePermission: () => Promise.reject(new Error("a public route must not ask for a session")),
  currentUserForDisplay: () => Promise.resolve(null),
}));
// Route handlers read the request's headers through Next's request scope, which a direct call does not have.
vi.mock("@/lib/auth/request-meta", async (importOriginal) => ({
  ...(await importOriginal<typeof RequestMetaModule>()),
  currentRequestMeta: async () => ({ ip: "198.51.100.9", userAgent: "fuzz-notifications" }),
}));

let alipay: TestAlipay;
let client: AlipayClient;
let alipayKey: KeyObject;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let marketer: Awaited<ReturnType<typeof insertUser>>;
/** The simulator's own trade_status_sync for a paid agreement-pay order, as it posted it. */
let genuine: Record<string, string>;
let paidOrderId: string;

function useClientForRoutes(c: AlipayClient | undefined): void {
  (globalThis as unknown as { hongbaoAlipay?: AlipayClient }).hongbaoAlipay = c;
}

beforeAll(async () => {
  receiver = await startReceiver();
  alipay = await startTestAlipay();
  client = alipay.client({ notifyUrl: receiver.url });
  alipayKey = createPrivateKey(alipay.keys.alipay.privateKey);
  useClientForRoutes(client);
  marketer = await insertUser("marketer");
  const { order } = await fundedCouponCampaign(alipay, client, marketer.actor, { fundingFen: 5_000 });
  paidOrderId = order.id;
  await receiver.waitFor(1);
  const sent = receiver.received.find((f) => f.out_order_no === order.outOrderNo);
  if (!sent) throw new Error("the simulator sent no notification for the funding order");
  genuine = sent;
  // The first delivery to the console: the order is already PAID (agreement pay answered at once), so applying
  // it changes nothing; from now on this notify_id is APPLIED and every later copy is a replay.
  expect(await answerOf(await post(form(genuine)))).toBe("success");
});

afterAll(async () => {
  useClientForRoutes(undefined);
  await alipay.sim.stop();
  await receiver.close();
});

const form = (fields: Record<string, string> | [string, string][]) =>
  new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields)).toString();

function post(
  body: string,
  contentType = "application/x-www-form-urlencoded;charset=utf-8",
): Promise<Response> {
  return POST(
    new Request("http://localhost/api/alipay/notify", {
      method: "POST",
      headers: contentType ? { "content-type": contentType } : {},
      body,
    }),
    { params: Promise.resolve({}) },
  );
}

/** Alipay reads only the body: exactly `success` or `fail`, as plain text, with a 200 (413 for a huge body). */
async function answerOf(response: Response): Promise<"success" | "fail"> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  const text = await response.text();
  expect(["success", "fail"]).toContain(text);
  return text as "success" | "fail";
}

/** Everything about money: orders, budgets, payouts, refunds. */
async function money() {
  const [orders, campaigns, payouts, refunds] = await Promise.all([
    db.fundOrder.findMany({
      orderBy: { id: "asc" },
      select: { id: true, status: true, amountFen: true, refundedFen: true, authNo: true },
    }),
    db.campaign.findMany({
      orderBy: { id: "asc" },
      select: {
        id: true,
        status: true,
        budgetFen: true,
        reservedFen: true,
        spentFen: true,
        refundedFen: true,
      },
    }),
    db.payout.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, amountFen: true } }),
    db.campaignRefund.count(),
  ]);
  return { orders, campaigns, payouts, refunds };
}

async function latestNotification() {
  return db.alipayNotification.findFirstOrThrow({ orderBy: [{ receivedAt: "desc" }, { id: "desc" }] });
}

const refusalEvents = (notificationId: string) =>
  db.auditEvent.findMany({ where: { entityType: "AlipayNotification", entityId: notificationId } });

/** The fields of `fields` re-signed with Alipay's own key, as the simulator signs (sign without sign_type). */
function resigned(fields: Record<string, string>): Record<string, string> {
  return signNotification(unsigned(fields), alipayKey, false);
}

function unsigned(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => name !== "sign"));
}

// ---------------------------------------------------------------------------------------------------------------

const FIELD_NAMES = [
  "notify_type",
  "notify_id",
  "notify_time",
  "app_id",
  "charset",
  "version",
  "sign_type",
  "sign",
  "auth_no",
  "out_order_no",
  "operation_id",
  "out_request_no",
  "operation_type",
  "amount",
  "status",
  "payer_user_id",
  "msg_method",
  "biz_content",
  "utc_timestamp",
];

const asText = (value: unknown): string =>
  typeof value === "string" ? value : (JSON.stringify(value) ?? "");

type BodyCase = { body: string; contentType?: string; what: string };

function bodyCase(): fc.Arbitrary<BodyCase> {
  const entries = Object.entries(genuine);
  return fc.oneof(
    // Random forms over the fields notifications have (and others), with hostile values.
    fc
      .dictionary(
        fc.oneof(fc.constantFrom(...FIELD_NAMES), hostileString({ maxLength: 20 })),
        hostileValue().map(asText),
        {
          maxKeys: 12,
        },
      )
      .map((fields) => ({ body: form(fields), what: "random form" })),
    // The genuine notification, fields in a random order: verifies, and is a replay.
    fc.shuffledSubarray(entries, { minLength: entries.length }).map((shuffled) => ({
      body: form(shuffled),
      what: "shuffled",
    })),
    // One field replaced by a hostile value (the signature left as it was).
    fc
      .tuple(fc.constantFrom(...Object.keys(genuine)), hostileValue().map(asText))
      .map(([name, value]) => ({ body: form({ ...genuine, [name]: value }), what: `${name} replaced` })),
    // A field dropped, or one added.
    fc.constantFrom(...Object.keys(genuine)).map((name) => {
      const { [name]: _dropped, ...rest } = genuine;
      return { body: form(rest), what: `${name} dropped` };
    }),
    fc
      .tuple(hostileString({ maxLength: 20 }), hostileString({ maxLength: 40 }))
      .map(([name, value]) => ({ body: form({ ...genuine, [name]: value }), what: "field added" })),
    // Cut short anywhere.
    fc.nat().map((n) => {
      const body = form(genuine);
      return { body: body.slice(0, n % body.length), what: "truncated" };
    }),
    // A forged signature: random base64, the real one cut short, one character changed.
    fc
      .oneof(
        fc.base64String({ maxLength: 400 }),
        fc.nat().map((n) => (genuine.sign ?? "").slice(0, n % 344)),
        fc.nat().map((n) => {
          const sign = genuine.sign ?? "";
          const i = n % sign.length;
          return `${sign.slice(0, i)}${sign[i] === "A" ? "B" : "A"}${sign.slice(i + 1)}`;
        }),
      )
      .map((sign) => ({ body: form({ ...genuine, sign }), what: "forged signature" })),
    // Not a form at all, or sent as something else.
    fc
      .tuple(
        fc.oneof(
          hostileString({ maxLength: 400 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        fc.constantFrom("application/json", "text/plain", "", "multipart/form-data; boundary=x"),
      )
      .map(([body, contentType]) => ({ body, contentType, what: "not a form" })),
  );
}

describe("POST /api/alipay/notify with hostile bodies (real appliers)", () => {
  it("answers success or fail, stores each POST with a matching outcome, audits refusals, moves no money", async () => {
    const before = await money();
    await fc.assert(
      fc.asyncProperty(bodyCase(), async (c) => {
        const count = await db.alipayNotification.count();
        const answer = await answerOf(await post(c.body, c.contentType));
        expect(await db.alipayNotification.count(), c.what).toBe(count + 1);
        const row = await latestNotification();
        expect(answer, `${c.what}: ${row.outcome} ${row.reason}`).toBe(
          ["APPLIED", "DUPLICATE", "IGNORED"].includes(row.outcome) ? "success" : "fail",
        );
        // Nothing hostile can be applied: a body that still verifies is the genuine notification, a replay.
        expect(["REFUSED", "DUPLICATE", "IGNORED"], `${c.what}: ${row.outcome} ${row.reason}`).toContain(
          row.outcome,
        );
        const events = await refusalEvents(row.id);
        const refusedHere =
          row.outcome === "REFUSED" && Object.values(NOTIFICATION_REASONS).includes(row.reason as never);
        expect(
          events.map((e) => e.action),
          c.what,
        ).toEqual(refusedHere ? ["alipay.notification_refused"] : []);
        if (row.outcome === "REFUSED" && row.reason === NOTIFICATION_REASONS.badSignature)
          expect(row.signatureValid).toBe(false);
        expect(await money(), c.what).toEqual(before);
      }),
      fuzzParams<[BodyCase]>(80, [
        // Regression: a sign_type the SDK has no algorithm for made it throw, so the POST was neither stored nor
        // audited (the receiver promises to keep every refusal).
        [{ body: form({ ...genuine, sign_type: " " }), what: "sign_type replaced" }],
        [{ body: form({ ...genuine, sign_type: "RSA3", notify_id: "n1" }), what: "sign_type replaced" }],
      ]),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("refusals through the real appliers", () => {
  it("a forged signature: REFUSED, audited with the caller's address, answered fail, no money moves", async () => {
    const before = await money();
    for (const forged of [
      { ...genuine, amount: "50000.00", notify_id: randomUUID().replaceAll("-", "") },
      { ...genuine, sign: `${(genuine.sign ?? "").slice(0, -4)}AAA=` },
      // Signed with a key that is not Alipay's (the console's own app key, which a leak would expose).
      signNotification(
        { ...unsigned(genuine), notify_id: randomUUID().replaceAll("-", "") },
        createPrivateKey(alipay.keys.app.privateKey),
        false,
      ),
    ]) {
      expect(await answerOf(await post(form(forged)))).toBe("fail");
      const row = await latestNotification();
      expect(row).toMatchObject({
        outcome: "REFUSED",
        reason: NOTIFICATION_REASONS.badSignature,
        signatureValid: false,
      });
      expect(await refusalEvents(row.id)).toEqual([
        expect.objectContaining({ action: "alipay.notification_refused", ip: "198.51.100.9" }),
      ]);
    }
    expect(await money()).toEqual(before);
  });

  it("another app's id, correctly signed by Alipay: REFUSED as wrong app, audited, no money moves", async () => {
    const before = await money();
    const other = resigned({
      ...genuine,
      app_id: "2021000000009999",
      notify_id: randomUUID().replaceAll("-", ""),
    });
    expect(await answerOf(await post(form(other)))).toBe("fail");
    const row = await latestNotification();
    expect(row).toMatchObject({
      outcome: "REFUSED",
      reason: NOTIFICATION_REASONS.wrongAppId,
      appId: "2021000000009999",
    });
    expect((await refusalEvents(row.id)).map((e) => e.action)).toEqual(["alipay.notification_refused"]);
    expect(await money()).toEqual(before);
    // The same, with this console's app id: accepted (the app id was the reason).
    const ours = resigned({ ...genuine, app_id: TEST_APP_ID, notify_id: randomUUID().replaceAll("-", "") });
    expect(await answerOf(await post(form(ours)))).toBe("success");
    expect(await money()).toEqual(before);
  });

  it("a signed payment of another amount for an unpaid order: REFUSED by the order's check, audited, unpaid", async () => {
    const created = await createCampaign(
      client,
      marketer.actor,
      campaignInput({ rail: "FUND_COUPON", maxPacketFen: 500, name: `Fuzz notify ${Date.now()}` }),
    );
    const { order } = await startPagePay(
      client,
      marketer.actor,
      { campaignId: created.id, amountFen: 2_000, title: "Fuzz" },
      "https://console.example/fund-return",
    );
    const paidFields = (amount: string) =>
      resigned({
        ...genuine,
        notify_id: randomUUID().replaceAll("-", ""),
        out_order_no: order.outOrderNo,
        out_request_no: order.outOrderNo,
        auth_no: `2026120210002001${String(Date.now()).slice(-12)}`,
        amount,
      });
    const before = await money();
    for (const amount of ["2000.00", "20.01", "19.99", "0.00", "-20.00", "abc", ""]) {
      const answer = await answerOf(await post(form(paidFields(amount))));
      const row = await latestNotification();
      expect({ answer, outcome: row.outcome, reason: row.reason, entityId: row.entityId }, amount).toEqual({
        answer: "fail",
        outcome: "REFUSED",
        reason: "notifications.reason.amountMismatch",
        entityId: order.id,
      });
      // The applier (not the receiver) refused it, and recorded that on the order.
      expect(await refusalEvents(row.id)).toEqual([]);
    }
    expect(
      await db.auditEvent.count({ where: { entityId: order.id, action: "fund_order.notification_refused" } }),
    ).toBe(7);
    expect(await money()).toEqual(before);
    expect(await db.fundOrder.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({
      status: "AWAITING_PAYMENT",
    });

    // The same notification with the order's own amount pays it: the amount was the only reason.
    expect(await answerOf(await post(form(paidFields("20.00"))))).toBe("success");
    expect(await db.fundOrder.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({
      status: "PAID",
    });
    expect(await db.campaign.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({
      budgetFen: 2_000,
    });
  });

  it("a replay of an applied notification: DUPLICATE, answered success, applied once", async () => {
    const before = await money();
    const paid = await db.auditEvent.count({ where: { entityId: paidOrderId, action: "fund_order.paid" } });
    for (const body of [form(genuine), form(Object.entries(genuine).reverse())]) {
      expect(await answerOf(await post(body))).toBe("success");
      const row = await latestNotification();
      expect(row).toMatchObject({ outcome: "DUPLICATE", notifyId: genuine.notify_id, entityId: paidOrderId });
      expect(await refusalEvents(row.id)).toEqual([]);
    }
    expect(
      await db.alipayNotification.count({ where: { notifyId: genuine.notify_id, outcome: "APPLIED" } }),
    ).toBe(1);
    expect(await db.auditEvent.count({ where: { entityId: paidOrderId, action: "fund_order.paid" } })).toBe(
      paid,
    );
    expect(await money()).toEqual(before);
  });
});
