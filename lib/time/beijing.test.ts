import { describe, expect, it } from "vitest";
import { addBeijingMonths, beijingDay, beijingPeriodStart, beijingTime, parseBeijingTime } from "./beijing";

describe("beijingTime", () => {
  it("formats any instant in UTC+8, whatever the process's zone", () => {
    expect(beijingTime(new Date("2026-11-21T16:05:09Z"))).toBe("2026-11-22 00:05:09");
  });
});

describe("parseBeijingTime", () => {
  it("reads Alipay times as Beijing time", () => {
    expect(parseBeijingTime("2026-11-22 00:05:09")?.toISOString()).toBe("2026-11-21T16:05:09.000Z");
    expect(parseBeijingTime(" 2026-11-22 00:05:09 ")?.toISOString()).toBe("2026-11-21T16:05:09.000Z");
  });

  it("refuses impossible or malformed times", () => {
    expect(parseBeijingTime("2026-02-30 10:00:00")).toBeNull();
    expect(parseBeijingTime("2026-11-22 24:00:00")).toBeNull();
    expect(parseBeijingTime("2026-11-22T00:05:09")).toBeNull();
    expect(parseBeijingTime("NowTime")).toBeNull();
  });

  it("round-trips with beijingTime", () => {
    const instant = new Date("2027-02-28T23:59:59Z");
    expect(parseBeijingTime(beijingTime(instant))?.getTime()).toBe(instant.getTime());
  });
});

describe("addBeijingMonths", () => {
  it("clamps to the end of shorter months", () => {
    expect(addBeijingMonths(new Date("2026-08-31T10:00:00Z"), 6).toISOString()).toBe(
      "2027-02-28T10:00:00.000Z",
    );
    expect(addBeijingMonths(new Date("2027-08-31T10:00:00Z"), 6).toISOString()).toBe(
      "2028-02-29T10:00:00.000Z",
    );
  });

  it("counts months on Beijing's calendar", () => {
    // 2026-12-01 00:00 in Beijing is still November 30 in UTC; six months later is 2027-06-01 00:00 Beijing.
    expect(addBeijingMonths(new Date("2026-11-30T16:00:00Z"), 6).toISOString()).toBe(
      "2027-05-31T16:00:00.000Z",
    );
  });

  it("crosses the year", () => {
    expect(addBeijingMonths(new Date("2026-11-21T04:00:00Z"), 6).toISOString()).toBe(
      "2027-05-21T04:00:00.000Z",
    );
  });
});

describe("beijingDay", () => {
  it("changes day at Beijing midnight, 16:00 UTC", () => {
    expect(beijingDay(new Date("2026-11-30T15:59:59.999Z"))).toBe("2026-11-30");
    expect(beijingDay(new Date("2026-11-30T16:00:00.000Z"))).toBe("2026-12-01");
    expect(beijingDay(new Date("2026-11-30T17:00:00Z"))).toBe("2026-12-01");
  });

  it("crosses the year and a leap day on Beijing's calendar", () => {
    expect(beijingDay(new Date("2026-12-31T16:30:00Z"))).toBe("2027-01-01");
    expect(beijingDay(new Date("2024-02-28T16:00:00Z"))).toBe("2024-02-29");
    expect(beijingDay(new Date("2024-02-29T20:00:00Z"))).toBe("2024-03-01");
  });
});

describe("beijingPeriodStart", () => {
  const iso = (date: Date, period: "DAY" | "WEEK" | "MONTH") =>
    beijingPeriodStart(date, period).toISOString();

  it("2026-11-30T17:00Z is Tuesday December 1 in Beijing: day, week (from Monday) and month start there", () => {
    const tuesday = new Date("2026-11-30T17:00:00Z");
    expect(iso(tuesday, "DAY")).toBe("2026-11-30T16:00:00.000Z"); // Dec 1 00:00 Beijing
    expect(iso(tuesday, "WEEK")).toBe("2026-11-29T16:00:00.000Z"); // Monday Nov 30 00:00 Beijing
    expect(iso(tuesday, "MONTH")).toBe("2026-11-30T16:00:00.000Z"); // Dec 1 00:00 Beijing
  });

  it("one millisecond earlier is still Monday November 30 in Beijing", () => {
    const monday = new Date("2026-11-30T15:59:59.999Z");
    expect(iso(monday, "DAY")).toBe("2026-11-29T16:00:00.000Z");
    expect(iso(monday, "WEEK")).toBe("2026-11-29T16:00:00.000Z");
    expect(iso(monday, "MONTH")).toBe("2026-10-31T16:00:00.000Z"); // Nov 1 00:00 Beijing
  });

  it("a week runs Monday to Sunday: Sunday belongs to the week before, Monday 00:00 Beijing starts one", () => {
    const sunday = new Date("2026-11-29T10:00:00Z"); // Sunday 18:00 Beijing
    expect(iso(sunday, "WEEK")).toBe("2026-11-22T16:00:00.000Z"); // Monday Nov 23 00:00 Beijing
    const mondayMidnight = new Date("2026-11-29T16:00:00Z"); // still Sunday in UTC
    expect(iso(mondayMidnight, "WEEK")).toBe("2026-11-29T16:00:00.000Z");
    expect(iso(mondayMidnight, "DAY")).toBe("2026-11-29T16:00:00.000Z");
  });

  it("crosses the year: New Year's Day 2027 (a Friday) in Beijing, still 2026 in UTC", () => {
    const newYear = new Date("2026-12-31T16:30:00Z");
    expect(iso(newYear, "DAY")).toBe("2026-12-31T16:00:00.000Z");
    expect(iso(newYear, "WEEK")).toBe("2026-12-27T16:00:00.000Z"); // Monday Dec 28 Beijing
    expect(iso(newYear, "MONTH")).toBe("2026-12-31T16:00:00.000Z");
  });

  it("is at or before the instant, within the period's length, and a fixed point", () => {
    const samples = [
      "2026-11-30T17:00:00Z",
      "2027-03-01T03:00:00Z",
      "2024-02-29T20:00:00Z",
      "2026-06-15T23:59:59Z",
    ];
    const longest = { DAY: 1, WEEK: 7, MONTH: 31 } as const;
    for (const text of samples) {
      const instant = new Date(text);
      for (const period of ["DAY", "WEEK", "MONTH"] as const) {
        const start = beijingPeriodStart(instant, period);
        expect(start.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(instant.getTime() - start.getTime()).toBeLessThan(longest[period] * 24 * 60 * 60 * 1000);
        expect(beijingPeriodStart(start, period).getTime()).toBe(start.getTime());
        expect(beijingTime(start).slice(11)).toBe("00:00:00"); // midnight in Beijing
      }
    }
  });
});
