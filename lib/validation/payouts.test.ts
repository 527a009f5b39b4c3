import { describe, expect, it } from "vitest";
import { payoutDecisionSchema, payoutRequestSchema } from "./payouts";

const base = {
  campaignId: "c1",
  identityType: "USER_ID",
  identity: "2088123456789012",
  scene: "POINTS_REDEMPTION",
};

/** The issues of a failed parse as `path: message`. */
function problems(
  schema: typeof payoutRequestSchema | typeof payoutDecisionSchema,
  input: unknown,
): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("payoutRequestSchema: recipients", () => {
  it.each([
    ["USER_ID", "2088123456789012"],
    ["USER_ID", " 2088000000000001 "],
    ["OPEN_ID", "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5"],
    ["OPEN_ID", "abcd-efgh_ijkl-mn"],
    ["LOGIN_ID", "13812345678"],
    ["LOGIN_ID", "alice@example.com"],
  ])("accepts %s %s", (identityType, identity) => {
    const parsed = payoutRequestSchema.parse({ ...base, identityType, identity });
    expect(parsed.identity).toBe(identity.trim());
  });

  it.each([
    ["USER_ID", "2088123", "payouts.validation.userId"],
    ["USER_ID", "2089123456789012", "payouts.validation.userId"],
    ["USER_ID", "20881234567890123", "payouts.validation.userId"],
    ["USER_ID", "13812345678", "payouts.validation.userId"],
    ["OPEN_ID", "short", "payouts.validation.openId"],
    ["OPEN_ID", "has spaces in it here", "payouts.validation.openId"],
    ["OPEN_ID", "a".repeat(129), "validation.tooLong"],
    ["LOGIN_ID", "1381234567", "payouts.validation.loginId"],
    ["LOGIN_ID", "23812345678", "payouts.validation.loginId"],
    ["LOGIN_ID", "alice@example", "payouts.validation.loginId"],
    ["LOGIN_ID", "alice", "payouts.validation.loginId"],
  ])("refuses %s %s on the identity field", (identityType, identity, message) => {
    expect(problems(payoutRequestSchema, { ...base, identityType, identity })).toContain(
      `identity: ${message}`,
    );
  });

  it("requires an identity, and a known identity type", () => {
    expect(problems(payoutRequestSchema, { ...base, identity: "  " })).toContain(
      "identity: validation.required",
    );
    expect(problems(payoutRequestSchema, { ...base, identityType: "PHONE" })).toEqual([
      "identityType: validation.invalidOption",
    ]);
  });

  it("an identity valid for one type is refused for another", () => {
    expect(problems(payoutRequestSchema, { ...base, identityType: "LOGIN_ID" })).toEqual([
      "identity: payouts.validation.loginId",
    ]);
  });
});

describe("payoutRequestSchema: outBizNo and memo", () => {
  it("accepts letters, digits and underscores up to 64 characters", () => {
    for (const outBizNo of ["a", "points_42", "HB20261121abcdef", "A".repeat(64)])
      expect(payoutRequestSchema.parse({ ...base, outBizNo }).outBizNo).toBe(outBizNo);
  });

  it.each(["A".repeat(65), "order-1", "order 1", "订单1", "a.b", "x/y"])(
    "refuses outBizNo %s",
    (outBizNo) => {
      expect(problems(payoutRequestSchema, { ...base, outBizNo })).toEqual([
        "outBizNo: payouts.validation.outBizNo",
      ]);
    },
  );

  it("an empty or missing outBizNo is null (one is generated at request time); it is trimmed", () => {
    expect(payoutRequestSchema.parse({ ...base, outBizNo: "" }).outBizNo).toBeNull();
    expect(payoutRequestSchema.parse({ ...base, outBizNo: "   " }).outBizNo).toBeNull();
    expect(payoutRequestSchema.parse(base).outBizNo).toBeNull();
    expect(payoutRequestSchema.parse({ ...base, outBizNo: " k_1 " }).outBizNo).toBe("k_1");
  });

  it("memo is optional, trimmed, at most 200 characters", () => {
    expect(payoutRequestSchema.parse({ ...base, memo: "" }).memo).toBeNull();
    expect(payoutRequestSchema.parse({ ...base, memo: " thanks " }).memo).toBe("thanks");
    expect(problems(payoutRequestSchema, { ...base, memo: "m".repeat(201) })).toEqual([
      "memo: validation.tooLong",
    ]);
  });
});

describe("payoutDecisionSchema", () => {
  it("approves without a reason", () => {
    expect(payoutDecisionSchema.parse({ payoutIds: ["p1"], decision: "approve" })).toEqual({
      payoutIds: ["p1"],
      decision: "approve",
      reason: null,
    });
  });

  it("requires a reason to reject, on the reason field", () => {
    for (const reason of [undefined, "", "   "])
      expect(problems(payoutDecisionSchema, { payoutIds: ["p1"], decision: "reject", reason })).toEqual([
        "reason: payouts.validation.reasonRequired",
      ]);
    expect(
      payoutDecisionSchema.parse({ payoutIds: ["p1"], decision: "reject", reason: " not eligible " }).reason,
    ).toBe("not eligible");
  });

  it("needs at least one payout and a known decision", () => {
    expect(problems(payoutDecisionSchema, { payoutIds: [], decision: "approve" })).toEqual([
      "payoutIds: validation.required",
    ]);
    expect(problems(payoutDecisionSchema, { payoutIds: ["p1"], decision: "maybe" })).toEqual([
      "decision: validation.invalidOption",
    ]);
  });
});
