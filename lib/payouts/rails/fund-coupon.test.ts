import { describe, expect, it } from "vitest";
import type { Campaign } from "@/generated/prisma/client";
import type { FundOperation } from "@/lib/alipay/fund-coupon";
import type { AlipayResult, CallMeta } from "@/lib/alipay/result";
import { disburseOutcome, disburseRequestNo, fundCouponRail, queryOutcome } from "./fund-coupon";

const AT = new Date("2026-12-02T08:00:00Z");
const PAYOUT = { amountFen: 300 };

function meta(overrides: Partial<CallMeta> = {}): CallMeta {
  return {
    method: "alipay.fund.coupon.order.disburse",
    at: AT,
    latencyMs: 12,
    traceId: "trace-1",
    code: "10000",
    subCode: null,
    subMsg: null,
    reply: { code: "10000", msg: "Success" },
    ...overrides,
  };
}

function ok(amountFen: number | null = 300): AlipayResult<FundOperation> {
  return {
    kind: "ok",
    data: {
      authNo: "2026A",
      operationId: "OP1",
      outOrderNo: "HB1",
      outRequestNo: "D1",
      amountFen,
      at: AT,
      type: "PAY",
    },
    meta: meta(),
  };
}

function rejected(subCode: string, retryable = false, code = "40004"): AlipayResult<FundOperation> {
  return {
    kind: "rejected",
    code,
    subCode,
    subMsg: `msg ${subCode}`,
    retryable,
    meta: meta({ code, subCode }),
  };
}

const unknown: AlipayResult<FundOperation> = {
  kind: "unknown",
  reason: "timeout",
  detail: "",
  meta: meta({ code: null }),
};

describe("disburseOutcome", () => {
  it("ok → paid with Alipay's amount and operation id", () => {
    expect(disburseOutcome(ok(), PAYOUT)).toMatchObject({
      kind: "paid",
      awardedFen: 300,
      repeat: false,
      reference: "OP1",
      attempt: { startedAt: AT, traceId: "trace-1", code: "10000" },
    });
    expect(disburseOutcome(ok(null), PAYOUT)).toMatchObject({ kind: "paid", awardedFen: 300 });
  });

  it("rate limited (not processed) → deferred", () => {
    expect(disburseOutcome(rejected("isv.app-call-limited", true, "40005"), PAYOUT)).toMatchObject({
      kind: "deferred",
    });
  });

  it("order short or expired → refused, retryable (a retry takes another order)", () => {
    for (const subCode of ["REMAIN_AMOUNT_NOT_ENOUGH", "ORDER_STATUS_INVALID"])
      expect(disburseOutcome(rejected(subCode), PAYOUT)).toMatchObject({
        kind: "refused",
        code: subCode,
        retryable: true,
      });
  });

  it("payee missing or CLOSED → refused for good", () => {
    expect(disburseOutcome(rejected("PAYEE_NOT_EXIST"), PAYOUT)).toMatchObject({
      kind: "refused",
      retryable: false,
    });
    expect(disburseOutcome(rejected("CLOSED", false, "10000"), PAYOUT)).toMatchObject({
      kind: "refused",
      code: "CLOSED",
      retryable: false,
    });
  });

  it("same key, other parameters → attention", () => {
    expect(disburseOutcome(rejected("PAYMENT_INFO_INCONSISTENCY"), PAYOUT)).toMatchObject({
      kind: "attention",
      code: "PAYMENT_INFO_INCONSISTENCY",
    });
  });

  it("unknown → unknown, never refused", () => {
    expect(disburseOutcome(unknown, PAYOUT)).toMatchObject({ kind: "unknown", reason: "timeout" });
  });
});

describe("queryOutcome", () => {
  it("SUCCESS → paid as a repeat of the earlier disbursement", () => {
    expect(queryOutcome(ok(), PAYOUT)).toMatchObject({ kind: "paid", repeat: true, awardedFen: 300 });
  });
  it("never seen → resend the identical request", () => {
    expect(queryOutcome(rejected("ORDER_NOT_EXIST"), PAYOUT)).toBe("resend");
  });
  it("CLOSED → refused", () => {
    expect(queryOutcome(rejected("CLOSED", false, "10000"), PAYOUT)).toMatchObject({
      kind: "refused",
      code: "CLOSED",
    });
  });
  it("a query that failed or INIT says nothing about the payment → unknown", () => {
    expect(queryOutcome(unknown, PAYOUT)).toMatchObject({ kind: "unknown" });
    expect(queryOutcome(rejected("isv.invalid-parameter", false, "40002"), PAYOUT)).toMatchObject({
      kind: "unknown",
    });
    expect(queryOutcome(rejected("isv.app-call-limited", true, "40005"), PAYOUT)).toMatchObject({
      kind: "deferred",
    });
  });
});

describe("fundCouponRail", () => {
  const campaign = { id: "c1", maxPacketFen: 500 } as Campaign;

  it("a request names its amount up to maxPacketFen; none means the maximum", () => {
    expect(fundCouponRail.reservation(campaign, 120)).toEqual({ maxFen: 120, minFen: 120 });
    expect(fundCouponRail.reservation(campaign, null)).toEqual({ maxFen: 500, minFen: 500 });
    expect(() => fundCouponRail.reservation(campaign, 501)).toThrow(/VALIDATION/);
  });

  it("the request number is derived from the payout: the same on every retry", () => {
    expect(disburseRequestNo({ id: "pabc123" })).toBe("Dpabc123");
    expect(disburseRequestNo({ id: "pabc123" })).toMatch(/^[A-Za-z0-9_]{1,64}$/);
  });

  it("open ids are refused at request time", () => {
    expect(fundCouponRail.payeeProblem?.("OPEN_ID", null)).toBe("payouts.errors.identityTypeNotOnRail");
    expect(fundCouponRail.payeeProblem?.("USER_ID", null)).toBeNull();
  });
});
