import "server-only";
import { db } from "@/lib/db";

export type RateDecision = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

/**
 * Counts one request of an API key in its current minute and says whether it is within the key's rate. The
 * count lives in PostgreSQL (RateWindow `api-key:<id>`), so every web process shares it, and the window is
 * read off the database's clock, so processes with drifting clocks agree. ONE statement: no read-then-write,
 * so concurrent requests cannot both take the last slot. Fixed one-minute windows: a burst may straddle two.
 */
export async function countApiRequest(keyId: string, limit: number): Promise<RateDecision> {
  const rows = await db.$queryRaw<{ used: number; resetSeconds: number }[]>`
    WITH now AS (SELECT floor(extract(epoch FROM clock_timestamp()))::bigint AS s)
    INSERT INTO "RateWindow" (key, "windowStart", used)
    SELECT ${`api-key:${keyId}`}, (s / 60) * 60, 1 FROM now
    ON CONFLICT (key) DO UPDATE
       SET used = CASE WHEN "RateWindow"."windowStart" >= EXCLUDED."windowStart" THEN "RateWindow".used + 1 ELSE 1 END,
           "windowStart" = GREATEST("RateWindow"."windowStart", EXCLUDED."windowStart")
    RETURNING used, ("windowStart" + 60 - (SELECT s FROM now))::int AS "resetSeconds"`;
  const used = Number(rows[0]?.used ?? 1);
  const resetSeconds = Math.max(1, Number(rows[0]?.resetSeconds ?? 60));
  return { allowed: used <= limit, limit, remaining: Math.max(0, limit - used), resetSeconds };
}
