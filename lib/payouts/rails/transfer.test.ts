import { describe, expect, it } from "vitest";
import type { Campaign } from "@/generated/prisma/client";
import type { AlipayResult, CallMeta } from "@/lib/alipay/result";
import type { TransferReceipt, TransferStatus } from "@/lib/alipay/transfer";
import { DomainError } from "@/lib/errors";
import type { RailPayout } from "./types";
import { queryOutcome, transferOutcome, transferRail } from "./transfer";

const AT = new Date("2026-11-21T08:00:00Z");

const PAYOUT: RailPayout = {
  id: "p1",
  outBizNo: "HB1",
  identityType: "USER_ID",
  identity: "2088100000000001",
  amountFen: 188,
  payeeName: null,
  fundOrderId: null,
};

function meta(overrides: Partial<CallMeta> = {}): CallMeta {
  return {
    method: "alipay.fund.trans.uni.transfer",
    at: AT,
    latencyMs: 42,
    traceId: "trace-1",
    code: "10000",
    subCode: null,
    subMsg: null,
    reply: { code: "10000", msg: "Success" },
    ...overrides,
  };
}

function rejected<T>(code: string, subCode: string, retryable = false): AlipayResult<T> {
  return {
    kind: "rejected",
    code,
    subCode,
    subMsg: `message for ${subCode}`,
    retryable,
    meta: meta({ code, subCode, subMsg: `message for ${subCode}` }),
  };
}

function found(overrides: Partial<TransferStatus>): AlipayResult<TransferStatus> {
  return {
    kind: "ok",
    meta: meta({ method: "alipay.fund.trans.common.query" }),
    data: {
      status: "SUCCESS",
      orderId: "order-1",
      amountFen: 188,
      paidAt: AT,
      failCode: null,
      failReason: null,
      ...overrides,
    },
  };
}

describe("transferOutcome", () => {
  it("SUCCESS → paid exactly the payout's amount, Alipay's order id as the reference", () => {
    const receipt: AlipayResult<TransferReceipt> = {
      kind: "ok",
      meta: meta(),
      data: { orderId: "order-1", payFundOrderId: "fund-1", paidAt: AT },
    };
    expect(transferOutcome(receipt, PAYOUT)).toEqual({
      kind: "paid",
      awardedFen: 188,
      repeat: false,
      reference: "order-1",
      attempt: {
        method: "alipay.fund.trans.uni.transfer",
        startedAt: AT,
        latencyMs: 42,
        code: "10000",
        subCode: null,
        subMsg: null,
        traceId: "trace-1",
        reason: null,
        rawReply: { code: "10000", msg: "Success" },
      },
    });
  });

  it("PAYMENT_INFO_INCONSISTENCY → attention (an alarm, never retried)", () => {
    expect(transferOutcome(rejected("40004", "PAYMENT_INFO_INCONSISTENCY"), PAYOUT)).toMatchObject({
      kind: "attention",
      code: "PAYMENT_INFO_INCONSISTENCY",
      message: "message for PAYMENT_INFO_INCONSISTENCY",
      attempt: { code: "40004", subCode: "PAYMENT_INFO_INCONSISTENCY" },
    });
  });

  it("the merchant balance short → refused, retryable by a person", () => {
    for (const subCode of ["PAYER_BALANCE_NOT_ENOUGH", "BALANCE_IS_NOT_ENOUGH"])
      expect(transferOutcome(rejected("40004", subCode), PAYOUT)).toMatchObject({
        kind: "refused",
        code: subCode,
        retryable: true,
      });
  });

  it("rate limited (40005, RESOURCE_LIMIT_EXCEED) → deferred", () => {
    expect(transferOutcome(rejected("40005", "isv.app-call-limited", true), PAYOUT)).toMatchObject({
      kind: "deferred",
    });
    expect(transferOutcome(rejected("40004", "RESOURCE_LIMIT_EXCEED"), PAYOUT)).toMatchObject({
      kind: "deferred",
    });
  });

  it("any other refusal is final; without a sub_code it is named by the code", () => {
    for (const subCode of ["PAYEE_NOT_EXIST", "EXCEED_LIMIT_DC_RECEIVED", "INVALID_PARAMETER"])
      expect(transferOutcome(rejected("40004", subCode), PAYOUT)).toMatchObject({
        kind: "refused",
        code: subCode,
        retryable: false,
      });
    const bare: AlipayResult<TransferReceipt> = {
      kind: "rejected",
      code: "40002",
      subCode: "",
      subMsg: "",
      retryable: false,
      meta: meta({ code: "40002" }),
    };
    expect(transferOutcome(bare, PAYOUT)).toMatchObject({
      kind: "refused",
      code: "40002",
      message: "40002",
      retryable: false,
    });
  });

  it("unknown (timeout, 20000, SYSTEM_ERROR, DEALING) → unknown with the reason", () => {
    expect(
      transferOutcome(
        { kind: "unknown", reason: "processing", detail: "transfer is DEALING", meta: meta() },
        PAYOUT,
      ),
    ).toMatchObject({
      kind: "unknown",
      reason: "processing",
      attempt: { reason: "processing: transfer is DEALING" },
    });
  });
});

describe("queryOutcome", () => {
  it("SUCCESS → paid (the earlier payment: repeat), its order id as the reference", () => {
    expect(queryOutcome(found({}), PAYOUT)).toMatchObject({
      kind: "paid",
      awardedFen: 188,
      repeat: true,
      reference: "order-1",
    });
  });

  it("SUCCESS at another amount → attention: the key paid something else", () => {
    expect(queryOutcome(found({ amountFen: 200 }), PAYOUT)).toMatchObject({
      kind: "attention",
      code: "PAYMENT_INFO_INCONSISTENCY",
    });
  });

  it("FAIL → refused with Alipay's error code; DEALING → unknown", () => {
    expect(
      queryOutcome(found({ status: "FAIL", failCode: "PAYEE_NOT_EXIST", failReason: "no" }), PAYOUT),
    ).toMatchObject({ kind: "refused", code: "PAYEE_NOT_EXIST", message: "no", retryable: false });
    expect(queryOutcome(found({ status: "FAIL" }), PAYOUT)).toMatchObject({ kind: "refused", code: "FAIL" });
    expect(queryOutcome(found({ status: "DEALING" }), PAYOUT)).toMatchObject({ kind: "unknown" });
  });

  it("ORDER_NOT_EXIST → resend the original request", () => {
    expect(queryOutcome(rejected("40004", "ORDER_NOT_EXIST"), PAYOUT)).toBe("resend");
  });

  it("a refused or lost query says nothing about the transfer → unknown; rate limited → deferred", () => {
    expect(queryOutcome(rejected("40004", "INVALID_PARAMETER"), PAYOUT)).toMatchObject({
      kind: "unknown",
      reason: "query refused: INVALID_PARAMETER",
    });
    expect(queryOutcome(rejected("40005", "isv.app-call-limited", true), PAYOUT)).toMatchObject({
      kind: "deferred",
    });
    expect(
      queryOutcome({ kind: "unknown", reason: "timeout", detail: "", meta: meta() }, PAYOUT),
    ).toMatchObject({ kind: "unknown", reason: "timeout" });
  });
});

describe("transferRail", () => {
  const campaign = (c: Partial<Campaign>) =>
    ({
      id: "c1",
      status: "ACTIVE",
      startsAt: null,
      endsAt: new Date(Date.now() + 60_000),
      maxPacketFen: 500,
      ...c,
    }) as Campaign;

  it("holds exactly the requested amount, or the campaign's maximum when none is named", () => {
    expect(transferRail.reservation(campaign({}), 188)).toEqual({ maxFen: 188, minFen: 188 });
    expect(transferRail.reservation(campaign({}), 500)).toEqual({ maxFen: 500, minFen: 500 });
    expect(transferRail.reservation(campaign({}), null)).toEqual({ maxFen: 500, minFen: 500 });
  });

  it("refuses an amount above maxPacketFen on the amountFen field", () => {
    let error: unknown;
    try {
      transferRail.reservation(campaign({}), 501);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("VALIDATION");
    expect(Object.keys((error as DomainError).fieldErrors ?? {})).toEqual(["amountFen"]);
    expect((error as DomainError).fieldErrors?.amountFen?.[0]).toMatchObject({
      key: "payouts.errors.amountAboveMax",
      params: { maximum: "¥5.00" },
    });
  });

  it("pays while ACTIVE and within [startsAt, endsAt)", () => {
    expect(transferRail.canPay(campaign({}))).toBe(true);
    expect(transferRail.canPay(campaign({ status: "PAUSED" }))).toBe(false);
    expect(transferRail.canPay(campaign({ startsAt: new Date(Date.now() + 60_000) }))).toBe(false);
    expect(transferRail.canPay(campaign({ startsAt: new Date(Date.now() - 60_000) }))).toBe(true);
    expect(transferRail.canPay(campaign({ endsAt: new Date(Date.now() - 1) }))).toBe(false);
  });

  it("needs the payee's name for a login id only", () => {
    expect(transferRail.payeeProblem?.("LOGIN_ID", null)).toBe("payouts.errors.payeeNameRequired");
    expect(transferRail.payeeProblem?.("LOGIN_ID", "张三")).toBeNull();
    expect(transferRail.payeeProblem?.("USER_ID", null)).toBeNull();
    expect(transferRail.payeeProblem?.("OPEN_ID", null)).toBeNull();
  });

  it("is metered at its own rate and takes the amount from the request", () => {
    expect(transferRail.callsPerSecond).toBeGreaterThan(0);
    expect(transferRail.amountFromRequest).toBe(true);
    expect(transferRail.funding).toBe("merchantBalance");
  });
});
