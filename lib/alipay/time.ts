import "server-only";

/**
 * Alipay reads and writes local Beijing time (UTC+8, no daylight saving) as `yyyy-MM-dd HH:mm:ss`, whatever
 * the server's time zone. alipay-sdk formats the request `timestamp` in the process's zone, so the client sends
 * its own (docs/decisions/010-alipay-client-and-simulator.md).
 */

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

export function beijingTime(date: Date): string {
  return new Date(date.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}

/** `2026-11-21 20:15:00` (Beijing) → the UTC instant; null when not in that format. */
export function parseBeijingTime(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS;
  const date = new Date(utc);
  return beijingTime(date) === text.trim() ? date : null; // rejects 2026-02-30 and the like
}
