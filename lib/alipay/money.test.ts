import { describe, expect, it } from "vitest";
import { fenToYuan, yuanToFen } from "./money";

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
