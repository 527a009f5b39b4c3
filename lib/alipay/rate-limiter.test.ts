import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limiter";

/** A fake clock: sleeping advances it, so the schedule can be read exactly (no wall-clock timing). */
function fakeTime() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => (now += ms),
    sleeps,
  };
}

describe("RateLimiter", () => {
  it("spaces calls at 1/qps seconds", async () => {
    const t = fakeTime();
    const limiter = new RateLimiter(10, t.clock, t.sleep);
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      await limiter.acquire();
      starts.push(t.clock());
    }
    expect(starts.map((s) => s - starts[0]!)).toEqual([0, 100, 200, 300, 400]);
  });

  it("backs off exponentially after 20000/40005 and recovers", async () => {
    const t = fakeTime();
    const limiter = new RateLimiter(1000, t.clock, t.sleep);
    limiter.backOff();
    expect(limiter.pausedForMs).toBe(200);
    limiter.backOff();
    expect(limiter.pausedForMs).toBe(400);
    for (let i = 0; i < 10; i++) limiter.backOff();
    expect(limiter.pausedForMs).toBe(5000);
    await limiter.acquire();
    expect(t.sleeps.at(-1)).toBe(5000);
    limiter.recover();
    limiter.backOff();
    expect(limiter.pausedForMs).toBe(200);
  });
});
