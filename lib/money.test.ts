import { describe, expect, it } from "vitest";
import { decimalToFen, fenToDecimal } from "./money";

describe("the money core", () => {
  it.each([
    [0, "0.00"],
    [1, "0.01"],
    [-5, "-0.05"],
    [123_456, "1234.56"],
    [Number.MAX_SAFE_INTEGER, "90071992547409.91"],
  ])("%i fen → %s", (fen, text) => {
    expect(fenToDecimal(fen)).toBe(text);
    expect(fenToDecimal(BigInt(fen))).toBe(text);
  });

  it("reads decimal yuan exactly, never through a float", () => {
    expect(decimalToFen("0.1")).toBe(10);
    expect(decimalToFen("0.29")).toBe(29); // 0.29 * 100 in floating point is 28.999999999999996
    expect(decimalToFen("12")).toBe(1200);
    expect(decimalToFen("999999999999.99")).toBe(99_999_999_999_999);
  });

  it("refuses signs, extra decimals, exponents, separators and oversized amounts", () => {
    for (const bad of ["", "-1", "+1", "1.234", "1e5", "1,000", " 1", ".5", "1.", "1234567890123"])
      expect(decimalToFen(bad), bad).toBeNull();
    expect(() => fenToDecimal(1.5)).toThrow(TypeError);
    expect(() => fenToDecimal(Number.NaN)).toThrow(TypeError);
  });
});
