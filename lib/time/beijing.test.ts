import { describe, expect, it } from "vitest";
import { addBeijingMonths, beijingTime, parseBeijingTime } from "./beijing";

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
