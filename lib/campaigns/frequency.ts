/**
 * Per-user frequency limits in Alipay's `send_freqency` grammar (REFERENCE.md §2.2): a lifetime limit `L<n>`
 * (1–100, always present) and at most one of `D<n>` / `W<n>` / `M<n>` (per day / week / month, ≤ the lifetime
 * limit), joined by `|`, e.g. `D3|L10`. Pure: used by the campaign form (live preview) and the server.
 */

import { FREQUENCY_PERIODS, type FrequencyPeriod } from "@/lib/enums";

export { FREQUENCY_PERIODS };
export type FrequencyPeriodName = FrequencyPeriod;

export type Frequency = {
  lifetime: number;
  period: FrequencyPeriodName | null;
  periodLimit: number | null;
};

export const LIFETIME_MAX = 100;

const LETTER: Record<FrequencyPeriodName, string> = { DAY: "D", WEEK: "W", MONTH: "M" };
const PERIOD: Record<string, FrequencyPeriodName> = { D: "DAY", W: "WEEK", M: "MONTH" };

export function isValidFrequency(f: Frequency): boolean {
  const lifetimeOk = Number.isInteger(f.lifetime) && f.lifetime >= 1 && f.lifetime <= LIFETIME_MAX;
  if (!lifetimeOk) return false;
  if (f.period === null) return f.periodLimit === null;
  return (
    f.periodLimit !== null &&
    Number.isInteger(f.periodLimit) &&
    f.periodLimit >= 1 &&
    f.periodLimit <= f.lifetime
  );
}

export function buildFrequency(f: Frequency): string {
  if (!isValidFrequency(f)) throw new RangeError(`invalid frequency ${JSON.stringify(f)}`);
  const lifetime = `L${f.lifetime}`;
  return f.period ? `${LETTER[f.period]}${f.periodLimit}|${lifetime}` : lifetime;
}

/** Reads an Alipay frequency string; null when it breaks the grammar or the limits. */
export function parseFrequency(text: string): Frequency | null {
  const parts = text.split("|");
  if (parts.length < 1 || parts.length > 2) return null;
  let lifetime: number | null = null;
  let period: FrequencyPeriodName | null = null;
  let periodLimit: number | null = null;
  for (const part of parts) {
    const match = /^([LDWM])([1-9]\d{0,2})$/.exec(part);
    if (!match) return null;
    const [, letter, digits] = match;
    if (letter === "L") {
      if (lifetime !== null) return null;
      lifetime = Number(digits);
    } else {
      if (period !== null) return null;
      period = PERIOD[letter ?? ""] ?? null;
      periodLimit = Number(digits);
    }
  }
  if (lifetime === null) return null;
  const frequency = { lifetime, period, periodLimit };
  return isValidFrequency(frequency) ? frequency : null;
}
