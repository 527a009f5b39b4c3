import "server-only";
import { db } from "@/lib/db";

/**
 * ALIPAY_MAX_QPS across every process that calls Alipay (web servers and workers): the calls of each second are
 * counted in one PostgreSQL row (RateWindow) on the database's clock. A process takes tokens in chunks — one
 * guarded statement per chunk, not per call — and spends them before that second ends; unused tokens lapse.
 */
export class SharedRateLimiter {
  private tokens = 0;
  /** Local time at which the tokens' second ends. */
  private validUntil = 0;
  /** The chunk being taken, resolving to how many tokens it granted. */
  private refill: Promise<number> | null = null;
  private ready: Promise<void> | null = null;
  private readonly chunk: number;

  constructor(
    private readonly maxQps: number,
    private readonly key = "alipay",
  ) {
    this.chunk = Math.max(1, Math.ceil(maxQps / 8));
  }

  async acquire(): Promise<void> {
    for (;;) {
      if (this.tokens > 0 && Date.now() < this.validUntil) {
        this.tokens -= 1;
        return;
      }
      this.refill ??= this.take().finally(() => (this.refill = null));
      // Wait for the next second only when this second's tokens are gone for every process (nothing granted).
      // Tokens granted but spent by the callers woken first are not that: take another chunk of this second.
      if ((await this.refill) === 0) await sleep(Math.max(5, this.validUntil - Date.now() + 5));
    }
  }

  /** One chunk of this second's tokens, or none when the processes together used them all; how many it got. */
  private async take(): Promise<number> {
    this.ready ??= db.$executeRaw`
      INSERT INTO "RateWindow" (key, "windowStart", used) VALUES (${this.key}, -1, 0) ON CONFLICT (key) DO NOTHING`.then(
      () => undefined,
    );
    await this.ready;
    const asked = Date.now();
    const [row] = await db.$queryRaw<{ granted: number; msLeft: number }[]>`
      WITH now_ AS (SELECT extract(epoch FROM clock_timestamp()) AS t),
      cur AS (SELECT "windowStart", used FROM "RateWindow" WHERE key = ${this.key} FOR UPDATE),
      g AS (
        SELECT floor(now_.t)::bigint AS s,
               (1000 - floor((now_.t - floor(now_.t)) * 1000))::int AS "msLeft",
               CASE WHEN cur."windowStart" = floor(now_.t)::bigint
                    THEN GREATEST(0, LEAST(${this.chunk}::int, ${this.maxQps}::int - cur.used))
                    ELSE LEAST(${this.chunk}::int, ${this.maxQps}::int) END AS granted,
               cur."windowStart" = floor(now_.t)::bigint AS same
          FROM cur, now_
      )
      UPDATE "RateWindow" r
         SET "windowStart" = g.s, used = CASE WHEN g.same THEN r.used + g.granted ELSE g.granted END
        FROM g
       WHERE r.key = ${this.key}
   RETURNING g.granted, g."msLeft"`;
    this.tokens = row ? Number(row.granted) : 0;
    this.validUntil = asked + (row ? Number(row.msLeft) : 100);
    return this.tokens;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
