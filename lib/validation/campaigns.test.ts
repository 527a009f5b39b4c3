import { describe, expect, it } from "vitest";
import type { CampaignFormValues } from "./campaigns";
import { campaignFormSchema } from "./campaigns";
import { fieldErrorsFromZod } from "./errors";
import type { MessageKey, MessageParams, MessageRef } from "@/lib/i18n/messages";

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

/** What the person sees next to each field: the message keys and their parameters. */
function errorsFor(changes: Partial<CampaignFormValues>): Record<string, MessageRef[]> {
  const result = schema.safeParse({ ...valid, ...changes });
  return result.success ? {} : fieldErrorsFromZod(result.error);
}

/** One error on one field, and nothing else wrong. */
function only(field: string, key: MessageKey, params: MessageParams = {}) {
  return { [field]: [{ key, params }] };
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

  describe("total budget: ¥1.00 to ¥10,000,000.00, in whole fen", () => {
    it.each([
      ["1.00", "5", {}],
      ["10000000.00", "50000", {}],
      ["¥1,000", "50", {}],
      ["0.99", "1", only("total", "validation.tooSmall", { minimum: "¥1.00" })],
      ["10000000.01", "50001", only("total", "validation.tooBig", { maximum: "¥10,000,000.00" })],
      ["-5", "1", only("total", "validation.amountNegative")],
      ["-1.234", "1", only("total", "validation.amountNegative")],
      ["1.234", "1", only("total", "validation.amountTooPrecise")],
      ["abc", "1", only("total", "validation.invalidAmount")],
      ["1e5", "1", only("total", "validation.invalidAmount")],
      ["", "1", only("total", "validation.required")],
    ])("%s yuan over %s packets", (total, packetCount, expected) => {
      expect(errorsFor({ total, packetCount, prizeType: "RANDOM" })).toEqual(expected);
    });
  });

  describe("packet count: 1 to 10,000,000", () => {
    it.each([
      ["1", "200.00", {}],
      ["10000000", "2000000.00", {}],
      ["0", "1.00", only("packetCount", "validation.tooSmall", { minimum: "1" })],
      ["-5", "1.00", only("packetCount", "validation.tooSmall", { minimum: "1" })],
      ["10000001", "2000000.20", only("packetCount", "validation.tooBig", { maximum: "10,000,000" })],
      ["99999999999", "1.00", only("packetCount", "validation.tooBig", { maximum: "10,000,000" })],
      [
        "2.5",
        "1.00",
        only("packetCount", "validation.invalidInteger", { minimum: "1", maximum: "10,000,000" }),
      ],
      ["", "1.00", only("packetCount", "validation.required")],
    ])("%s packets", (packetCount, total, expected) => {
      expect(errorsFor({ packetCount, total, prizeType: "RANDOM" })).toEqual(expected);
    });
  });

  describe("per packet (fixed) or on average (random): ¥0.20 to ¥200.00, fixed in whole fen", () => {
    it.each([
      ["FIXED", "1.00", "5", {}], // exactly ¥0.20
      ["FIXED", "200.00", "1", {}], // exactly ¥200.00
      ["RANDOM", "10.00", "3", {}], // random amounts need not divide evenly
      [
        "FIXED",
        "1.00",
        "6",
        only("packetCount", "campaigns.errors.packetTooSmall", { amount: "¥0.16⅔", minimum: "¥0.20" }),
      ],
      [
        "RANDOM",
        "1.99",
        "10",
        only("packetCount", "campaigns.errors.averageTooSmall", { amount: "¥0.19⁹⁄₁₀", minimum: "¥0.20" }),
      ],
      [
        "FIXED",
        "200.01",
        "1",
        only("packetCount", "campaigns.errors.packetTooLarge", { amount: "¥200.01", maximum: "¥200.00" }),
      ],
      [
        "RANDOM",
        "1000.01",
        "5",
        only("packetCount", "campaigns.errors.averageTooLarge", { amount: "¥200.00⅕", maximum: "¥200.00" }),
      ],
      [
        "FIXED",
        "100.00",
        "3",
        only("packetCount", "campaigns.errors.notDivisible", {
          total: "¥100.00",
          count: "3",
          amount: "¥33.33⅓",
        }),
      ],
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
      [{ endAt: "2026-11-21T12:01" }, {}],
      [{ endAt: "2027-05-21T12:00" }, {}], // exactly 6 months after now
      [{ startMode: "at" as const, startAt: "2026-12-01T00:00", endAt: "2027-06-01T00:00" }, {}], // 6 months after a later start
      [
        { startMode: "at" as const, startAt: "2026-11-21T12:00" },
        only("startAt", "campaigns.errors.startInPast", { now: "2026-11-21 12:00" }),
      ],
      [{ startMode: "at" as const, startAt: "" }, only("startAt", "validation.required")],
      [{ startMode: "at" as const, startAt: "tomorrow" }, only("startAt", "validation.invalidDate")],
      [
        { endAt: "2026-11-21T12:00" },
        only("endAt", "campaigns.errors.endBeforeStart", { start: "2026-11-21 12:00" }),
      ],
      [
        { startMode: "at" as const, startAt: "2026-12-01T09:00", endAt: "2026-12-01T08:00" },
        only("endAt", "campaigns.errors.endBeforeStart", { start: "2026-12-01 09:00" }),
      ],
      [
        { endAt: "2027-05-21T12:01" },
        only("endAt", "campaigns.errors.tooLong", { months: 6, latest: "2027-05-21 12:00" }),
      ],
      [
        { startMode: "at" as const, startAt: "2026-12-01T00:00", endAt: "2027-06-01T00:01" },
        only("endAt", "campaigns.errors.tooLong", { months: 6, latest: "2027-06-01 00:00" }),
      ],
      [{ endAt: "" }, { endAt: [{ key: "validation.required", params: { minimum: 1 } }] }],
      [{ endAt: "2026-13-01T00:00" }, only("endAt", "validation.invalidDate")],
    ])("%j", (changes, expected) => {
      expect(errorsFor(changes)).toEqual(expected);
    });
  });

  describe("per-user frequency", () => {
    it.each([
      [{ frequencyLifetime: "1" }, {}],
      [{ frequencyLifetime: "100" }, {}],
      [{ frequencyLifetime: "10", frequencyPeriod: "DAY" as const, frequencyPeriodLimit: "10" }, {}],
      [{ frequencyLifetime: "10", frequencyPeriod: "DAY" as const, frequencyPeriodLimit: "1" }, {}],
      [{ frequencyLifetime: "0" }, only("frequencyLifetime", "validation.tooSmall", { minimum: "1" })],
      [{ frequencyLifetime: "-5" }, only("frequencyLifetime", "validation.tooSmall", { minimum: "1" })],
      [{ frequencyLifetime: "101" }, only("frequencyLifetime", "validation.tooBig", { maximum: "100" })],
      [
        { frequencyLifetime: "two" },
        only("frequencyLifetime", "validation.invalidInteger", { minimum: "1", maximum: "100" }),
      ],
      [{ frequencyLifetime: "" }, only("frequencyLifetime", "validation.required")],
      [
        { frequencyLifetime: "10", frequencyPeriod: "WEEK" as const, frequencyPeriodLimit: "11" },
        only("frequencyPeriodLimit", "campaigns.errors.periodLimitAboveLifetime", { maximum: "10" }),
      ],
      [
        { frequencyLifetime: "10", frequencyPeriod: "MONTH" as const, frequencyPeriodLimit: "0" },
        only("frequencyPeriodLimit", "validation.tooSmall", { minimum: "1" }),
      ],
      [
        { frequencyLifetime: "10", frequencyPeriod: "MONTH" as const, frequencyPeriodLimit: "1.5" },
        only("frequencyPeriodLimit", "validation.invalidInteger", { minimum: "1", maximum: "10" }),
      ],
      [
        { frequencyLifetime: "10", frequencyPeriod: "DAY" as const, frequencyPeriodLimit: "" },
        only("frequencyPeriodLimit", "validation.required"),
      ],
      [{ frequencyPeriod: "YEAR" as never }, only("frequencyPeriod", "validation.invalidOption")],
    ])("%j", (changes, expected) => {
      expect(errorsFor(changes)).toEqual(expected);
    });

    it("ignores a leftover period limit once the period is cleared", () => {
      expect(schema.parse({ ...valid, frequencyPeriod: "", frequencyPeriodLimit: "99" })).toMatchObject({
        frequencyPeriod: null,
        frequencyPeriodLimit: null,
      });
    });
  });

  describe("approval policy", () => {
    it("reads an empty threshold and cap as ¥0 (every payout waits for an approver)", () => {
      expect(schema.parse({ ...valid, autoApproveMax: "", autoApproveDailyCap: "" })).toMatchObject({
        autoApproveMaxFen: 0,
        autoApproveDailyCapFen: 0,
      });
      expect(schema.parse({ ...valid, autoApproveMax: " ", autoApproveDailyCap: undefined })).toMatchObject({
        autoApproveMaxFen: 0,
        autoApproveDailyCapFen: 0,
      });
    });

    it("keeps a threshold with no daily cap", () => {
      expect(schema.parse({ ...valid, autoApproveMax: "2.00", autoApproveDailyCap: "" })).toMatchObject({
        autoApproveMaxFen: 200,
        autoApproveDailyCapFen: 0,
      });
    });

    it.each([
      [{ autoApproveMax: "2.00", autoApproveDailyCap: "10.00" }, {}],
      [{ autoApproveMax: "100.00", autoApproveDailyCap: "100.00" }, {}], // the whole budget
      [{ autoApproveMax: "-5" }, only("autoApproveMax", "validation.amountNegative")],
      [{ autoApproveMax: "1.005" }, only("autoApproveMax", "validation.amountTooPrecise")],
      [{ autoApproveDailyCap: "ten" }, only("autoApproveDailyCap", "validation.invalidAmount")],
      [
        { autoApproveMax: "5.00", autoApproveDailyCap: "1.00" },
        only("autoApproveDailyCap", "campaigns.errors.capBelowThreshold", { threshold: "¥5.00" }),
      ],
      [
        { autoApproveMax: "1.00", autoApproveDailyCap: "100.01" },
        only("autoApproveDailyCap", "campaigns.errors.capAboveBudget", { budget: "¥100.00" }),
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
        prizeType: "LOTTERY" as never,
        startMode: "later" as never,
        merchantLink: "javascript:alert(1)",
        defaultScene: "LOTTERY" as never,
      }),
    ).toEqual({
      name: [{ key: "validation.required", params: { minimum: 1 } }],
      prizeMessage: [{ key: "validation.tooLong", params: { maximum: 64 } }],
      prizeType: [{ key: "validation.invalidOption", params: {} }],
      startMode: [{ key: "validation.invalidOption", params: {} }],
      merchantLink: [{ key: "validation.invalidUrl", params: {} }],
      defaultScene: [{ key: "validation.invalidOption", params: {} }],
    });
    expect(errorsFor({ merchantLink: `https://example.com/${"x".repeat(240)}` })).toEqual({
      merchantLink: [{ key: "validation.tooLong", params: { maximum: 256 } }],
    });
    // A rail that does not exist is named alone: which other fields apply depends on it.
    expect(errorsFor({ rail: "LOTTERY" as never })).toEqual(only("rail", "validation.invalidOption"));
  });
});
