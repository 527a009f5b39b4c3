import "server-only";
import { decimalToFen, fenToDecimal } from "@/lib/money";

/**
 * Alipay's wire format for money is a yuan string with two decimals ("12.34"). These two functions are the only
 * place it is produced or read (on the one money core, lib/money.ts); everywhere else money is integer fen.
 */

export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0)
    throw new TypeError(`fen must be a non-negative integer, got ${fen}`);
  return fenToDecimal(fen);
}

/** "12.34" / "12.3" / "12" (or the number 12.34, as some SDKs model amounts) → fen; null for anything else. */
export function yuanToFen(value: string | number): number | null {
  return decimalToFen(typeof value === "number" ? String(value) : value.trim());
}
