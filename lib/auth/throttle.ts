/**
 * Login throttling rules (pure; the login service feeds them attempt times from the database).
 * After 5 failed attempts for one account, or 20 from one IP, within 15 minutes, further attempts are refused
 * for 15 minutes. Refused attempts are recorded but do not extend the lock.
 */

export const THROTTLE = {
  accountMaxFailures: 5,
  ipMaxFailures: 20,
  windowMs: 15 * 60 * 1000,
  lockMs: 15 * 60 * 1000,
} as const;

/** How far back failures can still matter: a window that ended just before a lock that has not expired yet. */
export const THROTTLE_LOOKBACK_MS = THROTTLE.windowMs + THROTTLE.lockMs;

/**
 * When the lock caused by these failures ends, or null when not locked at `now`.
 * A lock starts at the failure that completes `maxFailures` failures within `windowMs`, and lasts `lockMs`.
 */
export function lockedUntil(failures: readonly Date[], maxFailures: number, now: Date): Date | null {
  const times = failures.map((f) => f.getTime()).sort((a, b) => a - b);
  let until: number | null = null;
  for (let i = maxFailures - 1; i < times.length; i++) {
    const first = times[i - maxFailures + 1];
    const last = times[i];
    if (first === undefined || last === undefined) continue;
    if (last - first <= THROTTLE.windowMs) {
      const end = last + THROTTLE.lockMs;
      if (end > now.getTime() && (until === null || end > until)) until = end;
    }
  }
  return until === null ? null : new Date(until);
}

export function evaluateThrottle(input: {
  accountFailures: readonly Date[];
  ipFailures: readonly Date[];
  now: Date;
}): { locked: false } | { locked: true; until: Date; scope: "account" | "ip" } {
  const account = lockedUntil(input.accountFailures, THROTTLE.accountMaxFailures, input.now);
  const ip = lockedUntil(input.ipFailures, THROTTLE.ipMaxFailures, input.now);
  if (!account && !ip) return { locked: false };
  if (account && (!ip || account >= ip)) return { locked: true, until: account, scope: "account" };
  return { locked: true, until: ip as Date, scope: "ip" };
}

/** Whole minutes until `until`, at least 1, for the message shown to the person. */
export function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}
