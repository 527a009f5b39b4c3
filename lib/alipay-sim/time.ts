/**
 * Alipay speaks Beijing time (UTC+8, no daylight saving) on the wire: `yyyy-MM-dd HH:mm:ss`. Everything here is
 * pure arithmetic on epoch milliseconds so the host's time zone never matters.
 */

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** Beijing calendar fields of an instant (read through UTC getters after shifting, so the host zone is irrelevant). */
function beijingFields(ms: number) {
  const shifted = new Date(ms + BEIJING_OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    weekday: shifted.getUTCDay(),
  };
}

export function formatBeijing(ms: number): string {
  const f = beijingFields(ms);
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
}

/** Compact Beijing date-time `yyyyMMddHHmmss`, the prefix of Alipay's numeric order ids. */
export function compactBeijing(ms: number): string {
  return formatBeijing(ms).replace(/[- :]/g, "");
}

/** Strict parse of `yyyy-MM-dd HH:mm:ss` as Beijing time; rejects impossible dates such as 2026-02-30. */
export function parseBeijing(text: string): number | null {
  const match = TIMESTAMP.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - BEIJING_OFFSET_MS;
  // Date.UTC silently rolls 2026-02-30 over into March; a round trip exposes that.
  return formatBeijing(ms) === text ? ms : null;
}

/** Adds calendar months in Beijing time, clamping to the month's last day (Aug 31 + 6 months = Feb 28/29). */
export function addBeijingMonths(ms: number, months: number): number {
  const f = beijingFields(ms);
  const targetMonthIndex = f.month - 1 + months;
  const lastDay = new Date(Date.UTC(f.year, targetMonthIndex + 1, 0)).getUTCDate();
  const day = Math.min(f.day, lastDay);
  return Date.UTC(f.year, targetMonthIndex, day, f.hour, f.minute, f.second) - BEIJING_OFFSET_MS;
}

/** Keys of the Beijing day, ISO week (starting Monday) and month an instant falls in, for frequency limits. */
export function beijingPeriodKeys(ms: number): { day: string; week: string; month: string } {
  const f = beijingFields(ms);
  const daysSinceMonday = (f.weekday + 6) % 7;
  const monday = formatBeijing(ms - daysSinceMonday * DAY_MS).slice(0, 10);
  return {
    day: `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`,
    week: `W${monday}`,
    month: `${pad(f.year, 4)}-${pad(f.month)}`,
  };
}

/** Alipay's short durations (`pay_timeout`, `orderExpiredTime`): integer + m/h/d, e.g. `90m`, `1h`, `7d`. */
export function parseShortDuration(text: string): number | null {
  const match = /^([1-9]\d{0,5})([mhd])$/.exec(text);
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = match[2] === "m" ? MINUTE_MS : match[2] === "h" ? HOUR_MS : DAY_MS;
  return amount * unit;
}
