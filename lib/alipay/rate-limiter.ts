import "server-only";

/**
 * Spaces calls out so one process never exceeds ALIPAY_MAX_QPS, and pauses everyone after Alipay says it is
 * overloaded (20000) or limiting us (40005): 200 ms doubling up to 5 s, reset by the next clean answer.
 */
export class RateLimiter {
  private nextSlot = 0;
  private pausedUntil = 0;
  private penalties = 0;

  constructor(
    private readonly qps: number,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Waits for this caller's turn. Slots are handed out in call order. */
  async acquire(): Promise<void> {
    const now = this.clock();
    const slot = Math.max(now, this.nextSlot, this.pausedUntil);
    this.nextSlot = slot + 1000 / this.qps;
    if (slot > now) await this.sleep(slot - now);
  }

  backOff(): void {
    const delay = Math.min(5000, 200 * 2 ** this.penalties);
    this.penalties += 1;
    this.pausedUntil = Math.max(this.pausedUntil, this.clock() + delay);
  }

  recover(): void {
    this.penalties = 0;
  }

  /** Current pause, for logs and tests. */
  get pausedForMs(): number {
    return Math.max(0, this.pausedUntil - this.clock());
  }
}
