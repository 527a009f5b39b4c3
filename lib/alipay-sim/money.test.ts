import { describe, expect, it } from "vitest";
import { fenToYuan, formatYuanForPeople, yuanToFen } from "./money";

describe("money at the wire edge", () => {
  it.each([
    ["12.34", 1234],
    ["5", 500],
    ["0.5", 50],
    ["0.01", 1],
    ["100000000.00", 10_000_000_000],
    ["0", 0],
  ])("parses %s as %i fen", (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it.each(["", "1.234", "-1.00", "01.00", "1,000.00", " 1.00", "1e3", "0x10", "1.", ".5"])(
    "rejects %j",
    (yuan) => {
      expect(yuanToFen(yuan)).toBeNull();
    },
  );

  it("formats fen as two-decimal yuan without floating point drift", () => {
    expect(fenToYuan(1)).toBe("0.01");
    expect(fenToYuan(10_000_000_000)).toBe("100000000.00");
    expect(fenToYuan(-250)).toBe("-2.50");
    // 0.1 + 0.2 style drift cannot happen: the round trip is exact for every cent value.
    for (let fen = 0; fen < 1000; fen++) expect(yuanToFen(fenToYuan(fen))).toBe(fen);
    expect(() => fenToYuan(1.5)).toThrow(TypeError);
    expect(formatYuanForPeople(123_456_789)).toBe("¥1,234,567.89");
  });
});
