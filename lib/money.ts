/**
 * The money core: integer fen ↔ decimal yuan text ("1234.56"), exact (BigInt or integer arithmetic, never a
 * float). Everything that turns money into text or text into money builds on these two functions: the display
 * formatter and form parser for people (lib/format/money.ts) and the yuan strings of Alipay's wire format
 * (lib/alipay/money.ts). Pure: safe in client components. See docs/decisions/002-money-in-fen.md.
 */

const DECIMAL_YUAN = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

/** 123456 → "1234.56", -5 → "-0.05". Throws for anything but a safe integer. */
export function fenToDecimal(fen: number | bigint): string {
  if (typeof fen === "number" && !Number.isSafeInteger(fen))
    throw new TypeError(`Money must be an integer number of fen, got ${fen}`);
  const value = BigInt(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/** "1234.56" / "12.3" / "12" → fen; null for anything else (no sign, at most two decimals, ≤ 12 digits). */
export function decimalToFen(text: string): number | null {
  const match = DECIMAL_YUAN.exec(text);
  if (!match) return null;
  const fen = BigInt(match[1] ?? "0") * 100n + BigInt((match[2] ?? "").padEnd(2, "0"));
  return fen > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(fen);
}
