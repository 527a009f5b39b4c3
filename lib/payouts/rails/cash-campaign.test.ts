import { describe, expect, it } from "vitest";
import type { Campaign } from "@/generated/prisma/client";
import { NOT_AWARDED, type TriggeredPacket } from "@/lib/alipay/campaign";
import type { AlipayResult, CallMeta } from "@/lib/alipay/result";
import { cashCampaignRail, triggerOutcome } from "./cash-campaign";

const AT = new Date("2026-11-21T08:00:00Z");

function meta(overrides: Partial<CallMeta> = {}): CallMeta {
  return {
    method: "alipay.marketing.campaign.cash.trigger",
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

function rejected(code: string, subCode: string, retryable: boolean): AlipayResult<TriggeredPacket> {
  return {
    kind: "rejected",
    code,
    subCode,
    subMsg: `message for ${subCode}`,
    retryable,
    meta: meta({ code, subCode, subMsg: `message for ${subCode}` }),
  };
}

describe("triggerOutcome", () => {
  it("ok → paid with the awarded amount, Alipay's reference and the attempt", () => {
    const outcome = triggerOutcome({
      kind: "ok",
      data: { amountFen: 123, repeat: false, bizNo: "2026112100001", partnerId: "2088000000000001" },
      meta: meta(),
    });
    expect(outcome).toEqual({
      kind: "paid",
      awardedFen: 123,
      repeat: false,
      reference: "2026112100001",
      attempt: {
        method: "alipay.marketing.campaign.cash.trigger",
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

  it("carries the repeat flag: an earlier payment answered again is not a new one", () => {
    const outcome = triggerOutcome({
      kind: "ok",
      data: { amountFen: 88, repeat: true, bizNo: null, partnerId: null },
      meta: meta(),
    });
    expect(outcome).toMatchObject({ kind: "paid", awardedFen: 88, repeat: true, reference: null });
  });

  it("a retryable refusal (rate limited, not processed) → deferred, keeping what Alipay said", () => {
    const outcome = triggerOutcome(rejected("40005", "isv.app-call-limited", true));
    expect(outcome).toEqual({
      kind: "deferred",
      attempt: expect.objectContaining({ code: "40005", subCode: "isv.app-call-limited", reason: null }),
    });
  });

  it("Alipay's campaign budget short → refused, retryable by a person", () => {
    for (const subCode of ["CASH_CAMP_BUDGET_INSUFFICIENT", "CASH_CAMP_COUNT_INSUFFICIENT"]) {
      expect(triggerOutcome(rejected("40004", subCode, false))).toMatchObject({
        kind: "refused",
        code: subCode,
        message: `message for ${subCode}`,
        retryable: true,
      });
    }
  });

  it("not awarded (10000 with trigger_result=false) → refused, not retryable", () => {
    expect(triggerOutcome(rejected("10000", NOT_AWARDED, false))).toMatchObject({
      kind: "refused",
      code: NOT_AWARDED,
      retryable: false,
      attempt: { code: "10000", subCode: NOT_AWARDED },
    });
  });

  it("any other refusal is final; without a sub_code it is named by the code", () => {
    expect(triggerOutcome(rejected("40004", "USER_NOT_EXIST", false))).toMatchObject({
      kind: "refused",
      code: "USER_NOT_EXIST",
      retryable: false,
    });
    const bare: AlipayResult<TriggeredPacket> = {
      kind: "rejected",
      code: "40004",
      subCode: "",
      subMsg: "",
      retryable: false,
      meta: meta({ code: "40004" }),
    };
    expect(triggerOutcome(bare)).toMatchObject({
      kind: "refused",
      code: "40004",
      message: "40004",
      retryable: false,
    });
  });

  it("unknown → unknown with the reason, recorded with its detail on the attempt", () => {
    const outcome = triggerOutcome({
      kind: "unknown",
      reason: "timeout",
      detail: "no answer in 600 ms",
      meta: meta({ code: null, traceId: null, reply: null }),
    });
    expect(outcome).toEqual({
      kind: "unknown",
      reason: "timeout",
      attempt: expect.objectContaining({
        reason: "timeout: no answer in 600 ms",
        code: null,
        rawReply: null,
      }),
    });
    const bare = triggerOutcome({
      kind: "unknown",
      reason: "system-error",
      detail: "",
      meta: meta({ code: "20000" }),
    });
    expect(bare).toMatchObject({ kind: "unknown", attempt: { reason: "system-error", code: "20000" } });
  });
});

describe("cashCampaignRail.reservation", () => {
  const campaign = (c: Pick<Campaign, "prizeType" | "budgetFen" | "packetCount">) => c as Campaign;

  it("a fixed packet holds exactly budget ÷ count", () => {
    expect(
      cashCampaignRail.reservation(
        campaign({ prizeType: "FIXED", budgetFen: 10_000, packetCount: 100 }),
        null,
      ),
    ).toEqual({
      maxFen: 100,
      minFen: 100,
    });
    expect(
      cashCampaignRail.reservation(campaign({ prizeType: "FIXED", budgetFen: 600, packetCount: 3 }), null),
    ).toEqual({
      maxFen: 200,
      minFen: 200,
    });
  });

  it("a random packet holds up to 1.5 × the average (at most ¥200 and the budget), at least ¥0.20", () => {
    expect(
      cashCampaignRail.reservation(
        campaign({ prizeType: "RANDOM", budgetFen: 10_000, packetCount: 100 }),
        null,
      ),
    ).toEqual({
      maxFen: 150,
      minFen: 20,
    });
    expect(
      cashCampaignRail.reservation(campaign({ prizeType: "RANDOM", budgetFen: 1_000, packetCount: 3 }), null),
    ).toEqual({
      maxFen: 500,
      minFen: 20,
    });
    // ¥500 budget, 2 packets: 1.5 × ¥250 is over Alipay's ¥200 per packet.
    expect(
      cashCampaignRail.reservation(campaign({ prizeType: "RANDOM", budgetFen: 50_000, packetCount: 2 }), null)
        .maxFen,
    ).toBe(20_000);
    // One packet: never more than the budget.
    expect(
      cashCampaignRail.reservation(campaign({ prizeType: "RANDOM", budgetFen: 1_000, packetCount: 1 }), null)
        .maxFen,
    ).toBe(1_000);
  });
});
