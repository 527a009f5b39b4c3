import { describe, expect, it } from "vitest";
import type { CampaignFormValues } from "./campaigns";
import { addMonths, campaignFormSchema } from "./campaigns";
import { fieldErrorsFromZod } from "./errors";

// 2026-11-21 12:00 in Beijing.
const NOW = new Date("2026-11-21T04:00:00Z");
const schema = campaignFormSchema({ timeZone: "Asia/Shanghai", now: () => NOW });

const valid: CampaignFormValues = {
  name: "Points week",
  prizeMessage: "Thanks for redeeming",
  prizeType: "FIXED",
  rail: "CASH_CAMPAIGN",
  total: "100.00",
  packetCount: "50",
  startMode: "now",
  startAt: "",
  endAt: "2026-12-21T12:00",
  frequencyLifetime: "1",
  frequencyPeriod: "",
  frequencyPeriodLimit: "",
  merchantLink: "http://localhost:3000/campaigns/funded",
  defaultScene: "POINTS_REDEMPTION",
  autoApproveMax: "0",
  autoApproveDailyCap: "0",
};

function errorsFor(changes: Partial<CampaignFormValues>): Record<string, string[]> {
  const result = schema.safeParse({ ...valid, ...changes });
  if (result.success) return {};
  return Object.fromEntries(
    Object.entries(fieldErrorsFromZod(result.error)).map(([field, refs]) => [field, refs.map((r) => r.key)]),
  );
}

describe("the campaign form schema", () => {
  it("accepts a valid campaign and converts it to fen and instants", () => {
    const parsed = schema.parse(valid);
    expect(parsed).toMatchObject({
      budgetFen: 10_000,
      packetCount: 50,
      startsAt: null,
      merchantLink: valid.merchantLink,
    });
    expect(parsed.endsAt.toISOString()).toBe("2026-12-21T04:00:00.000Z");
  });

  describe("total budget: ¥1.00 to ¥10,000,000.00", () => {
    it.each([
      ["1.00", "5", {}],
      ["0.99", "1", { total: ["campaigns.errors.totalTooSmall"] }],
      ["10000000.00", "50000", {}],
      ["10000000.01", "50001", { total: ["campaigns.errors.totalTooLarge"] }],
      ["abc", "1", { total: ["validation.invalidAmount"] }],
      ["1.234", "1", { total: ["validation.invalidAmount"] }],
      ["", "1", { total: ["validation.required"] }],
    ])("%s yuan over %s packets", (total, packetCount, expected) => {
      expect(errorsFor({ total, packetCount, prizeType: "RANDOM" })).toEqual(expected);
    });
  });

  describe("packet count: 1 to 10,000,000", () => {
    it.each([
      ["1", "200.00", {}],
      ["0", "1.00", { packetCount: ["campaigns.errors.countTooSmall"] }],
      ["10000000", "2000000.00", {}],
      ["10000001", "2000000.20", { packetCount: ["campaigns.errors.countTooLarge"] }],
      ["2.5", "1.00", { packetCount: ["validation.invalidInteger"] }],
    ])("%s packets", (packetCount, total, expected) => {
      expect(errorsFor({ packetCount, total, prizeType: "RANDOM" })).toEqual(expected);
    });
  });

  describe("per packet (fixed) or on average (random): ¥0.20 to ¥200.00", () => {
    it.each([
      ["FIXED", "1.00", "5", {}], // exactly ¥0.20
      ["FIXED", "1.00", "6", { packetCount: ["campaigns.errors.packetTooSmall"] }],
      ["FIXED", "200.00", "1", {}], // exactly ¥200.00
      ["FIXED", "200.01", "1", { packetCount: ["campaigns.errors.packetTooLarge"] }],
      ["FIXED", "10.00", "3", { packetCount: ["campaigns.errors.notDivisible"] }],
      ["RANDOM", "10.00", "3", {}], // random amounts need not divide evenly
      ["RANDOM", "1.99", "10", { packetCount: ["campaigns.errors.packetTooSmall"] }],
    ])("%s %s yuan over %s", (prizeType, total, packetCount, expected) => {
      expect(errorsFor({ prizeType: prizeType as "FIXED" | "RANDOM", total, packetCount })).toEqual(expected);
    });
  });

  describe("times (Beijing time; start in the future; at most 6 months)", () => {
    it("accepts a start in the future and reads it in the display zone", () => {
      const parsed = schema.parse({ ...valid, startMode: "at", startAt: "2026-11-21T12:01" });
      expect(parsed.startsAt?.toISOString()).toBe("2026-11-21T04:01:00.000Z");
    });

    it.each([
      [
        { startMode: "at" as const, startAt: "2026-11-21T12:00" },
        { startAt: ["campaigns.errors.startInPast"] },
      ],
      [{ startMode: "at" as const, startAt: "" }, { startAt: ["validation.required"] }],
      [{ startMode: "at" as const, startAt: "tomorrow" }, { startAt: ["validation.invalidDate"] }],
      [{ endAt: "2026-11-21T12:00" }, { endAt: ["campaigns.errors.endBeforeStart"] }],
      [{ endAt: "2026-11-21T12:01" }, {}],
      [{ endAt: "2027-05-21T12:00" }, {}], // exactly 6 months after now
      [{ endAt: "2027-05-21T12:01" }, { endAt: ["campaigns.errors.tooLong"] }],
      [{ startMode: "at" as const, startAt: "2026-12-01T00:00", endAt: "2027-06-01T00:00" }, {}], // 6 months after a later start
      [{ endAt: "" }, { endAt: ["validation.required"] }],
    ])("%j", (changes, expected) => {
      expect(errorsFor(changes)).toEqual(expected);
    });
  });

  describe("per-user frequency", () => {
    it.each([
      [{ frequencyLifetime: "1" }, {}],
      [{ frequencyLifetime: "100" }, {}],
      [{ frequencyLifetime: "0" }, { frequencyLifetime: ["campaigns.errors.lifetimeRange"] }],
      [{ frequencyLifetime: "101" }, { frequencyLifetime: ["campaigns.errors.lifetimeRange"] }],
      [{ frequencyLifetime: "10", frequencyPeriod: "DAY" as const, frequencyPeriodLimit: "10" }, {}],
      [{ frequencyLifetime: "10", frequencyPeriod: "DAY" as const, frequencyPeriodLimit: "1" }, {}],
      [
        { frequencyLifetime: "10", frequencyPeriod: "WEEK" as const, frequencyPeriodLimit: "11" },
        { frequencyPeriodLimit: ["campaigns.errors.periodLimitRange"] },
      ],
      [
        { frequencyLifetime: "10", frequencyPeriod: "MONTH" as const, frequencyPeriodLimit: "0" },
        { frequencyPeriodLimit: ["campaigns.errors.periodLimitRange"] },
      ],
    ])("%j", (changes, expected) => {
      expect(errorsFor(changes)).toEqual(expected);
    });
  });

  it("names every other bad field", () => {
    expect(
      errorsFor({
        name: "",
        prizeMessage: "x".repeat(65),
        rail: "FUND_COUPON",
        merchantLink: "javascript:alert(1)",
        defaultScene: "LOTTERY" as never,
        autoApproveMax: "50.00",
        autoApproveDailyCap: "10.00",
      }),
    ).toEqual({
      name: ["validation.required"],
      prizeMessage: ["validation.tooLong"],
      merchantLink: ["validation.invalidUrl"],
      defaultScene: ["validation.invalidOption"],
    });
    expect(errorsFor({ rail: "TRANSFER" })).toEqual({ rail: ["campaigns.errors.railUnavailable"] });
    expect(errorsFor({ autoApproveMax: "5.00", autoApproveDailyCap: "1.00" })).toEqual({
      autoApproveDailyCap: ["campaigns.errors.capBelowThreshold"],
    });
    expect(errorsFor({ autoApproveMax: "1.00", autoApproveDailyCap: "100.01" })).toEqual({
      autoApproveDailyCap: ["campaigns.errors.capAboveBudget"],
    });
  });
});

describe("addMonths", () => {
  it("clamps to the end of shorter months", () => {
    expect(addMonths(new Date("2026-08-31T10:00:00Z"), 6).toISOString()).toBe("2027-02-28T10:00:00.000Z");
    expect(addMonths(new Date("2027-08-31T10:00:00Z"), 6).toISOString()).toBe("2028-02-29T10:00:00.000Z");
  });

  it("counts months on Beijing's calendar", () => {
    // 2026-12-01 00:00 in Beijing is still November 30 in UTC; six months later is 2027-06-01 00:00 Beijing.
    expect(addMonths(new Date("2026-11-30T16:00:00Z"), 6).toISOString()).toBe("2027-05-31T16:00:00.000Z");
  });
});
