import { describe, expect, it } from "vitest";
import { retryDelayMs, type RetryPolicy } from "./record-outcome";

const policy: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 30_000, maxAttempts: 12 };
const middle = () => 0.5; // no jitter: 0.8 + 0.4 × 0.5 = 1

describe("retryDelayMs", () => {
  it("doubles per attempt from the base delay", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(policy, attempt, middle))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000,
    ]);
  });

  it("treats attempt 0 (or less) like the first", () => {
    expect(retryDelayMs(policy, 0, middle)).toBe(1_000);
    expect(retryDelayMs(policy, -3, middle)).toBe(1_000);
  });

  it("stops growing at the cap, however many attempts", () => {
    expect(retryDelayMs(policy, 6, middle)).toBe(30_000); // 32 000 capped
    expect(retryDelayMs(policy, 50, middle)).toBe(30_000);
    expect(retryDelayMs(policy, 2_000, middle)).toBe(30_000); // 2 ** 1999 is Infinity: still the cap
  });

  it("jitters by ±20 %: the bounds at random() = 0 and just below 1", () => {
    expect(retryDelayMs(policy, 1, () => 0)).toBe(800);
    expect(retryDelayMs(policy, 1, () => 0.999_999)).toBe(1_200);
    expect(retryDelayMs(policy, 3, () => 0)).toBe(3_200);
    expect(retryDelayMs(policy, 3, () => 0.999_999)).toBe(4_800);
    expect(retryDelayMs(policy, 40, () => 0)).toBe(24_000);
    expect(retryDelayMs(policy, 40, () => 0.999_999)).toBe(36_000); // jitter applies after the cap
  });

  it("stays within the bounds for any random value and returns whole milliseconds", () => {
    let seed = 12_345;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let attempt = 1; attempt <= 12; attempt++) {
      const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i++) {
        const delay = retryDelayMs(policy, attempt, random);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(Math.round(nominal * 0.8));
        expect(delay).toBeLessThanOrEqual(Math.round(nominal * 1.2));
      }
    }
  });

  it("uses Math.random by default, within the same bounds", () => {
    for (let i = 0; i < 100; i++) {
      const delay = retryDelayMs({ baseDelayMs: 50, maxDelayMs: 400, maxAttempts: 20 }, 2);
      expect(delay).toBeGreaterThanOrEqual(80);
      expect(delay).toBeLessThanOrEqual(120);
    }
  });
});
