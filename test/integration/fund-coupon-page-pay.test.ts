/**
 * Funding a FUND_COUPON campaign at Alipay's PC cashier (page.pay), end to end: the test plays the payer's browser
 * with fetch (posts the signed form to the simulator's gateway, pays on the cashier page, reads the redirect back
 * to the console's return_url without following it), and the console learns the payment from the signed return,
 * the trade_status_sync notification, or the in-flight sweep's query once the pay deadline has passed.
 * Real database, the simulator over HTTP through the real SDK; its ledger is the proof of what moved.
 */
import http from "node:http";
import { createPrivateKey } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Campaign, FundOrder } from "@/generated/prisma/client";
import type { AlipayClient } from "@/lib/alipay/client";
import { signNotification } from "@/lib/alipay-sim/protocol";
import { createCampaign } from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import { confirmPagePayReturn, resolveFundOrders, startPagePay } from "@/lib/fund-coupon/orders";
import { receiveAlipayNotification } from "@/lib/notifications/receive";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import { fundLedger } from "../support/fund-coupon";
import { campaignInput } from "../support/payouts";

const MINUTE = 60_000;
/** The console's fund-return page; never fetched here, only compared with where the cashier sends the payer. */
const CONSOLE_ORIGIN = "https://console.example";

let alipay: TestAlipay;
/** Sends no notify_url: the return is the only way the console hears of a payment. */
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let seq = 0;

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client();
  marketer = await insertUser("marketer");
});
afterAll(() => alipay.sim.stop());

/** A fresh FUND_COUPON campaign under a name no other test uses: AWAITING_FUNDING with no budget. */
async function unfundedCampaign(label: string): Promise<Campaign> {
  seq += 1;
  const created = await createCampaign(
    client,
    marketer.actor,
    campaignInput({ rail: "FUND_COUPON", maxPacketFen: 500, name: `Page pay ${label} ${Date.now()}-${seq}` }),
  );
  expect(created).toMatchObject({ status: "AWAITING_FUNDING", budgetFen: 0 });
  return db.campaign.findUniqueOrThrow({ where: { id: created.id } });
}

function returnUrlOf(campaignId: string): string {
  return `${CONSOLE_ORIGIN}/campaigns/${encodeURIComponent(campaignId)}/fund-return`;
}

async function startOrder(c: AlipayClient, campaign: Campaign, amountFen: number) {
  return startPagePay(
    c,
    marketer.actor,
    { campaignId: campaign.id, amountFen, title: `Funding ${campaign.name}` },
    returnUrlOf(campaign.id),
  );
}

/** What a browser makes of an attribute value: character references decoded. */
function decodeHtml(text: string): string {
  const named: Record<string, string> = { quot: '"', amp: "&", lt: "<", gt: ">", apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith("#x") || ref.startsWith("#X")) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return named[ref.toLowerCase()] ?? whole;
  });
}

/** The first form's action, resolved against the page it came from. */
function formAction(html: string, base: string): URL {
  const action = /<form\b[^>]*\saction="([^"]*)"/i.exec(html)?.[1];
  if (action === undefined) throw new Error(`no form in: ${html.slice(0, 300)}`);
  return new URL(decodeHtml(action), base);
}

/** The browser auto-submitting startPagePay's form: the gateway verifies it and sends the payer to the cashier. */
async function submitPayForm(form: string): Promise<URL> {
  const action = formAction(form, CONSOLE_ORIGIN);
  expect(action.origin).toBe(new URL(alipay.sim.gatewayUrl).origin);
  const fields = new URLSearchParams();
  for (const [, name, value] of form.matchAll(/<input\b[^>]*\sname="([^"]*)"[^>]*\svalue="([^"]*)"/gi))
    fields.append(decodeHtml(name ?? ""), decodeHtml(value ?? ""));
  // Every signed field (method, app_id, sign, biz_content…) is an input: without them the gateway could not
  // verify anything, so this proves the form was read.
  expect(fields.get("method")).toBe("alipay.fund.coupon.order.page.pay");
  expect(fields.get("sign")).toBeTruthy();
  expect(fields.get("biz_content")).toBeTruthy();
  const response = await fetch(action, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: fields.toString(),
    redirect: "manual",
  });
  expect(response.status, await response.clone().text()).toBe(302);
  const location = new URL(response.headers.get("location") ?? "", action);
  expect(location.pathname).toBe("/cashier/fund-coupon");
  return location;
}

/** Opens the cashier page and reads where its pay button posts, as a payer looking at the amount would. */
async function openCashier(cashier: URL, amountText: string): Promise<URL> {
  const page = await fetch(cashier, { redirect: "manual" });
  const html = await page.text();
  expect(page.status, html).toBe(200);
  expect(html).toContain(amountText);
  return formAction(html, cashier.toString());
}

/** The pay button: an empty form POST; the redirect (to the console) is captured, not followed. */
async function clickPay(payAction: URL) {
  const response = await fetch(payAction, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "",
    redirect: "manual",
  });
  const location = response.headers.get("location");
  return {
    status: response.status,
    html: await response.text(),
    location: location ? new URL(location) : null,
  };
}

/** Form → cashier → pay; returns the signed parameters Alipay appended to return_url. */
async function payAtCashier(form: string, campaignId: string, amountText: string) {
  const cashier = await submitPayForm(form);
  const paid = await clickPay(await openCashier(cashier, amountText));
  expect(paid.status, paid.html).toBe(302);
  expect(paid.location).not.toBeNull();
  const location = paid.location ?? new URL(CONSOLE_ORIGIN);
  expect(`${location.origin}${location.pathname}`).toBe(returnUrlOf(campaignId));
  return Object.fromEntries(location.searchParams);
}

/** A notify_url that keeps each POST's raw body, as the console's route receives it, and answers `success`. */
async function startRawReceiver() {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      bodies.push(body);
      res.end("success");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    bodies,
    /** Polls until the first body arrives (the simulator delivers asynchronously after the cashier answers). */
    async first(timeoutMs = 10_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const body = bodies[0];
        if (body !== undefined) return body;
        if (Date.now() > deadline) throw new Error("no notification arrived");
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const auditCount = (action: string, entityId: string) => db.auditEvent.count({ where: { action, entityId } });
const orderNow = (order: FundOrder) => db.fundOrder.findUniqueOrThrow({ where: { id: order.id } });
const campaignNow = (campaign: Campaign) => db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });

/** Nothing moved: the order still waits, the campaign has no money, no payment was recorded. */
async function expectUnpaid(order: FundOrder, campaign: Campaign) {
  expect(await orderNow(order)).toMatchObject({ status: "AWAITING_PAYMENT", authNo: null, paidAt: null });
  expect(await campaignNow(campaign)).toMatchObject({ status: "AWAITING_FUNDING", budgetFen: 0 });
  expect(await auditCount("fund_order.paid", order.id)).toBe(0);
}

/** Paid once: the order, the budget, the campaign and exactly one paid event of each kind. */
async function expectPaidOnce(order: FundOrder, campaign: Campaign, authNo: string) {
  expect(await orderNow(order)).toMatchObject({ status: "PAID", authNo });
  expect(await campaignNow(campaign)).toMatchObject({ status: "ACTIVE", budgetFen: order.amountFen });
  expect(await auditCount("fund_order.paid", order.id)).toBe(1);
  expect(await auditCount("campaign.funded", campaign.id)).toBe(1);
}

describe("page pay confirmed by the return", () => {
  it("waits for the payer, then the signed return marks it paid; a reload changes nothing", async () => {
    const campaign = await unfundedCampaign("return");
    const started = Date.now();
    const { order, form } = await startOrder(client, campaign, 12_345);
    expect(order).toMatchObject({ method: "PAGE", status: "AWAITING_PAYMENT", amountFen: 12_345 });
    // The cashier's deadline is in the future: the sweep must leave a fresh order alone.
    expect(order.payTimeoutAt?.getTime()).toBeGreaterThan(started);
    await expectUnpaid(order, campaign);

    const params = await payAtCashier(form, campaign.id, "¥123.45");
    expect(params).toMatchObject({
      method: "alipay.fund.coupon.order.page.pay.return",
      out_order_no: order.outOrderNo,
      amount: "123.45",
      status: "SUCCESS",
    });
    // Alipay has the money, but the console has not heard yet (no notify_url): nothing is credited early.
    await expectUnpaid(order, campaign);

    const confirmed = await confirmPagePayReturn(client, params);
    expect(confirmed.result).toMatchObject({ outcome: "APPLIED", entityId: order.id });
    expect(confirmed.order).toMatchObject({ status: "PAID", operationId: params.operation_id });
    await expectPaidOnce(order, campaign, params.auth_no ?? "");
    const ledger = await fundLedger(alipay, "FUNDING", order.outOrderNo);
    expect(ledger).toEqual([expect.objectContaining({ key: order.outOrderNo, amountFen: 12_345 })]);

    // The payer reloads the return page: the same signed parameters arrive again.
    const reloaded = await confirmPagePayReturn(client, params);
    expect(reloaded.result.outcome).toBe("APPLIED");
    await expectPaidOnce(order, campaign, params.auth_no ?? "");
    expect(await fundLedger(alipay, "FUNDING", order.outOrderNo)).toHaveLength(1);
  });
});

describe("a title with characters HTML gives meaning to", () => {
  it("reaches the cashier signed as typed (R&amp;D <team> \"x\" 'y') and is paid", async () => {
    const campaign = await unfundedCampaign("escaping");
    const { order, form } = await startPagePay(
      client,
      marketer.actor,
      { campaignId: campaign.id, amountFen: 500, title: `R&amp;D <team> "x" 'y'` },
      returnUrlOf(campaign.id),
    );
    // The browser decodes the form's attributes once: the gateway must see the title exactly as signed.
    const params = await payAtCashier(form, campaign.id, "¥5.00");
    expect(params).toMatchObject({ out_order_no: order.outOrderNo, status: "SUCCESS" });
    const confirmed = await confirmPagePayReturn(client, params);
    expect(confirmed.order).toMatchObject({ status: "PAID" });
  });
});

describe("page pay confirmed by the notification", () => {
  it("the notification alone marks it paid; the later return and a redelivery change nothing", async () => {
    const receiver = await startRawReceiver();
    try {
      const notifying = alipay.client({ notifyUrl: receiver.url });
      const campaign = await unfundedCampaign("notify");
      const { order, form } = await startOrder(notifying, campaign, 2_000);
      const params = await payAtCashier(form, campaign.id, "¥20.00");

      const raw = await receiver.first();
      const fields = Object.fromEntries(new URLSearchParams(raw));
      expect(fields).toMatchObject({
        notify_type: "trade_status_sync",
        out_order_no: order.outOrderNo,
        amount: "20.00",
        status: "SUCCESS",
      });
      const received = await receiveAlipayNotification(raw, notifying);
      expect(received.answer).toBe("success");
      expect(received.notification).toMatchObject({ outcome: "APPLIED", entityId: order.id });
      await expectPaidOnce(order, campaign, fields.auth_no ?? "");

      // The payer's browser comes back after the notification was applied.
      const returned = await confirmPagePayReturn(notifying, params);
      expect(returned.result.outcome).toBe("APPLIED");
      await expectPaidOnce(order, campaign, fields.auth_no ?? "");

      // Alipay redelivers the same notify_id: recognised, answered success, not applied again.
      const again = await receiveAlipayNotification(raw, notifying);
      expect(again).toMatchObject({ answer: "success", notification: { outcome: "DUPLICATE" } });
      await expectPaidOnce(order, campaign, fields.auth_no ?? "");
      expect(await fundLedger(alipay, "FUNDING", order.outOrderNo)).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});

describe("a tampered return", () => {
  it("is refused and changes nothing; the genuine return still pays", async () => {
    const campaign = await unfundedCampaign("tampered");
    const { order, form } = await startOrder(client, campaign, 500);
    const params = await payAtCashier(form, campaign.id, "¥5.00");
    const sign = params.sign ?? "";
    expect(sign.length).toBeGreaterThan(10);

    // The payer edits the URL to claim more money than was paid: Alipay's signature no longer matches.
    const inflated = await confirmPagePayReturn(client, { ...params, amount: "5000.00" });
    expect(inflated).toEqual({
      order: null,
      result: { outcome: "REFUSED", reason: "notifications.reason.badSignature" },
    });
    // One character of the signature changed (a valid base64 character, so it still decodes).
    const altered = `${sign.slice(0, 5)}${sign[5] === "A" ? "B" : "A"}${sign.slice(6)}`;
    const forged = await confirmPagePayReturn(client, { ...params, sign: altered });
    expect(forged.result).toEqual({ outcome: "REFUSED", reason: "notifications.reason.badSignature" });
    const unsigned = await confirmPagePayReturn(client, { ...params, sign: "" });
    expect(unsigned.result).toEqual({ outcome: "REFUSED", reason: "notifications.reason.badSignature" });
    await expectUnpaid(order, campaign);

    // Correctly signed (with Alipay's own key) but naming another amount: the order's amount check refuses it
    // and records it for a person, so a signature alone can never credit a different sum.
    const { sign: _dropped, ...unsignedParams } = params;
    const mismatched = signNotification(
      { ...unsignedParams, amount: "50.00" },
      createPrivateKey(alipay.keys.alipay.privateKey),
      false,
    );
    const wrongAmount = await confirmPagePayReturn(client, mismatched);
    expect(wrongAmount.result).toMatchObject({
      outcome: "REFUSED",
      reason: "notifications.reason.amountMismatch",
      entityId: order.id,
    });
    expect(await auditCount("fund_order.notification_refused", order.id)).toBe(1);
    await expectUnpaid(order, campaign);

    // The refusals left the order intact: the genuine parameters are still honoured.
    const genuine = await confirmPagePayReturn(client, params);
    expect(genuine.result.outcome).toBe("APPLIED");
    await expectPaidOnce(order, campaign, params.auth_no ?? "");
  });
});

// Last in the file: moving the simulator's clock closes every unpaid cashier order it holds.
describe("an order never paid", () => {
  it("is closed by the sweep once Alipay has closed it, and the cashier then refuses payment", async () => {
    const campaign = await unfundedCampaign("unpaid");
    const { order, form } = await startOrder(client, campaign, 800);
    // The payer reaches the cashier (Alipay now has the order) and leaves the page open without paying.
    const payAction = await openCashier(await submitPayForm(form), "¥8.00");

    // Our deadline passes first (it was set before the form reached Alipay): Alipay still says INIT, so the
    // sweep waits rather than closing an order the payer could still pay.
    await db.fundOrder.update({
      where: { id: order.id },
      data: { payTimeoutAt: new Date(Date.now() - MINUTE) },
    });
    await resolveFundOrders(client);
    await expectUnpaid(order, campaign);

    // Alipay's pay_timeout (30m) passes too: its order is CLOSED, and the sweep closes ours.
    await alipay.admin("/__sim/time", { advanceMs: 31 * MINUTE });
    await resolveFundOrders(client);
    expect(await orderNow(order)).toMatchObject({ status: "CLOSED", failureCode: "CLOSED", authNo: null });
    expect(await campaignNow(campaign)).toMatchObject({ status: "AWAITING_FUNDING", budgetFen: 0 });
    expect(await auditCount("fund_order.closed", order.id)).toBe(1);
    expect(await auditCount("fund_order.paid", order.id)).toBe(0);

    // The payer finally clicks pay on the page left open: the simulator refuses a closed order.
    const late = await clickPay(payAction);
    expect(late.status).toBe(409);
    expect(late.location).toBeNull();
    expect(late.html).toContain("order closed");
    const reopened = await fetch(payAction, { redirect: "manual" });
    expect(reopened.status).toBe(410);
    expect(await fundLedger(alipay, "FUNDING", order.outOrderNo)).toEqual([]);
    expect(await orderNow(order)).toMatchObject({ status: "CLOSED" });

    // A second sweep finds nothing more to do with it.
    await resolveFundOrders(client);
    expect(await auditCount("fund_order.closed", order.id)).toBe(1);
  });

  it("is closed by the sweep when the form never reached Alipay", async () => {
    const campaign = await unfundedCampaign("abandoned");
    // The browser never submitted the form (tab closed): Alipay has no such order.
    const { order } = await startOrder(client, campaign, 900);
    await db.fundOrder.update({
      where: { id: order.id },
      data: { payTimeoutAt: new Date(Date.now() - MINUTE) },
    });
    await resolveFundOrders(client);
    expect(await orderNow(order)).toMatchObject({ status: "CLOSED", failureCode: "ORDER_NOT_EXIST" });
    expect(await campaignNow(campaign)).toMatchObject({ status: "AWAITING_FUNDING", budgetFen: 0 });
    expect(await fundLedger(alipay, "FUNDING", order.outOrderNo)).toEqual([]);
  });
});
