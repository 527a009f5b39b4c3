/**
 * The one money formatter for people: integer fen in, `¥1,234.56` out, and the parser of amounts people type.
 * Built on the money core (lib/money.ts): exact integer arithmetic, never floats. (Alipay's yuan strings are
 * produced only inside lib/alipay.)
 */
import { decimalToFen, fenToDecimal } from "@/lib/money";

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function formatFen(fen: number | bigint): string {
  const decimal = fenToDecimal(fen);
  const negative = decimal.startsWith("-");
  const [yuan = "0", cents = "00"] = (negative ? decimal.slice(1) : decimal).split(".");
  return `${negative ? "-" : ""}¥${groupThousands(yuan)}.${cents}`;
}

/** Same digits without the currency sign or grouping, for form inputs: 123456 → "1234.56". */
export function fenToYuanInput(fen: number): string {
  return fenToDecimal(fen);
}

/**
 * Parses what a person typed as a yuan amount ("1,234.5", "¥12", " 0.20 ") into integer fen.
 * Returns null when it is not a non-negative amount with at most two decimals.
 */
export function parseYuanInput(input: string): number | null {
  return decimalToFen(input.trim().replace(/^¥/, "").replace(/,/g, "").trim());
}
