/**
 * Money inside the simulator is integer fen. Yuan strings ("12.34") exist only at the wire edge, and are parsed
 * as text so that no float ever touches an amount.
 */

const YUAN = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/;

/** "12.34" → 1234, "5" → 500, "0.5" → 50. Returns null for anything that is not a plain non-negative amount. */
export function yuanToFen(yuan: string): number | null {
  const match = YUAN.exec(yuan);
  if (!match) return null;
  const whole = match[1] ?? "0";
  const fraction = (match[2] ?? "").padEnd(2, "0");
  const fen = Number(whole) * 100 + Number(fraction);
  return Number.isSafeInteger(fen) ? fen : null;
}

/** 1234 → "12.34" (always two decimals, as Alipay answers). */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new TypeError(`Money must be an integer number of fen, got ${fen}`);
  const negative = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, "0");
  return `${negative ? "-" : ""}${yuan}.${cents}`;
}

/** 123456 → "¥1,234.56", for the cashier pages. */
export function formatYuanForPeople(fen: number): string {
  const [whole = "0", cents = "00"] = fenToYuan(fen).split(".");
  return `¥${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}
