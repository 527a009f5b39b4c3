/**
 * The one date formatter: `2026-11-21 20:15` (or with seconds) in the display time zone, the same text on the
 * server and in the browser so hydration never disagrees. Stored times are UTC.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string, withSeconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withSeconds}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: withSeconds ? "2-digit" : undefined,
      hourCycle: "h23",
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

function parts(date: Date, timeZone: string, withSeconds: boolean): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of formatterFor(timeZone, withSeconds).formatToParts(date)) result[part.type] = part.value;
  return result;
}

export function formatDateTime(
  value: Date | string | number,
  timeZone: string,
  options: { seconds?: boolean } = {},
): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  const p = parts(date, timeZone, options.seconds ?? false);
  const time = options.seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
  return `${p.year}-${p.month}-${p.day} ${time}`;
}

export function formatDate(value: Date | string | number, timeZone: string): string {
  return formatDateTime(value, timeZone).slice(0, 10);
}

/**
 * The UTC instant at which a calendar day (`YYYY-MM-DD`) starts in `timeZone`; used for date-range filters.
 * Works for zones with any fixed or DST offset by measuring the zone's offset at that day.
 */
export function startOfDayInZone(day: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [, y, m, d] = match;
  const utcGuess = Date.UTC(Number(y), Number(m) - 1, Number(d));
  if (Number.isNaN(utcGuess)) return null;
  const p = parts(new Date(utcGuess), timeZone, true);
  const asIfUtc = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  const offset = asIfUtc - utcGuess;
  return new Date(utcGuess - offset);
}

/**
 * A wall-clock time typed by a person in `timeZone` ("2026-11-22T10:30", as <input type="datetime-local">
 * gives it) → the UTC instant. Null when malformed or not a real time.
 */
export function parseZonedDateTime(local: string, timeZone: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!match) return null;
  const [, day, hour, minute, second] = match;
  const midnight = startOfDayInZone(day ?? "", timeZone);
  if (!midnight || Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return null;
  const guess = new Date(
    midnight.getTime() + ((Number(hour) * 60 + Number(minute)) * 60 + Number(second ?? 0)) * 1000,
  );
  // Across a daylight-saving change the offset at midnight differs; correct by what the zone shows.
  const shown = formatDateTime(guess, timeZone, { seconds: true });
  const wanted = `${day} ${hour}:${minute}:${second ?? "00"}`;
  if (shown === wanted) return guess;
  const drift = Date.parse(`${shown.replace(" ", "T")}Z`) - Date.parse(`${wanted.replace(" ", "T")}Z`);
  const corrected = new Date(guess.getTime() - drift);
  return formatDateTime(corrected, timeZone, { seconds: true }) === wanted ? corrected : null;
}

/** The inverse, for prefilling <input type="datetime-local">: "2026-11-22T10:30". */
export function toZonedInputValue(value: Date | string, timeZone: string): string {
  return formatDateTime(value, timeZone).replace(" ", "T");
}
