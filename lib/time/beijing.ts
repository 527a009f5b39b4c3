/**
 * Beijing time (UTC+8 all year, no daylight saving): Alipay's clock. Alipay reads and writes local Beijing
 * times as `yyyy-MM-dd HH:mm:ss` and counts a campaign's six months on Beijing's calendar, whatever the
 * server's or the browser's time zone. Pure: used by lib/alipay on the server and by the campaign form's
 * schema in the browser.
 */

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/** `2026-11-22 00:05:09` for the instant 2026-11-21T16:05:09Z. */
export function beijingTime(date: Date): string {
  return new Date(date.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}

/** `2026-11-21 20:15:00` (Beijing) → the UTC instant; null when not in that format or not a real time. */
export function parseBeijingTime(text: string): Date | null {
  const trimmed = text.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(trimmed);
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
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS);
  return beijingTime(date) === trimmed ? date : null; // Date.UTC rolls 2026-02-30 over to March: refuse it
}

/**
 * `date` plus `months` calendar months on Beijing's calendar, clamped to the month's last day
 * (Aug 31 + 6 months = Feb 28/29), as Alipay counts a campaign's maximum span.
 */
export function addBeijingMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime() + BEIJING_OFFSET_MS);
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return new Date(result.getTime() - BEIJING_OFFSET_MS);
}

/** `2026-11-22`: the Beijing calendar day of an instant (the approval policy's "today"). */
export function beijingDay(date: Date): string {
  return beijingTime(date).slice(0, 10);
}

/**
 * The instant the Beijing day, week (from Monday) or month containing `date` began: per-user frequency limits
 * count packets in the current period as Alipay does.
 */
export function beijingPeriodStart(date: Date, period: "DAY" | "WEEK" | "MONTH"): Date {
  const local = new Date(date.getTime() + BEIJING_OFFSET_MS);
  local.setUTCHours(0, 0, 0, 0);
  if (period === "WEEK") local.setUTCDate(local.getUTCDate() - ((local.getUTCDay() + 6) % 7));
  if (period === "MONTH") local.setUTCDate(1);
  return new Date(local.getTime() - BEIJING_OFFSET_MS);
}
