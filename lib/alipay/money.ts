import "server-only";

/**
 * Alipay's wire format for money is a yuan string with two decimals ("12.34"). These two functions are the only
 * place it is produced or read; everywhere else money is integer fen (docs/decisions/002-money-in-fen.md).
 */

export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0)
    throw new TypeError(`fen must be a non-negative integer, got ${fen}`);
  const yuan = Math.trunc(fen / 100);
  const cents = fen % 100;
  return `${yuan}.${String(cents).padStart(2, "0")}`;
}

/** "12.34" / "12.3" / "12" → 1234 / 1230 / 1200; null for anything else (never a float on the way). */
export function yuanToFen(value: string | number): number | null {
  const text = typeof value === "number" ? String(value) : value.trim();
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}
