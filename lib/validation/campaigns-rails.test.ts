/**
 * The campaign form's per-rail rules: each rail validates and keeps only its own fields (TRANSFER: a budget and
 * per-packet limits; FUND_COUPON: per-packet limits, no budget), with errors on the field that is wrong.
 */
import { describe, expect, it } from "vitest";
import type { MessageRef } from "@/lib/i18n/messages";
import type { CampaignFormValues } from "./campaigns";
import { campaignFormSchema } from "./campaigns";
import { fieldErrorsFromZod } from "./errors";

// 2026-11-21 12:00 in Beijing.
const NOW = new Date("2026-11-21T04:00:00Z");
const schema = campaignFormSchema({ timeZone: "Asia/Shanghai", now: () => NOW });

const common = {
  name: "Invite rewards",
  prizeMessage: "Thanks for inviting",
  startMode: "now" as const,
  startAt: "",
  endAt: "2026-12-21T12:00",
  frequencyLifetime: "3",
  frequencyPeriod: "DAY" as const,
  frequencyPeriodLimit: "1",
  defaultScene: "INVITE_REWARD" as const,
  autoApproveMax: "5.00",
  autoApproveDailyCap: "50.00",
};
const transfer: CampaignFormValues = {
  ...common,
  rail: "TRANSFER",
  total: "1000.00",
  maxPacket: "5.00",
  dailyAmountPerUser: "10.00",
};
const fundCoupon: CampaignFormValues = {
  ...common,
  rail: "FUND_COUPON",
  maxPacket: "5.00",
  dailyAmountPerUser: "",
};

function errorsFor(values: Record<string, unknown>): Record<string, MessageRef[]> {
  const result = schema.safeParse(values);
  return result.success ? {} : fieldErrorsFromZod(result.error);
}

describe("TRANSFER campaigns", () => {
  it("keep a budget (the console's limit) and per-packet limits, with no packet count", () => {
    expect(schema.parse(transfer)).toMatchObject({
      rail: "TRANSFER",
      prizeType: "FIXED",
      budgetFen: 100_000,
      packetCount: 0,
      maxPacketFen: 500,
      dailyAmountPerUserFen: 1_000,
      merchantLink: null,
      frequencyLifetime: 3,
      frequencyPeriod: "DAY",
      frequencyPeriodLimit: 1,
      autoApproveMaxFen: 500,
      autoApproveDailyCapFen: 5_000,
    });
  });

  it("ignore the cash campaign's fields, and an empty daily amount is no cap", () => {
    const parsed = schema.parse({
      ...transfer,
      packetCount: "abc",
      prizeType: "RANDOM",
      merchantLink: "javascript:x",
      dailyAmountPerUser: "",
    });
    expect(parsed).toMatchObject({ prizeType: "FIXED", packetCount: 0, dailyAmountPerUserFen: null });
  });

  it.each([
    [{ total: "" }, { total: [{ key: "validation.required", params: {} }] }],
    [{ total: "0.50" }, { total: [{ key: "validation.tooSmall", params: { minimum: "¥1.00" } }] }],
    [{ maxPacket: "" }, { maxPacket: [{ key: "validation.required", params: {} }] }],
    [{ maxPacket: "400.01" }, { maxPacket: [{ key: "validation.tooBig", params: { maximum: "¥400.00" } }] }],
    [{ maxPacket: "0.001" }, { maxPacket: [{ key: "validation.amountTooPrecise", params: {} }] }],
    [
      { total: "3.00", autoApproveMax: "1.00", autoApproveDailyCap: "3.00" },
      { maxPacket: [{ key: "campaigns.errors.maxPacketAboveBudget", params: { budget: "¥3.00" } }] },
    ],
    [
      { dailyAmountPerUser: "4.99" },
      {
        dailyAmountPerUser: [{ key: "campaigns.errors.dailyAmountBelowPacket", params: { packet: "¥5.00" } }],
      },
    ],
    [
      { autoApproveDailyCap: "1000.01" },
      { autoApproveDailyCap: [{ key: "campaigns.errors.capAboveBudget", params: { budget: "¥1,000.00" } }] },
    ],
  ])("%j", (changes, expected) => {
    expect(errorsFor({ ...transfer, ...changes })).toEqual(expected);
  });
});

describe("FUND_COUPON campaigns", () => {
  it("have no budget of their own (it comes from funding orders) and no packet count", () => {
    expect(schema.parse({ ...fundCoupon, total: "junk", packetCount: "junk" })).toMatchObject({
      rail: "FUND_COUPON",
      prizeType: "FIXED",
      budgetFen: 0,
      packetCount: 0,
      maxPacketFen: 500,
      dailyAmountPerUserFen: null,
      merchantLink: null,
    });
  });

  it("do not compare the daily approval cap with a budget", () => {
    expect(errorsFor({ ...fundCoupon, autoApproveDailyCap: "100000.00" })).toEqual({});
  });

  it("need a max per packet within ¥0.01–¥400.00", () => {
    expect(errorsFor({ ...fundCoupon, maxPacket: "" })).toEqual({
      maxPacket: [{ key: "validation.required", params: {} }],
    });
    expect(errorsFor({ ...fundCoupon, maxPacket: "500" })).toEqual({
      maxPacket: [{ key: "validation.tooBig", params: { maximum: "¥400.00" } }],
    });
    expect(errorsFor({ ...fundCoupon, maxPacket: "-1" })).toEqual({
      maxPacket: [{ key: "validation.amountNegative", params: {} }],
    });
  });

  it("report every field problem at once", () => {
    expect(errorsFor({ ...fundCoupon, name: "", maxPacket: "x", dailyAmountPerUser: "y" })).toEqual({
      name: [{ key: "validation.required", params: { minimum: 1 } }],
      maxPacket: [{ key: "validation.invalidAmount", params: {} }],
      dailyAmountPerUser: [{ key: "validation.invalidAmount", params: {} }],
    });
  });
});

describe("CASH_CAMPAIGN campaigns", () => {
  it("keep no per-packet limits", () => {
    const parsed = schema.parse({
      ...common,
      rail: "CASH_CAMPAIGN",
      prizeType: "FIXED",
      total: "100.00",
      packetCount: "20",
      merchantLink: "",
      maxPacket: "5.00",
      autoApproveMax: "5.00",
      autoApproveDailyCap: "50.00",
    });
    expect(parsed).toMatchObject({ budgetFen: 10_000, packetCount: 20, maxPacketFen: null });
    expect(parsed.dailyAmountPerUserFen).toBeNull();
  });
});
