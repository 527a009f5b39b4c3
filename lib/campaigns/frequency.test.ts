import { describe, expect, it } from "vitest";
import { buildFrequency, isValidFrequency, parseFrequency } from "./frequency";

describe("send_freqency strings", () => {
  it.each([
    [{ lifetime: 1, period: null, periodLimit: null }, "L1"],
    [{ lifetime: 100, period: null, periodLimit: null }, "L100"],
    [{ lifetime: 10, period: "DAY", periodLimit: 3 }, "D3|L10"],
    [{ lifetime: 5, period: "WEEK", periodLimit: 5 }, "W5|L5"],
    [{ lifetime: 12, period: "MONTH", periodLimit: 1 }, "M1|L12"],
  ] as const)("builds %j as %s and parses it back", (frequency, text) => {
    expect(buildFrequency(frequency)).toBe(text);
    expect(parseFrequency(text)).toEqual(frequency);
  });

  it("accepts the parts in either order", () => {
    expect(parseFrequency("L10|D3")).toEqual({ lifetime: 10, period: "DAY", periodLimit: 3 });
  });

  it.each([
    ["", "empty"],
    ["D3", "no lifetime limit"],
    ["L0", "lifetime below 1"],
    ["L101", "lifetime above 100"],
    ["D11|L10", "period limit above lifetime"],
    ["D1|W1|L10", "two periods"],
    ["L1|L2", "two lifetimes"],
    ["D0|L10", "period limit below 1"],
    ["X3|L10", "unknown period"],
    ["D3 |L10", "spaces"],
    ["d3|l10", "lower case"],
  ])("refuses %j (%s)", (text) => {
    expect(parseFrequency(text)).toBeNull();
  });

  it("refuses to build what Alipay would refuse", () => {
    expect(isValidFrequency({ lifetime: 101, period: null, periodLimit: null })).toBe(false);
    expect(() => buildFrequency({ lifetime: 3, period: "DAY", periodLimit: 4 })).toThrow(RangeError);
  });
});
