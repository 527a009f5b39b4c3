import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APP_ID, eventually, makeKeys, startReceiver, startTestBed, type TestBed } from "./test-helpers";

const TRANSFER = "alipay.fund.trans.uni.transfer";
const QUERY = "alipay.fund.trans.common.query";
const DAY = 86_400_000;

let bed: TestBed;
let gateway: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  gateway = await startReceiver();
  bed = await startTestBed(makeKeys(), { appGatewayUrl: gateway.url });
});
afterAll(async () => {
  await bed.sim.stop();
  await gateway.close();
});
beforeEach(() => {
  bed.sim.reset();
  gateway.received.length = 0;
});

let seq = 0;
function redPacket(overrides: Record<string, unknown> = {}, payee: Record<string, unknown> = {}) {
  seq += 1;
  return {
    outBizNo: `rp_${seq}`,
    transAmount: "1.88",
    productCode: "STD_RED_PACKET",
    bizScene: "DIRECT_TRANSFER",
    businessParams: JSON.stringify({ sub_biz_scene: "REDPACKET" }),
    orderTitle: "Campaign reward",
    payeeInfo: { identity: "2088000000000201", identityType: "ALIPAY_USER_ID", ...payee },
    ...overrides,
  };
}

async function balance(): Promise<number> {
  return (await bed.admin<{ fen: number }>("/__sim/balance")).data.fen;
}

describe("uni.transfer", () => {
  it("pays a STD_RED_PACKET from the merchant balance and records it", async () => {
    const before = await balance();
    const request = redPacket();
    const result = await bed.exec(TRANSFER, request);
    expect(result).toMatchObject({ code: "10000", status: "SUCCESS", outBizNo: request.outBizNo });
    expect(result.orderId).toMatch(/^\d{32}$/);
    expect(result.payFundOrderId).toMatch(/^\d{32}$/);
    expect(result.transDate).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await balance()).toBe(before - 188);
    expect(bed.ledger()).toMatchObject([
      { kind: "TRANSFER", key: request.outBizNo, user: "2088000000000201", amountFen: 188, method: TRANSFER },
    ]);
  });

  it("is idempotent on out_biz_no: same parameters → same result, different → PAYMENT_INFO_INCONSISTENCY", async () => {
    const request = redPacket();
    const first = await bed.exec(TRANSFER, request);
    const again = await bed.exec(TRANSFER, request);
    expect(again).toMatchObject({
      status: "SUCCESS",
      orderId: first.orderId,
      payFundOrderId: first.payFundOrderId,
    });
    const changed = await bed.exec(TRANSFER, { ...request, transAmount: "1.89" });
    expect(changed).toMatchObject({ code: "40004", subCode: "PAYMENT_INFO_INCONSISTENCY" });
    expect(bed.ledger()).toHaveLength(1);
  });

  it("requires the red-packet scene and business_params as a JSON string", async () => {
    expect(await bed.exec(TRANSFER, redPacket({ businessParams: undefined }))).toMatchObject({
      code: "40004",
      subCode: "INVALID_PARAMETER",
    });
    expect(
      await bed.exec(TRANSFER, redPacket({ businessParams: { subBizScene: "REDPACKET" } })),
    ).toMatchObject({
      subCode: "INVALID_PARAMETER",
    });
    expect(
      await bed.exec(TRANSFER, redPacket({ businessParams: JSON.stringify({ sub_biz_scene: "OTHER" }) })),
    ).toMatchObject({
      subCode: "INVALID_PARAMETER",
    });
    expect(await bed.exec(TRANSFER, redPacket({ bizScene: "PERSONAL_COLLECTION" }))).toMatchObject({
      subCode: "INVALID_PARAMETER",
    });
    expect(await bed.exec(TRANSFER, redPacket({ productCode: "TRANS_BANKCARD_NO_PWD" }))).toMatchObject({
      subCode: "PRODUCT_NOT_SIGN",
    });
    const plain = await bed.exec(
      TRANSFER,
      redPacket({ productCode: "TRANS_ACCOUNT_NO_PWD", businessParams: undefined }),
    );
    expect(plain.status).toBe("SUCCESS");
    expect(bed.ledger()).toHaveLength(1);
  });

  it.each([
    ["STD_RED_PACKET", "0.01", null],
    ["STD_RED_PACKET", "0.00", "EXCEED_LIMIT_SM_MIN_AMOUNT"],
    ["STD_RED_PACKET", "100000000.00", null],
    ["STD_RED_PACKET", "100000000.01", "EXCEED_LIMIT_SM_AMOUNT"],
    ["TRANS_ACCOUNT_NO_PWD", "0.10", null],
    ["TRANS_ACCOUNT_NO_PWD", "0.09", "EXCEED_LIMIT_SM_MIN_AMOUNT"],
  ])("%s amount %s", async (productCode, transAmount, subCode) => {
    await bed.admin("/__sim/balance", { fen: 20_000_000_000 });
    const result = await bed.exec(TRANSFER, redPacket({ productCode, transAmount }));
    if (subCode === null) expect(result.status).toBe("SUCCESS");
    else expect(result).toMatchObject({ code: "40004", subCode });
  });

  it("answers PAYER_BALANCE_NOT_ENOUGH, and the same out_biz_no succeeds after a top-up", async () => {
    await bed.admin("/__sim/balance", { fen: 100 });
    const request = redPacket({ transAmount: "1.01" });
    expect(await bed.exec(TRANSFER, request)).toMatchObject({
      code: "40004",
      subCode: "PAYER_BALANCE_NOT_ENOUGH",
    });
    expect(bed.ledger()).toHaveLength(0);
    await bed.admin("/__sim/balance", { fen: 101 });
    expect((await bed.exec(TRANSFER, request)).status).toBe("SUCCESS");
    expect(await balance()).toBe(0);
  });

  it("applies the payee conventions", async () => {
    const send = (payee: Record<string, unknown>) => bed.exec(TRANSFER, redPacket({}, payee));
    expect(await send({ identity: "2088999912345678" })).toMatchObject({ subCode: "PAYEE_NOT_EXIST" });
    expect(await send({ identity: "2088123" })).toMatchObject({ subCode: "INVALID_PARAMETER" });
    expect(await send({ identity: "user@example.com", identityType: "ALIPAY_LOGON_ID" })).toMatchObject({
      subCode: "PAYEE_NOT_EXIST",
    });
    expect(
      await send({ identity: "unknown.user@example.com", identityType: "ALIPAY_LOGON_ID", name: "张三" }),
    ).toMatchObject({
      subCode: "PAYEE_NOT_EXIST",
    });
    expect(
      (await send({ identity: "user@example.com", identityType: "ALIPAY_LOGON_ID", name: "张三" })).status,
    ).toBe("SUCCESS");
    expect(
      (
        await send({
          identity: "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5",
          identityType: "ALIPAY_OPEN_ID",
        })
      ).status,
    ).toBe("SUCCESS");
    expect(bed.ledger().map((entry) => entry.user)).toEqual([
      "user@example.com",
      "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5",
    ]);
  });

  it("limits a payee to 10 successful transfers per Beijing day", async () => {
    const payee = { identity: "2088000000000299" };
    for (let i = 0; i < 10; i++)
      expect((await bed.exec(TRANSFER, redPacket({}, payee))).status).toBe("SUCCESS");
    expect(await bed.exec(TRANSFER, redPacket({}, payee))).toMatchObject({
      code: "40004",
      subCode: "EXCEED_LIMIT_DC_RECEIVED",
    });
    expect((await bed.exec(TRANSFER, redPacket({}, { identity: "2088000000000300" }))).status).toBe(
      "SUCCESS",
    );
    bed.sim.advanceTime(DAY);
    expect((await bed.exec(TRANSFER, redPacket({}, payee))).status).toBe("SUCCESS");
  });
});

describe("common.query and the order.changed message", () => {
  it("finds a transfer by out_biz_no (+ product_code and biz_scene), order_id or pay_fund_order_id", async () => {
    const request = redPacket({ passbackParams: "batch=7" });
    const paid = await bed.exec(TRANSFER, request);
    const expected = {
      code: "10000",
      status: "SUCCESS",
      orderId: paid.orderId,
      outBizNo: request.outBizNo,
      transAmount: "1.88",
      passbackParams: "batch=7",
    };
    expect(
      await bed.exec(QUERY, {
        outBizNo: request.outBizNo,
        productCode: "STD_RED_PACKET",
        bizScene: "DIRECT_TRANSFER",
      }),
    ).toMatchObject(expected);
    expect(await bed.exec(QUERY, { orderId: paid.orderId })).toMatchObject(expected);
    expect(await bed.exec(QUERY, { payFundOrderId: paid.payFundOrderId })).toMatchObject(expected);
    expect(
      await bed.exec(QUERY, {
        outBizNo: "never",
        productCode: "STD_RED_PACKET",
        bizScene: "DIRECT_TRANSFER",
      }),
    ).toMatchObject({
      code: "40004",
      subCode: "ORDER_NOT_EXIST",
    });
    expect(await bed.exec(QUERY, { outBizNo: request.outBizNo })).toMatchObject({
      subCode: "INVALID_PARAMETER",
    });
  });

  it("posts a signed alipay.fund.trans.order.changed message to the app gateway", async () => {
    const request = redPacket({ passbackParams: "p%20=1" });
    const paid = await bed.exec(TRANSFER, request);
    const message = await eventually(() => gateway.received[0], "order.changed message");
    expect(message.fields).toMatchObject({
      msg_method: "alipay.fund.trans.order.changed",
      app_id: APP_ID,
      version: "1.1",
      charset: "utf-8",
      sign_type: "RSA2",
    });
    expect(message.fields.notify_id).toMatch(/^[0-9a-f]{32}$/);
    expect(message.fields.utc_timestamp).toMatch(/^\d{13}$/);
    expect(bed.sdk.checkNotifySignV2(message.fields)).toBe(true);
    expect(
      bed.sdk.checkNotifySignV2({
        ...message.fields,
        biz_content: message.fields.biz_content?.replace("1.88", "9.88"),
      }),
    ).toBe(false);
    expect(JSON.parse(message.fields.biz_content ?? "{}")).toMatchObject({
      out_biz_no: request.outBizNo,
      order_id: paid.orderId,
      pay_fund_order_id: paid.payFundOrderId,
      product_code: "STD_RED_PACKET",
      biz_scene: "DIRECT_TRANSFER",
      origin_interface: TRANSFER,
      status: "SUCCESS",
      action_type: "FINISH",
      trans_amount: "1.88",
      passback_params: "p%20=1",
    });
    // A repeat pays nothing and announces nothing new.
    await bed.exec(TRANSFER, request);
    await eventually(async () => {
      const { data } = await bed.admin<Array<{ delivered: boolean }>>("/__sim/notifications");
      return data.every((entry) => entry.delivered) && data;
    }, "delivery");
    expect(gateway.received).toHaveLength(1);
  });
});
