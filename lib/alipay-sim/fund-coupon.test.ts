import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { beijing, eventually, makeKeys, startReceiver, startTestBed, type TestBed } from "./test-helpers";

const AGREEMENT = "alipay.fund.coupon.order.agreement.pay";
const PAGE = "alipay.fund.coupon.order.page.pay";
const APP = "alipay.fund.coupon.order.app.pay";
const DISBURSE = "alipay.fund.coupon.order.disburse";
const REFUND = "alipay.fund.coupon.order.refund";
const QUERY = "alipay.fund.coupon.operation.query";
const PAYER = "2088101000000001";

let bed: TestBed;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let answers: string[] = [];

beforeAll(async () => {
  bed = await startTestBed(makeKeys());
  // Answers "success" unless a test queued other answers first.
  receiver = await startReceiver(() => answers.shift() ?? "success");
});
afterAll(async () => {
  await bed.sim.stop();
  await receiver.close();
});
beforeEach(() => {
  bed.sim.reset();
  receiver.received.length = 0;
  answers = [];
});

let seq = 0;
function ids() {
  seq += 1;
  return { outOrderNo: `fo_${seq}`, outRequestNo: `fr_${seq}` };
}

async function agreementPay(amount: string, extra: Record<string, unknown> = {}) {
  const keys = ids();
  const result = await bed.exec(
    AGREEMENT,
    { ...keys, orderTitle: "Red packet fund", amount, payerUserId: PAYER, ...extra },
    { notifyUrl: receiver.url },
  );
  return { ...keys, result };
}

async function balance(): Promise<number> {
  return (await bed.admin<{ fen: number }>("/__sim/balance")).data.fen;
}

function notificationsOfType(type: string) {
  return receiver.received.filter((r) => r.fields.notify_type === type);
}

describe("agreement pay", () => {
  it("debits the merchant balance, records FUNDING and sends a verifiable trade_status_sync notification", async () => {
    const before = await balance();
    const { outOrderNo, result } = await agreementPay("12.34");
    expect(result).toMatchObject({ code: "10000", status: "SUCCESS", amount: "12.34", outOrderNo });
    expect(result.authNo).toMatch(/^\d{28}$/);
    expect(result.operationId).toMatch(/^\d{20}$/);
    expect(result.gmtTrans).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await balance()).toBe(before - 1234);
    expect(bed.ledger()).toMatchObject([{ kind: "FUNDING", amountFen: 1234, key: outOrderNo, user: PAYER }]);

    const note = await eventually(() => notificationsOfType("trade_status_sync")[0], "pay notification");
    expect(note.fields).toMatchObject({
      auth_no: result.authNo,
      out_order_no: outOrderNo,
      operation_type: "PAY",
      amount: "12.34",
      status: "SUCCESS",
      sign_type: "RSA2",
      charset: "utf-8",
    });
    expect(bed.sdk.checkNotifySignV2(note.fields)).toBe(true);
    expect(bed.sdk.checkNotifySignV2({ ...note.fields, amount: "99.99" })).toBe(false);
  });

  it("is idempotent for an identical request and rejects the same out_order_no with other parameters", async () => {
    const { outOrderNo, outRequestNo, result } = await agreementPay("5.00");
    const again = await bed.exec(AGREEMENT, {
      outOrderNo,
      outRequestNo,
      orderTitle: "Red packet fund",
      amount: "5.00",
      payerUserId: PAYER,
    });
    expect(again).toMatchObject({
      status: "SUCCESS",
      authNo: result.authNo,
      operationId: result.operationId,
    });
    const changed = await bed.exec(AGREEMENT, {
      outOrderNo,
      outRequestNo,
      orderTitle: "Red packet fund",
      amount: "6.00",
      payerUserId: PAYER,
    });
    expect(changed).toMatchObject({ code: "40004", subCode: "PAYMENT_INFO_INCONSISTENCY" });
    expect(bed.ledger()).toHaveLength(1);
  });

  it("answers PAYER_BALANCE_NOT_ENOUGH when the merchant balance is short", async () => {
    await bed.admin("/__sim/balance", { fen: 499 });
    const { result } = await agreementPay("5.00");
    expect(result).toMatchObject({ code: "40004", subCode: "PAYER_BALANCE_NOT_ENOUGH" });
    expect(await balance()).toBe(499);
    expect(bed.ledger()).toHaveLength(0);
  });

  it("rejects extra_param passed as an object instead of a JSON string", async () => {
    const { result } = await agreementPay("1.00", { extraParam: { merchantExt: "orderExpiredTime=1m" } });
    expect(result).toMatchObject({ code: "40002", subCode: "isv.invalid-parameter" });
    expect(result.subMsg).toContain("extra_param");
  });
});

describe("disburse, refund and operation.query", () => {
  it("disburses up to what is left, idempotently, to existing payees only", async () => {
    const { outOrderNo: fundOrder, result: paid } = await agreementPay("3.00");
    const authNo = String(paid.authNo);
    const disburse = (
      outOrderNo: string,
      amount: string,
      payee: Record<string, string>,
      extra: Record<string, string> = {},
    ) =>
      bed.exec(DISBURSE, {
        outOrderNo,
        outRequestNo: `${outOrderNo}_r`,
        deductAuthNo: authNo,
        orderTitle: "Reward",
        amount,
        ...payee,
        ...extra,
      });

    const first = await disburse("d1", "1.00", { payeeUserId: "2088000000000101" });
    expect(first).toMatchObject({ code: "10000", status: "SUCCESS", amount: "1.00", outOrderNo: "d1" });
    const repeat = await disburse("d1", "1.00", { payeeUserId: "2088000000000101" });
    expect(repeat).toMatchObject({ authNo: first.authNo, operationId: first.operationId });
    expect((await disburse("d1", "1.50", { payeeUserId: "2088000000000101" })).subCode).toBe(
      "PAYMENT_INFO_INCONSISTENCY",
    );

    const byOutOrder = await bed.exec(DISBURSE, {
      outOrderNo: "d2",
      outRequestNo: "d2_r",
      deductOutOrderNo: fundOrder,
      orderTitle: "Reward",
      amount: "1.50",
      payeeLogonId: "user@example.com",
    });
    expect(byOutOrder.status).toBe("SUCCESS");
    expect(await disburse("d3", "0.51", { payeeUserId: "2088000000000102" })).toMatchObject({
      code: "40004",
      subCode: "REMAIN_AMOUNT_NOT_ENOUGH",
    });
    expect(await disburse("d4", "0.10", { payeeUserId: "2088999900000001" })).toMatchObject({
      subCode: "PAYEE_NOT_EXIST",
    });
    expect(await disburse("d5", "0.10", { payeeLogonId: "unknown@example.com" })).toMatchObject({
      subCode: "PAYEE_NOT_EXIST",
    });
    expect(
      await disburse("d6", "0.10", { payeeUserId: "2088000000000102" }, { deductAuthNo: "0000" }),
    ).toMatchObject({ subCode: "ORDER_NOT_EXIST" });

    const disbursed = bed.ledger().filter((entry) => entry.kind === "FUND_COUPON_DISBURSE");
    expect(disbursed.map((entry) => [entry.key, entry.user, entry.amountFen])).toEqual([
      ["d1/d1_r", "2088000000000101", 100],
      ["d2/d2_r", "user@example.com", 150],
    ]);
  });

  it("refunds with a fresh out_request_no each time, credits the merchant back and notifies the refund's notify_url", async () => {
    const { result: paid } = await agreementPay("4.00");
    const authNo = String(paid.authNo);
    const before = await balance();
    const refund = await bed.exec(
      REFUND,
      { authNo, outRequestNo: "rf1", amount: "1.00", remark: "unused" },
      { notifyUrl: receiver.url },
    );
    expect(refund).toMatchObject({
      code: "10000",
      status: "SUCCESS",
      amount: "1.00",
      authNo,
      outRequestNo: "rf1",
    });
    const repeat = await bed.exec(REFUND, { authNo, outRequestNo: "rf1", amount: "1.00", remark: "unused" });
    expect(repeat.operationId).toBe(refund.operationId);
    expect((await bed.exec(REFUND, { authNo, outRequestNo: "rf2", amount: "3.01" })).subCode).toBe(
      "REMAIN_AMOUNT_NOT_ENOUGH",
    );
    expect((await bed.exec(REFUND, { authNo, outRequestNo: "rf3", amount: "3.00" })).status).toBe("SUCCESS");
    expect(await balance()).toBe(before + 400);
    expect(
      bed
        .ledger()
        .filter((entry) => entry.kind === "REFUND")
        .map((entry) => entry.amountFen),
    ).toEqual([100, 300]);
    const note = await eventually(
      () => notificationsOfType("fund_stdtrustee_refund.success")[0],
      "refund notification",
    );
    expect(note.fields).toMatchObject({ operation_type: "REFUND", amount: "1.00", out_request_no: "rf1" });
    expect(bed.sdk.checkNotifySignV2(note.fields)).toBe(true);
  });

  it("finds operations by Alipay ids or merchant ids", async () => {
    const { outOrderNo, outRequestNo, result: paid } = await agreementPay("2.00");
    const authNo = String(paid.authNo);
    const byIds = await bed.exec(QUERY, { authNo, operationId: paid.operationId });
    expect(byIds).toMatchObject({
      code: "10000",
      operationType: "PAY",
      amount: "2.00",
      status: "SUCCESS",
      outOrderNo,
      outRequestNo,
      payerUserId: PAYER,
    });
    const byMerchant = await bed.exec(QUERY, { outOrderNo, outRequestNo });
    expect(byMerchant.operationId).toBe(paid.operationId);

    await bed.exec(DISBURSE, {
      outOrderNo: "q_d",
      outRequestNo: "q_dr",
      deductAuthNo: authNo,
      orderTitle: "Reward",
      amount: "0.50",
      payeeLogonId: "13800001234",
    });
    const disbursement = await bed.exec(QUERY, { outOrderNo: "q_d", outRequestNo: "q_dr" });
    expect(disbursement).toMatchObject({ operationType: "PAY", amount: "0.50", payeeLogonId: "138****1234" });
    await bed.exec(REFUND, { authNo, outRequestNo: "q_rf", amount: "0.25" });
    const refund = await bed.exec(QUERY, { authNo, outRequestNo: "q_rf" });
    expect(refund).toMatchObject({ operationType: "REFUND", amount: "0.25", totalPayRefundAmount: "0.25" });

    expect((await bed.exec(QUERY, { authNo, outRequestNo: "nope" })).subCode).toBe("ORDER_NOT_EXIST");
    expect((await bed.exec(QUERY, { authNo })).subCode).toBe("isv.invalid-parameter");
  });

  it("auto-refunds the undisbursed remainder at orderExpiredTime and notifies the pay call's notify_url", async () => {
    const before = await balance();
    const { result: paid } = await agreementPay("5.00", {
      extraParam: JSON.stringify({ merchantExt: "orderExpiredTime=1m" }),
    });
    const authNo = String(paid.authNo);
    await bed.exec(DISBURSE, {
      outOrderNo: "x_d",
      outRequestNo: "x_dr",
      deductAuthNo: authNo,
      orderTitle: "Reward",
      amount: "1.00",
      payeeUserId: "2088000000000103",
    });
    bed.sim.advanceTime(59_000);
    expect(bed.ledger().filter((entry) => entry.kind === "REFUND")).toHaveLength(0);
    bed.sim.advanceTime(1_000);
    expect(bed.ledger().filter((entry) => entry.kind === "REFUND")).toMatchObject([
      { amountFen: 400, method: "alipay.fund.coupon.order.expire" },
    ]);
    expect(await balance()).toBe(before - 100);
    const note = await eventually(
      () => notificationsOfType("fund_stdtrustee_refund.success")[0],
      "expiry notification",
    );
    expect(note.fields).toMatchObject({ auth_no: authNo, amount: "4.00", operation_type: "REFUND" });
    expect(bed.sdk.checkNotifySignV2(note.fields)).toBe(true);
    const late = await bed.exec(DISBURSE, {
      outOrderNo: "x_d2",
      outRequestNo: "x_dr2",
      deductAuthNo: authNo,
      orderTitle: "Reward",
      amount: "0.01",
      payeeUserId: "2088000000000103",
    });
    expect(late.subCode).toBe("ORDER_STATUS_INVALID");
  });
});

describe("page pay, app pay and notification delivery", () => {
  it("page.pay (GET link): verifies the signed link, shows a cashier, pays, notifies and returns with signed params", async () => {
    const link = bed.sdk.pageExec(PAGE, "GET", {
      bizContent: { outOrderNo: "pg1", outRequestNo: "pg1_r", orderTitle: "Campaign fund", amount: "12.34" },
      notifyUrl: receiver.url,
      returnUrl: "http://merchant.example/back?x=1",
      timestamp: beijing(),
    });
    const open = await fetch(link, { redirect: "manual" });
    expect(open.status).toBe(302);
    const cashierUrl = String(open.headers.get("location"));
    expect(cashierUrl).toMatch(/\/cashier\/fund-coupon\?authNo=\d+$/);
    const page = await (await fetch(cashierUrl)).text();
    expect(page).toContain('<button type="submit">确认付款 Pay ¥12.34</button>');
    expect(bed.ledger()).toHaveLength(0);

    const paid = await fetch(cashierUrl, { method: "POST", redirect: "manual" });
    expect(paid.status).toBe(302);
    const back = new URL(String(paid.headers.get("location")));
    expect(back.origin + back.pathname).toBe("http://merchant.example/back");
    const returned = Object.fromEntries(back.searchParams);
    expect(returned).toMatchObject({ x: "1", out_order_no: "pg1", status: "SUCCESS", amount: "12.34" });
    const { x: _merchantParam, ...signedReturn } = returned;
    expect(bed.sdk.checkNotifySignV2(signedReturn)).toBe(true);
    expect(bed.ledger()).toMatchObject([{ kind: "FUNDING", amountFen: 1234, method: PAGE }]);
    const note = await eventually(() => notificationsOfType("trade_status_sync")[0], "page pay notification");
    expect(note.fields.out_order_no).toBe("pg1");
    expect(bed.sdk.checkNotifySignV2(note.fields)).toBe(true);
  });

  it("page.pay (POST form) is accepted as the browser would submit it, and a tampered link is refused", async () => {
    const html = bed.sdk.pageExec(PAGE, "POST", {
      bizContent: { outOrderNo: "pg2", outRequestNo: "pg2_r", orderTitle: "Fund", amount: "1.00" },
      timestamp: beijing(),
    });
    const action = /action="([^"]+)"/.exec(html)?.[1] ?? "";
    const inputs = [...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map(
      (m) => [m[1] ?? "", (m[2] ?? "").replaceAll("&quot;", '"')] as [string, string],
    );
    const submitted = await fetch(action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(inputs).toString(),
      redirect: "manual",
    });
    expect(submitted.status).toBe(302);

    const link = bed.sdk.pageExec(PAGE, "GET", {
      bizContent: { outOrderNo: "pg3", outRequestNo: "pg3_r", orderTitle: "Fund", amount: "1.00" },
      timestamp: beijing(),
    });
    const tampered = await fetch(link.replace("1.00", "9.00"), { redirect: "manual" });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain("isv.invalid-signature");
  });

  it("app.pay order strings from sdkExec are paid by the simulated Alipay app", async () => {
    const orderString = bed.sdk.sdkExec(APP, {
      bizContent: { outOrderNo: "ap1", outRequestNo: "ap1_r", orderTitle: "App fund", amount: "2.50" },
      notifyUrl: receiver.url,
      timestamp: beijing(),
    });
    const response = await fetch(`${bed.sim.url}/__sim/client/app-pay`, {
      method: "POST",
      body: orderString,
    });
    const answer = (await response.json()) as { resultStatus: string; result: string };
    expect(answer.resultStatus).toBe("9000");
    const parsed = JSON.parse(answer.result) as {
      alipay_fund_coupon_order_app_pay_response: Record<string, string>;
      sign: string;
    };
    expect(parsed.alipay_fund_coupon_order_app_pay_response).toMatchObject({
      status: "SUCCESS",
      amount: "2.50",
      out_order_no: "ap1",
    });
    expect(() =>
      bed.sdk.checkResponseSign(answer.result, "alipay_fund_coupon_order_app_pay_response", parsed.sign, "t"),
    ).not.toThrow();
    expect(bed.ledger()).toMatchObject([{ kind: "FUNDING", amountFen: 250, method: APP }]);
    await eventually(() => notificationsOfType("trade_status_sync")[0], "app pay notification");

    const forged = await fetch(`${bed.sim.url}/__sim/client/app-pay`, {
      method: "POST",
      body: orderString.replace("2.50", "9.50"),
    });
    expect(((await forged.json()) as { resultStatus: string }).resultStatus).toBe("4000");
  });

  it("redelivers with the same notify_id until the answer is exactly `success`", async () => {
    answers = ["fail", "SUCCESS"];
    await agreementPay("1.00");
    const outbox = await eventually(async () => {
      const { data } =
        await bed.admin<Array<{ delivered: boolean; attempts: number }>>("/__sim/notifications");
      return data[0]?.delivered && data;
    }, "delivery");
    expect(outbox).toMatchObject([{ delivered: true, attempts: 3 }]);
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((d) => d.fields.notify_id)).size).toBe(1);
  });

  it("gives up after the configured attempts when the receiver never says `success`", async () => {
    answers = ["no", "no", "no", "no", "no"];
    await agreementPay("1.00");
    const outbox = await eventually(async () => {
      const { data } = await bed.admin<Array<{ gaveUp: boolean; attempts: number }>>("/__sim/notifications");
      return data[0]?.gaveUp && data;
    }, "giving up");
    // notifyRetryDelaysMs has three entries: one attempt plus three redeliveries.
    expect(outbox).toMatchObject([{ gaveUp: true, delivered: false, attempts: 4 }]);
    expect(receiver.received).toHaveLength(4);
  });
});
