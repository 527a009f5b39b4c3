import { describe, expect, it } from "vitest";
import { fenToYuan, yuanToFen } from "./money";
import { beijingTime, parseBeijingTime } from "./time";

describe("money at the Alipay edge", () => {
  it.each([
    [0, "0.00"],
    [1, "0.01"],
    [20, "0.20"],
    [1234, "12.34"],
    [1_000_000_000, "10000000.00"],
  ])("%i fen ↔ %s", (fen, yuan) => {
    expect(fenToYuan(fen)).toBe(yuan);
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it("reads what Alipay may send", () => {
    expect(yuanToFen("12.3")).toBe(1230);
    expect(yuanToFen("12")).toBe(1200);
    expect(yuanToFen(20000)).toBe(2_000_000); // a number, as one third-party SDK models total_amount
  });

  it("refuses what is not an amount, and fractional or negative fen", () => {
    for (const bad of ["", "1.234", "-1.00", "abc", "1e5"]) expect(yuanToFen(bad)).toBeNull();
    expect(() => fenToYuan(1.5)).toThrow(TypeError);
    expect(() => fenToYuan(-1)).toThrow(TypeError);
  });
});

describe("Beijing time at the Alipay edge", () => {
  it("formats any instant in UTC+8, whatever the process's zone", () => {
    expect(beijingTime(new Date("2026-11-21T16:05:09Z"))).toBe("2026-11-22 00:05:09");
  });

  it("parses Alipay times as Beijing time", () => {
    expect(parseBeijingTime("2026-11-22 00:05:09")?.toISOString()).toBe("2026-11-21T16:05:09.000Z");
  });

  it("refuses impossible or malformed times", () => {
    expect(parseBeijingTime("2026-02-30 10:00:00")).toBeNull();
    expect(parseBeijingTime("2026-11-22T00:05:09")).toBeNull();
  });
});
