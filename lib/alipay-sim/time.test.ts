import { describe, expect, it } from "vitest";
import { addBeijingMonths, beijingPeriodKeys, formatBeijing, parseBeijing, parseShortDuration } from "./time";

describe("Beijing time", () => {
  it("formats and parses UTC+8 regardless of the host zone", () => {
    const instant = Date.UTC(2026, 0, 31, 16, 30, 5); // 2026-02-01 00:30:05 in Beijing
    expect(formatBeijing(instant)).toBe("2026-02-01 00:30:05");
    expect(parseBeijing("2026-02-01 00:30:05")).toBe(instant);
  });

  it.each([
    "2026-02-30 10:00:00",
    "2026-13-01 00:00:00",
    "2026-01-01 24:00:00",
    "2026-01-01T10:00:00",
    "2026-1-1 10:00:00",
  ])("rejects %j", (text) => {
    expect(parseBeijing(text)).toBeNull();
  });

  it("adds calendar months, clamping to the end of shorter months", () => {
    const aug31 = parseBeijing("2026-08-31 12:00:00") ?? 0;
    expect(formatBeijing(addBeijingMonths(aug31, 6))).toBe("2027-02-28 12:00:00");
    const jan15 = parseBeijing("2026-01-15 08:00:00") ?? 0;
    expect(formatBeijing(addBeijingMonths(jan15, 6))).toBe("2026-07-15 08:00:00");
  });

  it("keys days, Monday-based weeks and months by the Beijing calendar", () => {
    // Sunday 2026-03-01 23:30 Beijing is still in the week that began Monday 2026-02-23.
    const sunday = parseBeijing("2026-03-01 23:30:00") ?? 0;
    expect(beijingPeriodKeys(sunday)).toEqual({ day: "2026-03-01", week: "W2026-02-23", month: "2026-03" });
    const monday = parseBeijing("2026-03-02 00:10:00") ?? 0;
    expect(beijingPeriodKeys(monday).week).toBe("W2026-03-02");
  });

  it("parses Alipay's short durations", () => {
    expect(parseShortDuration("1m")).toBe(60_000);
    expect(parseShortDuration("90m")).toBe(5_400_000);
    expect(parseShortDuration("7d")).toBe(604_800_000);
    expect(parseShortDuration("1.5h")).toBeNull();
    expect(parseShortDuration("0m")).toBeNull();
  });
});
