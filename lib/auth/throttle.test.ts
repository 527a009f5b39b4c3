import { describe, expect, it } from "vitest";
import { evaluateThrottle, lockedUntil, minutesUntil, THROTTLE } from "./throttle";

const T0 = new Date("2026-11-21T10:00:00Z").getTime();
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const times = (...minutes: number[]) => minutes.map(at);

describe("lockedUntil", () => {
  it("does not lock after 4 failures", () => {
    expect(lockedUntil(times(0, 1, 2, 3), 5, at(4))).toBeNull();
  });

  it("locks for 15 minutes from the 5th failure within 15 minutes", () => {
    expect(lockedUntil(times(0, 1, 2, 3, 4), 5, at(5))).toEqual(at(19));
  });

  it("counts failures exactly 15 minutes apart as one window", () => {
    expect(lockedUntil(times(0, 5, 10, 14, 15), 5, at(15))).toEqual(at(30));
  });

  it("does not lock when the failures are spread over more than 15 minutes", () => {
    expect(lockedUntil(times(0, 4, 8, 12, 16), 5, at(16))).toBeNull();
  });

  it("ends the lock after 15 minutes", () => {
    const failures = times(0, 1, 2, 3, 4);
    expect(lockedUntil(failures, 5, at(18.9))).not.toBeNull();
    expect(lockedUntil(failures, 5, at(19))).toBeNull();
  });

  it("does not care about the order it is given the failures in", () => {
    expect(lockedUntil(times(4, 0, 3, 1, 2), 5, at(5))).toEqual(at(19));
  });
});

describe("evaluateThrottle", () => {
  it("locks an IP after 20 failures across accounts", () => {
    const ipFailures = Array.from({ length: THROTTLE.ipMaxFailures }, (_, i) => at(i * 0.5));
    const verdict = evaluateThrottle({ accountFailures: [], ipFailures, now: at(10) });
    expect(verdict).toEqual({ locked: true, until: at(9.5 + 15), scope: "ip" });
  });

  it("does not lock an IP after 19 failures", () => {
    const ipFailures = Array.from({ length: THROTTLE.ipMaxFailures - 1 }, (_, i) => at(i * 0.5));
    expect(evaluateThrottle({ accountFailures: [], ipFailures, now: at(10) })).toEqual({ locked: false });
  });

  it("reports the account lock", () => {
    const verdict = evaluateThrottle({ accountFailures: times(0, 1, 2, 3, 4), ipFailures: [], now: at(5) });
    expect(verdict).toEqual({ locked: true, until: at(19), scope: "account" });
  });
});

describe("minutesUntil", () => {
  it("rounds up and never says zero", () => {
    expect(minutesUntil(at(14.2), at(0))).toBe(15);
    expect(minutesUntil(at(0.01), at(0))).toBe(1);
    expect(minutesUntil(at(0), at(1))).toBe(1);
  });
});
