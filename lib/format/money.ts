/**
 * The one money formatter for people: integer fen in, `¥1,234.56` out. Pure integer arithmetic, never floats.
 * (Alipay's yuan strings are produced only inside lib/alipay.)
 */

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function formatFen(fen: number | bigint): string {
  const value = typeof fen === "bigint" ? fen : BigInt(assertInteger(fen));
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const yuan = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}¥${groupThousands(yuan.toString())}.${cents}`;
}

/** Same digits without the currency sign or grouping, for form inputs: 123456 → "1234.56". */
export function fenToYuanInput(fen: number): string {
  const value = BigInt(assertInteger(fen));
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

const YUAN_INPUT = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

/**
 * Parses what a person typed as a yuan amount ("1,234.5", "¥12", " 0.20 ") into integer fen.
 * Returns null when it is not a non-negative amount with at most two decimals.
 */
export function parseYuanInput(input: string): number | null {
  const cleaned = input.trim().replace(/^¥/, "").replace(/,/g, "").trim();
  const match = YUAN_INPUT.exec(cleaned);
  if (!match) return null;
  const whole = match[1] ?? "0";
  const fraction = (match[2] ?? "").padEnd(2, "0");
  const fen = BigInt(whole) * 100n + BigInt(fraction);
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(fen);
}

function assertInteger(fen: number): number {
  if (!Number.isSafeInteger(fen)) throw new TypeError(`Money must be an integer number of fen, got ${fen}`);
  return fen;
}
