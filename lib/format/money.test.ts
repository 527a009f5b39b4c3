import { describe, expect, it } from "vitest";
import { fenToYuanInput, formatFen, parseYuanInput } from "./money";

describe("formatFen", () => {
  it.each([
    [0, "¥0.00"],
    [1, "¥0.01"],
    [20, "¥0.20"],
    [123456, "¥1,234.56"],
    [100000000000, "¥1,000,000,000.00"],
    [-150, "-¥1.50"],
  ])("%i fen → %s", (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it("formats bigint amounts beyond Number's safe range", () => {
    expect(formatFen(123456789012345678n)).toBe("¥1,234,567,890,123,456.78");
  });

  it("refuses fractional fen: money is never a float", () => {
    expect(() => formatFen(1.5)).toThrow(TypeError);
  });
});

describe("parseYuanInput", () => {
  it.each([
    ["12", 1200],
    ["12.3", 1230],
    ["12.34", 1234],
    ["0.20", 20],
    [" ¥1,234.56 ", 123456],
    ["0", 0],
  ])("%j → %i fen", (input, fen) => {
    expect(parseYuanInput(input)).toBe(fen);
  });

  it.each(["", "abc", "1.234", "-1", "1e3", "12.", ".5", "¥", "1,2,3.4.5"])("refuses %j", (input) => {
    expect(parseYuanInput(input)).toBeNull();
  });

  it("avoids binary floating point errors (0.29 yuan is 29 fen, not 28.999…)", () => {
    expect(parseYuanInput("0.29")).toBe(29);
    expect(parseYuanInput("1.15")).toBe(115);
  });

  it("round-trips through fenToYuanInput", () => {
    for (const fen of [0, 1, 29, 115, 123456]) expect(parseYuanInput(fenToYuanInput(fen))).toBe(fen);
  });
});
