import { describe, expect, it } from "vitest";
import { isBudgetLow } from "./figures";

describe("isBudgetLow", () => {
  it("is true below a tenth of the budget, in whole fen", () => {
    expect(isBudgetLow(1_000, 10_000)).toBe(false); // exactly 10 %
    expect(isBudgetLow(999, 10_000)).toBe(true);
    expect(isBudgetLow(0, 10_000)).toBe(true);
    expect(isBudgetLow(10_000, 10_000)).toBe(false);
    // 10 fen of 101: 10 × 10 = 100 < 101. Integers only, no share computed in floating point.
    expect(isBudgetLow(10, 101)).toBe(true);
    expect(isBudgetLow(11, 101)).toBe(false);
  });
});
