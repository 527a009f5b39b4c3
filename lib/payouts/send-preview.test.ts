import { describe, expect, it } from "vitest";
import { translator } from "@/lib/i18n/messages";
import {
  approvalPath,
  describeApprovalPath,
  describeSendAmount,
  previewSend,
  type SendContext,
} from "./send-preview";

const t = translator("en");

function context(overrides: Partial<SendContext> = {}): SendContext {
  return {
    campaignId: "c1",
    canSend: true,
    prizeType: "FIXED",
    packetFen: 100,
    maxPacketFen: 100,
    minPacketFen: 100,
    spendableFen: 10_000,
    autoApproveMaxFen: 200,
    autoApproveDailyCapFen: 1_000,
    autoApprovedTodayFen: 0,
    defaultScene: "POINTS_REDEMPTION",
    amountFromRequest: false,
    payeeNameForLoginId: false,
    ...overrides,
  };
}

describe("approvalPath", () => {
  const policy = { autoApproveMaxFen: 200, autoApproveDailyCapFen: 1_000 };
  it.each([
    ["within the threshold and the cap", policy, 200, 800, "auto"],
    ["over the threshold", policy, 201, 0, "overThreshold"],
    ["past the daily cap with it", policy, 100, 901, "overDailyCap"],
    ["exactly reaching the cap", policy, 100, 900, "auto"],
    ["no auto-approval at all", { autoApproveMaxFen: 0, autoApproveDailyCapFen: 0 }, 20, 0, "noAutoApproval"],
    [
      "a threshold but no cap",
      { autoApproveMaxFen: 200, autoApproveDailyCapFen: 0 },
      20,
      0,
      "noAutoApproval",
    ],
  ] as const)("%s → %s", (_, p, amount, today, expected) => {
    expect(approvalPath(p, amount, today)).toBe(expected);
  });
});

describe("previewSend", () => {
  it("holds the fixed packet and says what is left after it", () => {
    expect(previewSend(context())).toEqual({
      covered: true,
      reservedFen: 100,
      approval: "auto",
      budgetAfterFen: 9_900,
      spendableFen: 10_000,
    });
  });

  it("holds the largest random packet, or what is left when that is less but above the minimum", () => {
    const random = context({ prizeType: "RANDOM", packetFen: null, maxPacketFen: 150, minPacketFen: 20 });
    expect(previewSend(random)).toMatchObject({ covered: true, reservedFen: 150, budgetAfterFen: 9_850 });
    expect(previewSend({ ...random, spendableFen: 60 })).toMatchObject({
      covered: true,
      reservedFen: 60,
      budgetAfterFen: 0,
    });
    expect(previewSend({ ...random, spendableFen: 19 })).toEqual({ covered: false, spendableFen: 19 });
  });

  it("is not covered when less than a fixed packet is left", () => {
    expect(previewSend(context({ spendableFen: 99 }))).toEqual({ covered: false, spendableFen: 99 });
    expect(previewSend(context({ spendableFen: 0 }))).toEqual({ covered: false, spendableFen: 0 });
  });

  it("applies the policy to what the payout holds, with today's auto-approved total", () => {
    expect(previewSend(context({ maxPacketFen: 300, minPacketFen: 300, packetFen: 300 }))).toMatchObject({
      approval: "overThreshold",
    });
    expect(previewSend(context({ autoApprovedTodayFen: 950 }))).toMatchObject({ approval: "overDailyCap" });
  });
});

describe("describing the preview", () => {
  it("says a fixed amount, or Alipay's choice up to the largest packet", () => {
    expect(describeSendAmount(context(), t)).toBe("¥1.00");
    expect(describeSendAmount(context({ prizeType: "RANDOM", packetFen: null, maxPacketFen: 150 }), t)).toBe(
      "Decided by Alipay, up to ¥1.50",
    );
  });

  it("gives the reason a payout waits, in words", () => {
    const c = context({ autoApprovedTodayFen: 950 });
    expect(describeApprovalPath("auto", c, 100, t)).toContain("Approved automatically");
    expect(describeApprovalPath("overThreshold", c, 300, t)).toBe(
      "Waits for an approver: ¥3.00 is over the auto-approval threshold of ¥2.00.",
    );
    expect(describeApprovalPath("overDailyCap", c, 100, t)).toBe(
      "Waits for an approver: today's auto-approved total (¥9.50) would pass the daily cap of ¥10.00.",
    );
    expect(describeApprovalPath("noAutoApproval", c, 100, translator("zh-CN"))).toBe(
      "需等待审批人：此活动未开启自动审批。",
    );
  });
});

describe("previewSend on a rail that takes the amount from the request", () => {
  const named = context({ amountFromRequest: true, packetFen: 500, maxPacketFen: 500, minPacketFen: 500 });

  it("holds the amount named, or the largest packet when none is", () => {
    expect(previewSend(named, 120)).toMatchObject({ covered: true, reservedFen: 120, budgetAfterFen: 9_880 });
    expect(previewSend(named, null)).toMatchObject({ covered: true, reservedFen: 500 });
  });

  it("is not covered when the budget left is less than the amount named", () => {
    expect(previewSend({ ...named, spendableFen: 100 }, 120)).toEqual({ covered: false, spendableFen: 100 });
  });

  it("ignores an amount on a rail that sizes its own packets", () => {
    expect(previewSend(context(), 50)).toMatchObject({ covered: true, reservedFen: 100 });
  });
});
