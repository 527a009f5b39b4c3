import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { beijing, makeKeys, startTestBed, sumFen, type SdkResult, type TestBed } from "./test-helpers";

const CREATE = "alipay.marketing.campaign.cash.create";
const TRIGGER = "alipay.marketing.campaign.cash.trigger";
const MODIFY = "alipay.marketing.campaign.cash.status.modify";
const DETAIL = "alipay.marketing.campaign.cash.detail.query";
const LIST = "alipay.marketing.campaign.cash.list.query";
const DAY = 86_400_000;

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed(makeKeys());
});
afterAll(() => bed.sim.stop());
beforeEach(() => bed.sim.reset());

/** Times are computed from the simulator's clock so they stay valid after advanceTime. */
async function simNow(): Promise<number> {
  const { data } = await bed.admin<{ now: string }>("/__sim/health");
  return Date.parse(data.now);
}

async function create(overrides: Record<string, unknown> = {}): Promise<SdkResult> {
  const now = await simNow();
  return bed.exec(CREATE, {
    couponName: "Spring packet",
    prizeType: "fixed",
    totalMoney: "10.00",
    totalNum: "10",
    prizeMsg: "Thanks for joining",
    startTime: "NowTime",
    endTime: beijing(now + 10 * DAY),
    ...overrides,
  });
}

async function createPaid(overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await create(overrides);
  expect(created.code).toBe("10000");
  const crowdNo = String(created.crowdNo);
  const paid = await bed.admin<{ status: string }>(`/__sim/campaigns/${crowdNo}/pay`, {});
  expect(paid.status).toBe(200);
  return crowdNo;
}

let userSeq = 0;
function newUser(): string {
  userSeq += 1;
  return `2088${String(100000000000 + userSeq)}`;
}

function trigger(crowdNo: string, fields: Record<string, unknown>) {
  return bed.exec(TRIGGER, { crowdNo, ...fields });
}

describe("cash.create validation", () => {
  it.each([
    ["total 1.00 (lowest)", { totalMoney: "1.00", totalNum: "1" }, null],
    ["total 0.99", { totalMoney: "0.99", totalNum: "1" }, "isv.CASH_AMOUNT_OUT_OF_RANGE"],
    ["total 10,000,000.00 (highest)", { totalMoney: "10000000.00", totalNum: "50000" }, null],
    ["total 10,000,000.01", { totalMoney: "10000000.01", totalNum: "50000" }, "isv.CASH_AMOUNT_OUT_OF_RANGE"],
    ["packet 0.20 (lowest)", { totalMoney: "2.00", totalNum: "10" }, null],
    ["packet below 0.20", { totalMoney: "1.99", totalNum: "10" }, "isv.CASH_AMOUNT_OUT_OF_RANGE"],
    ["packet 200.00 (highest)", { totalMoney: "200.00", totalNum: "1" }, null],
    ["packet above 200.00", { totalMoney: "200.01", totalNum: "1" }, "isv.CASH_AMOUNT_OUT_OF_RANGE"],
    [
      "random average above 200.00",
      { prizeType: "random", totalMoney: "400.02", totalNum: "2" },
      "isv.CASH_AMOUNT_OUT_OF_RANGE",
    ],
    ["count 10,000,000 (highest)", { totalMoney: "2000000.00", totalNum: "10000000" }, null],
    ["count 10,000,001", { totalMoney: "10000000.00", totalNum: "10000001" }, "isv.CASH_NUM_OUT_OF_RANGE"],
    ["prize_type with a space", { prizeType: "fixed " }, "isv.CASH_PRIZE_TYPE_ERROR"],
    ["prize_type random", { prizeType: "random" }, null],
    ["send_freqency D3|L10", { sendFreqency: "D3|L10" }, null],
    ["send_freqency L100", { sendFreqency: "L100" }, null],
    ["send_freqency W2|L5", { sendFreqency: "W2|L5" }, null],
    ["send_freqency L101", { sendFreqency: "L101" }, "isv.CASH_SEND_FREQUENCY_ERROR"],
    ["send_freqency without L", { sendFreqency: "D3" }, "isv.CASH_SEND_FREQUENCY_ERROR"],
    ["send_freqency D above L", { sendFreqency: "D11|L10" }, "isv.CASH_SEND_FREQUENCY_ERROR"],
    ["send_freqency with two periods", { sendFreqency: "D1|W1|L5" }, "isv.CASH_SEND_FREQUENCY_ERROR"],
    ["send_freqency L0", { sendFreqency: "L0" }, "isv.CASH_SEND_FREQUENCY_ERROR"],
    ["send_freqency lower case", { sendFreqency: "l5" }, "isv.CASH_SEND_FREQUENCY_ERROR"],
    ["send_freqency empty", { sendFreqency: "" }, "isv.CASH_SEND_FREQUENCY_ERROR"],
  ])("%s", async (_label, overrides, subCode) => {
    const result = await create(overrides);
    if (subCode === null) expect(result.code).toBe("10000");
    else expect(result).toMatchObject({ code: "40004", msg: "Business Failed", subCode });
  });

  it("checks the campaign times", async () => {
    const now = await simNow();
    const at = (ms: number) => beijing(ms);
    const failed = { code: "40004", subCode: "isv.CASH_TIME_CHECK_FAILED" };
    expect(await create({ startTime: at(now - 60_000) })).toMatchObject(failed);
    expect(await create({ startTime: at(now + DAY), endTime: at(now + DAY) })).toMatchObject(failed);
    expect(await create({ startTime: "2026/01/01 00:00:00" })).toMatchObject(failed);
    expect(await create({ endTime: "tomorrow" })).toMatchObject(failed);
    // Six calendar months is the longest campaign: build both edges from the Beijing calendar.
    const start = now + DAY;
    const [date, time] = at(start).split(" ") as [string, string];
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    const target = new Date(Date.UTC(y, m - 1 + 6, 1));
    const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    const sixMonths = `${target.getUTCFullYear()}-${String(target.getUTCMonth() + 1).padStart(2, "0")}-${String(Math.min(d, lastDay)).padStart(2, "0")} ${time}`;
    expect((await create({ startTime: at(start), endTime: sixMonths })).code).toBe("10000");
    const beyond = Date.parse(`${sixMonths.replace(" ", "T")}+08:00`) + 1000;
    expect(await create({ startTime: at(start), endTime: at(beyond) })).toMatchObject(failed);
  });

  it("names a missing required field", async () => {
    const result = await create({ couponName: undefined });
    expect(result).toMatchObject({ code: "40002", subCode: "isv.invalid-parameter" });
    expect(result.subMsg).toContain("coupon_name");
  });

  it("returns an opaque crowd_no, a 32-digit origin_crowd_no and a fully URL-encoded pay_url", async () => {
    const result = await create();
    const crowdNo = String(result.crowdNo);
    expect(crowdNo).toHaveLength(64);
    expect(result.originCrowdNo).toMatch(/^\d{32}$/);
    const payUrl = String(result.payUrl);
    expect(payUrl).not.toMatch(/[.\-_:/?=]/);
    expect(decodeURIComponent(payUrl)).toBe(`${bed.sim.url}/cashier/campaign?crowdNo=${crowdNo}`);
  });
});

describe("cash.trigger", () => {
  it("refuses an unpaid or unknown campaign with 现金活动不存在", async () => {
    const created = await create();
    const unpaid = await trigger(String(created.crowdNo), { userId: newUser(), outBizNo: "o1" });
    expect(unpaid).toMatchObject({
      code: "40004",
      subCode: "isv.CASH_CAMPAIGN_NOT_EXIST",
      subMsg: "现金活动不存在",
    });
    const unknown = await trigger("no-such-campaign", { userId: newUser(), outBizNo: "o1" });
    expect(unknown.subCode).toBe("isv.CASH_CAMPAIGN_NOT_EXIST");
  });

  it("pays fixed packets whose last one takes the remainder, then reports the budget exhausted", async () => {
    const crowdNo = await createPaid({ totalMoney: "1.00", totalNum: "3", prizeMsg: "Hi" });
    const amounts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await trigger(crowdNo, { userId: newUser(), outBizNo: `fixed_${i}` });
      expect(result).toMatchObject({
        code: "10000",
        triggerResult: "true",
        repeatTriggerFlag: "false",
        couponName: "Spring packet",
        prizeMsg: "Hi",
        outBizNo: `fixed_${i}`,
      });
      expect(result.partnerId).toMatch(/^2088\d{12}$/);
      expect(result.bizNo).toMatch(/^\d+$/);
      expect(String(result.merchantLogo)).toMatch(/^http:\/\//);
      amounts.push(String(result.prizeAmount));
    }
    expect(amounts).toEqual(["0.33", "0.33", "0.34"]);
    const exhausted = await trigger(crowdNo, { userId: newUser(), outBizNo: "fixed_3" });
    expect(exhausted).toMatchObject({ code: "40004", subCode: "CASH_CAMP_BUDGET_INSUFFICIENT" });
    const triggers = bed.ledger().filter((entry) => entry.kind === "CAMPAIGN_TRIGGER");
    expect(sumFen(triggers)).toBe(100);
    expect(triggers.map((entry) => entry.key)).toEqual([0, 1, 2].map((i) => `${crowdNo}/fixed_${i}`));
    const detail = await bed.exec(DETAIL, { crowdNo });
    expect(detail).toMatchObject({
      sendAmount: "1.00",
      totalAmount: "1.00",
      totalCount: 3,
      totalNum: 3,
      campStatus: "READY",
    });
  });

  it("pays random packets of at least 1 fen that add up exactly to the budget", async () => {
    const crowdNo = await createPaid({ prizeType: "random", totalMoney: "10.00", totalNum: "7" });
    const fen: number[] = [];
    for (let i = 0; i < 7; i++) {
      const result = await trigger(crowdNo, { userId: newUser(), outBizNo: `rnd_${i}` });
      expect(result.triggerResult).toBe("true");
      expect(String(result.prizeAmount)).toMatch(/^\d+\.\d{2}$/);
      fen.push(Math.round(Number(String(result.prizeAmount).replace(".", ""))));
    }
    expect(fen.every((amount) => amount >= 1)).toBe(true);
    expect(fen.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(new Set(fen).size).toBeGreaterThan(1);
    const more = await trigger(crowdNo, { userId: newUser(), outBizNo: "rnd_7" });
    expect(more.subCode).toBe("CASH_CAMP_BUDGET_INSUFFICIENT");
  });

  it("returns the earlier result with repeat_trigger_flag for a repeated out_biz_no and pays nothing", async () => {
    const crowdNo = await createPaid();
    const user = newUser();
    const first = await trigger(crowdNo, { userId: user, outBizNo: "same" });
    const again = await trigger(crowdNo, { userId: user, outBizNo: "same" });
    expect(again).toMatchObject({
      triggerResult: "true",
      repeatTriggerFlag: "true",
      prizeAmount: first.prizeAmount,
      bizNo: first.bizNo,
    });
    expect(bed.ledger().filter((entry) => entry.kind === "CAMPAIGN_TRIGGER")).toHaveLength(1);
  });

  it("uses default_out_biz_no when none is sent, so a second call for the same user is a repeat", async () => {
    const crowdNo = await createPaid({ sendFreqency: "L5" });
    const user = newUser();
    const first = await trigger(crowdNo, { userId: user });
    expect(first).toMatchObject({
      triggerResult: "true",
      outBizNo: "default_out_biz_no",
      repeatTriggerFlag: "false",
    });
    const second = await trigger(crowdNo, { userId: user });
    expect(second).toMatchObject({ repeatTriggerFlag: "true", prizeAmount: first.prizeAmount });
    const otherUser = await trigger(crowdNo, { userId: newUser() });
    expect(otherUser).toMatchObject({ triggerResult: "true", repeatTriggerFlag: "false" });
    expect(bed.ledger().filter((entry) => entry.kind === "CAMPAIGN_TRIGGER")).toHaveLength(2);
  });

  it("enforces the default L1 limit with trigger_result false", async () => {
    const crowdNo = await createPaid();
    const user = newUser();
    expect((await trigger(crowdNo, { userId: user, outBizNo: "a" })).triggerResult).toBe("true");
    const second = await trigger(crowdNo, { userId: user, outBizNo: "b" });
    expect(second).toMatchObject({ code: "10000", triggerResult: "false", repeatTriggerFlag: "false" });
    expect(String(second.errorMsg)).toContain("次数");
    expect(second.prizeAmount).toBeUndefined();
  });

  it("enforces a daily limit within a lifetime limit (D1|L2) on the simulator's Beijing calendar", async () => {
    const crowdNo = await createPaid({ sendFreqency: "D1|L2" });
    const user = newUser();
    expect((await trigger(crowdNo, { userId: user, outBizNo: "d1" })).triggerResult).toBe("true");
    expect((await trigger(crowdNo, { userId: user, outBizNo: "d1b" })).triggerResult).toBe("false");
    bed.sim.advanceTime(DAY);
    expect((await trigger(crowdNo, { userId: user, outBizNo: "d2" })).triggerResult).toBe("true");
    bed.sim.advanceTime(DAY);
    const third = await trigger(crowdNo, { userId: user, outBizNo: "d3" });
    expect(third.triggerResult).toBe("false");
  });

  it("accepts login_id and open_id payees, and treats 20889999… and *unknown* users as non-existent", async () => {
    const crowdNo = await createPaid();
    expect((await trigger(crowdNo, { loginId: "13800000000", outBizNo: "l1" })).triggerResult).toBe("true");
    expect(
      (await trigger(crowdNo, { openId: "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5", outBizNo: "p1" }))
        .triggerResult,
    ).toBe("true");
    const ghost = await trigger(crowdNo, { userId: "2088999900000001", outBizNo: "g1" });
    expect(ghost).toMatchObject({ triggerResult: "false", errorMsg: "用户不存在" });
    expect((await trigger(crowdNo, { loginId: "unknown@example.com", outBizNo: "g2" })).triggerResult).toBe(
      "false",
    );
    const nobody = await trigger(crowdNo, { outBizNo: "n1" });
    expect(nobody).toMatchObject({ code: "40002", subCode: "isv.invalid-parameter" });
    expect(
      bed
        .ledger()
        .map((entry) => entry.user)
        .slice(-2),
    ).toEqual(["13800000000", "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5"]);
  });

  it("pays order_price in fen, refuses more than the remaining budget, and rejects a malformed price", async () => {
    const crowdNo = await createPaid({ totalMoney: "2.00", totalNum: "5", sendFreqency: "L10" });
    const user = newUser();
    expect(await trigger(crowdNo, { userId: user, outBizNo: "p1", orderPrice: "150" })).toMatchObject({
      prizeAmount: "1.50",
    });
    expect(await trigger(crowdNo, { userId: user, outBizNo: "p2", orderPrice: "51" })).toMatchObject({
      code: "40004",
      subCode: "CASH_CAMP_BUDGET_INSUFFICIENT",
    });
    expect(await trigger(crowdNo, { userId: user, outBizNo: "p3", orderPrice: "1.5" })).toMatchObject({
      code: "40004",
      subCode: "isv.CASH_ORDER_PRICE_ILLEGAL",
    });
  });

  it("reports count exhaustion separately when budget is left", async () => {
    const crowdNo = await createPaid({ totalMoney: "10.00", totalNum: "2", sendFreqency: "L10" });
    const user = newUser();
    await trigger(crowdNo, { userId: user, outBizNo: "c1", orderPrice: "100" });
    await trigger(crowdNo, { userId: user, outBizNo: "c2", orderPrice: "100" });
    const third = await trigger(crowdNo, { userId: user, outBizNo: "c3", orderPrice: "100" });
    expect(third).toMatchObject({ code: "40004", subCode: "CASH_CAMP_COUNT_INSUFFICIENT" });
  });
});

describe("status, detail and list", () => {
  it("pauses and resumes, and refuses other transitions", async () => {
    const crowdNo = await createPaid({ sendFreqency: "L5" });
    const user = newUser();
    expect((await bed.exec(MODIFY, { crowdNo, campStatus: "PAUSE" })).code).toBe("10000");
    expect((await bed.exec(DETAIL, { crowdNo })).campStatus).toBe("PAUSE");
    const paused = await trigger(crowdNo, { userId: user, outBizNo: "x1" });
    expect(paused).toMatchObject({ code: "10000", triggerResult: "false", errorMsg: "现金活动已暂停" });
    expect((await bed.exec(MODIFY, { crowdNo, campStatus: "READY" })).code).toBe("10000");
    expect((await trigger(crowdNo, { userId: user, outBizNo: "x1" })).triggerResult).toBe("true");
    expect(await bed.exec(MODIFY, { crowdNo, campStatus: "CLOSED" })).toMatchObject({
      code: "40004",
      subCode: "isv.CASH_CURRENT_STATE_CANNOT_MODIFY",
      subMsg: "现金红包当前状态不允许修改",
    });
    const unpaid = String((await create()).crowdNo);
    expect((await bed.exec(MODIFY, { crowdNo: unpaid, campStatus: "READY" })).subCode).toBe(
      "isv.CASH_CURRENT_STATE_CANNOT_MODIFY",
    );
  });

  it("lists with a status filter and pages", async () => {
    const ready = [await createPaid(), await createPaid()];
    const created = String((await create()).crowdNo);
    const all = await bed.exec(LIST, { campStatus: "ALL", pageSize: "50", pageIndex: "1" });
    expect(all).toMatchObject({ totalSize: "3", pageIndex: "1", pageSize: "50" });
    const onlyReady = await bed.exec(LIST, { campStatus: "READY", pageSize: "1", pageIndex: "2" });
    expect(onlyReady.totalSize).toBe("2");
    const list = onlyReady.campList as Array<Record<string, string>>;
    expect(list).toHaveLength(1);
    expect(ready).toContain(list[0]?.crowdNo);
    expect(list[0]).toMatchObject({ campStatus: "READY", couponName: "Spring packet" });
    expect(list[0]?.originCrowdNo).toMatch(/^\d{32}$/);
    const onlyCreated = await bed.exec(LIST, { campStatus: "CREATED", pageSize: "10", pageIndex: "1" });
    expect((onlyCreated.campList as Array<Record<string, string>>).map((c) => c.crowdNo)).toEqual([created]);
    expect(await bed.exec(LIST, { pageSize: "51", pageIndex: "1" })).toMatchObject({
      code: "40002",
      subCode: "isv.invalid-parameter",
    });
    expect(await bed.exec(LIST, { pageSize: "10", pageIndex: "0" })).toMatchObject({
      subCode: "isv.invalid-parameter",
    });
  });

  it("runs PAID → READY → CLOSED → SETTLE on the simulator's clock and returns the leftover", async () => {
    const now = await simNow();
    const crowdNo = await createPaid({
      startTime: beijing(now + 3_600_000),
      endTime: beijing(now + 2 * DAY),
    });
    expect((await bed.exec(DETAIL, { crowdNo })).campStatus).toBe("PAID");
    expect(await trigger(crowdNo, { userId: newUser(), outBizNo: "early" })).toMatchObject({
      triggerResult: "false",
      errorMsg: "现金活动未开始",
    });

    bed.sim.advanceTime(3_600_000);
    expect((await bed.exec(DETAIL, { crowdNo })).campStatus).toBe("READY");
    expect((await trigger(crowdNo, { userId: newUser(), outBizNo: "ok" })).prizeAmount).toBe("1.00");

    bed.sim.advanceTime(2 * DAY - 3_600_000);
    expect((await bed.exec(DETAIL, { crowdNo })).campStatus).toBe("CLOSED");
    expect(await trigger(crowdNo, { userId: newUser(), outBizNo: "late" })).toMatchObject({
      triggerResult: "false",
      errorMsg: "现金活动已结束",
    });
    expect(bed.ledger().filter((entry) => entry.kind === "REFUND")).toHaveLength(0);

    bed.sim.advanceTime(30 * 60_000);
    const detail = await bed.exec(DETAIL, { crowdNo });
    expect(detail).toMatchObject({ campStatus: "SETTLED", sendAmount: "1.00", totalAmount: "10.00" });
    const listed = await bed.exec(LIST, { campStatus: "SETTLE", pageSize: "10", pageIndex: "1" });
    expect((listed.campList as Array<Record<string, string>>)[0]).toMatchObject({
      crowdNo,
      campStatus: "SETTLE",
    });
    const refunds = bed.ledger().filter((entry) => entry.kind === "REFUND");
    expect(refunds).toMatchObject([{ key: `${crowdNo}/settle`, amountFen: 900 }]);
    const funding = bed.ledger().filter((entry) => entry.kind === "FUNDING");
    expect(sumFen(funding)).toBe(
      sumFen(bed.ledger().filter((e) => e.kind === "CAMPAIGN_TRIGGER")) + sumFen(refunds),
    );
  });

  it("reports an Alipay-side send_amount set through the admin endpoint (drift)", async () => {
    const crowdNo = await createPaid();
    await trigger(crowdNo, { userId: newUser(), outBizNo: "d1" });
    const state = await bed.admin<{ sendAmountFen: number }>(`/__sim/campaigns/${crowdNo}`);
    expect(state.data.sendAmountFen).toBe(100);
    expect((await bed.admin(`/__sim/campaigns/${crowdNo}/send-amount`, { sendAmountFen: 950 })).status).toBe(
      200,
    );
    expect((await bed.exec(DETAIL, { crowdNo })).sendAmount).toBe("9.50");
    // The remaining budget follows Alipay's figure: 0.50 left, less than a 1.00 packet.
    expect((await trigger(crowdNo, { userId: newUser(), outBizNo: "d2" })).subCode).toBe(
      "CASH_CAMP_BUDGET_INSUFFICIENT",
    );
  });
});
