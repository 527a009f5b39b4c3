import "server-only";
import { db } from "@/lib/db";
import { PAYOUT_STATUSES, RAILS } from "@/lib/enums";
import { workerLiveness } from "@/lib/jobs/heartbeat";
import { queueLag } from "@/lib/jobs/queue-lag";
import type { MetricFamily, MetricSample } from "./exposition";

/**
 * What /api/metrics reports (docs/operations.md → Metrics lists every name). Every query reads through an index
 * a range bounded by recent activity or by the rows still waiting, except the count of payouts by rail and status,
 * which reads the whole table and is refreshed at most every PAYOUT_COUNTS_MS; the whole set is computed at most
 * once per CACHE_MS per process, however many scrapers ask (measured at a million payouts: docs/benchmarks.md,
 * "Metrics scrape").
 */
export const CACHE_MS = 15_000;

/** Payments seen in the last this-many minutes make the dispatch rate. */
const RATE_WINDOWS_MINUTES = [5, 15] as const;
/** Requested → paid latency: over at most this many of the payouts paid in the last 15 minutes, newest first. */
const LATENCY_SAMPLE = 1000;
const LATENCY_QUANTILES = [0.5, 0.9, 0.99] as const;
/** How often the payouts by rail and status (a read of the whole table) are counted again. */
export const PAYOUT_COUNTS_MS = 5 * 60_000;
/** Statuses whose count and oldest payout's age are read on every collection: the backlog. */
const WAITING_STATUSES = ["PENDING_APPROVAL", "APPROVED", "SENDING", "UNKNOWN", "NEEDS_ATTENTION"] as const;

const MINUTE = 60_000;

function ageSeconds(since: Date | null, now: number): number {
  return since ? Math.max(0, Math.round((now - since.getTime()) / 1000)) : 0;
}

type RailStatusCount = { rail: string; status: string; n: number };

const globalForCounts = globalThis as unknown as {
  hongbaoPayoutCounts?: { at: number; rows: Promise<RailStatusCount[]> };
};

/**
 * Payouts by rail and status: a read of the whole table (~1 s at a million payouts on a busy 2-core machine), so
 * counted at most every PAYOUT_COUNTS_MS; `hongbao_payouts_waiting` has the backlog's counts fresh.
 */
async function payoutsByRailAndStatus(now: number): Promise<MetricSample[]> {
  let cached = globalForCounts.hongbaoPayoutCounts;
  if (!cached || now - cached.at >= PAYOUT_COUNTS_MS || now < cached.at) {
    // Counted per campaign first, then the few campaigns joined for their rail (not a join of every payout).
    const rows = db.$queryRaw<RailStatusCount[]>`
      SELECT c.rail::text AS rail, s.status::text AS status, SUM(s.n)::int AS n
        FROM (SELECT "campaignId", status, COUNT(*) AS n FROM "Payout" GROUP BY 1, 2) AS s
        JOIN "Campaign" c ON c.id = s."campaignId"
       GROUP BY 1, 2`;
    const entry = { at: now, rows };
    rows.catch(() => {
      if (globalForCounts.hongbaoPayoutCounts === entry) globalForCounts.hongbaoPayoutCounts = undefined;
    });
    globalForCounts.hongbaoPayoutCounts = cached = entry;
  }
  const found = new Map((await cached.rows).map((r) => [`${r.rail}/${r.status}`, r.n]));
  return RAILS.flatMap((rail) =>
    PAYOUT_STATUSES.map((status) => ({
      labels: { rail, status },
      value: found.get(`${rail}/${status}`) ?? 0,
    })),
  );
}

/** The backlog by status, fresh: counted from the (status, createdAt) index, whatever the table's size. */
async function waitingByStatus(): Promise<MetricSample[]> {
  const rows = await db.$queryRaw<{ status: string; n: number }[]>`
    SELECT status::text AS status, COUNT(*)::int AS n FROM "Payout"
     WHERE status = ANY(${[...WAITING_STATUSES]}::"PayoutStatus"[]) GROUP BY 1`;
  const found = new Map(rows.map((r) => [r.status, r.n]));
  return WAITING_STATUSES.map((status) => ({ labels: { status }, value: found.get(status) ?? 0 }));
}

async function oldestWaiting(now: number): Promise<MetricSample[]> {
  // One (status, createdAt) index probe per status.
  const rows = await db.$queryRaw<{ status: string; createdAt: Date }[]>`
    SELECT s.status::text AS status, o."createdAt"
      FROM unnest(${[...WAITING_STATUSES]}::text[]) AS s(status)
     CROSS JOIN LATERAL (
           SELECT p."createdAt" FROM "Payout" p
            WHERE p.status = s.status::"PayoutStatus" ORDER BY p."createdAt" LIMIT 1) AS o`;
  const found = new Map(rows.map((r) => [r.status, r.createdAt]));
  return WAITING_STATUSES.map((status) => ({
    labels: { status },
    value: ageSeconds(found.get(status) ?? null, now),
  }));
}

async function attentionReasons(): Promise<MetricSample[]> {
  const rows = await db.$queryRaw<{ reason: string; n: number }[]>`
    SELECT COALESCE("attentionReason", '') AS reason, COUNT(*)::int AS n
      FROM "Payout" WHERE status = 'NEEDS_ATTENTION' GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({ labels: { reason: r.reason }, value: r.n }));
}

async function dispatchRate(now: number): Promise<MetricSample[]> {
  const longest = Math.max(...RATE_WINDOWS_MINUTES);
  const [shortest] = RATE_WINDOWS_MINUTES;
  const [row] = await db.$queryRaw<{ short: number; long: number }[]>`
    SELECT (COUNT(*) FILTER (WHERE "startedAt" >= ${new Date(now - shortest * MINUTE)}))::int AS short,
           COUNT(*)::int AS long
      FROM "PayoutAttempt"
     WHERE outcome = 'OK' AND "startedAt" >= ${new Date(now - longest * MINUTE)}`;
  return [
    { labels: { window: `${shortest}m` }, value: (row?.short ?? 0) / shortest },
    { labels: { window: `${longest}m` }, value: (row?.long ?? 0) / longest },
  ];
}

async function paidLatency(now: number): Promise<{ quantiles: MetricSample[]; sampleSize: number }> {
  const [row] = await db.$queryRaw<{ q: number[] | null; n: number }[]>`
    SELECT percentile_cont(${[...LATENCY_QUANTILES]}::float8[]) WITHIN GROUP (
             ORDER BY EXTRACT(EPOCH FROM (p."succeededAt" - p."createdAt"))) AS q,
           COUNT(*)::int AS n
      FROM (SELECT DISTINCT a."payoutId"
              FROM (SELECT "payoutId" FROM "PayoutAttempt"
                     WHERE outcome = 'OK' AND "startedAt" >= ${new Date(now - 15 * MINUTE)}
                     ORDER BY "startedAt" DESC LIMIT ${LATENCY_SAMPLE}) AS a) AS recent
      JOIN "Payout" p ON p.id = recent."payoutId"
     WHERE p.status = 'SUCCEEDED' AND p."succeededAt" IS NOT NULL`;
  const values = row?.q ?? [];
  return {
    quantiles: LATENCY_QUANTILES.map((quantile, i) => ({
      labels: { quantile: String(quantile) },
      value: row && row.n > 0 ? Math.round((values[i] ?? 0) * 1000) / 1000 : 0,
    })),
    sampleSize: row?.n ?? 0,
  };
}

async function alipayErrors(now: number): Promise<MetricSample[]> {
  const rows = await db.$queryRaw<
    { method: string; outcome: string; code: string; subCode: string; n: number }[]
  >`
    SELECT COALESCE(method, '') AS method, outcome::text AS outcome, COALESCE(code, '') AS code,
           COALESCE("subCode", '') AS "subCode", COUNT(*)::int AS n
      FROM "PayoutAttempt"
     WHERE outcome IN ('REJECTED', 'UNKNOWN') AND "startedAt" >= ${new Date(now - 60 * MINUTE)}
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
  return rows.map((r) => ({
    labels: { method: r.method, outcome: r.outcome, code: r.code, sub_code: r.subCode },
    value: r.n,
  }));
}

async function webhookDeliveries(now: number): Promise<{ counts: MetricSample[]; oldestPending: number }> {
  const rows = await db.$queryRaw<{ status: string; n: number; oldest: Date | null }[]>`
    SELECT status::text AS status, COUNT(*)::int AS n, MIN("createdAt") AS oldest
      FROM "WebhookDelivery" WHERE status IN ('PENDING', 'FAILED') GROUP BY 1`;
  const found = new Map(rows.map((r) => [r.status, r]));
  return {
    counts: ["PENDING", "FAILED"].map((status) => ({ labels: { status }, value: found.get(status)?.n ?? 0 })),
    oldestPending: ageSeconds(found.get("PENDING")?.oldest ?? null, now),
  };
}

/**
 * Reads every figure (no cache): what `metrics()` caches. `now` places the time windows and ages of payouts,
 * attempts and deliveries (tests read "as of" a moment of their choosing); heartbeats and queue ages use the
 * database's clock.
 */
export async function collectMetrics(now: number = Date.now()): Promise<MetricFamily[]> {
  const started = performance.now();
  const took: MetricSample[] = [];
  const timed = async <T>(query: string, read: () => Promise<T>): Promise<T> => {
    const begun = performance.now();
    try {
      return await read();
    } finally {
      took.push({ labels: { query }, value: Math.round(performance.now() - begun) / 1000 });
    }
  };
  const [byStatus, waiting, oldest, attention, rate, latency, errors, webhooks, workers, queues] =
    await Promise.all([
      timed("payouts_by_status", () => payoutsByRailAndStatus(now)),
      timed("payouts_waiting", waitingByStatus),
      timed("oldest_waiting", () => oldestWaiting(now)),
      timed("needs_attention", attentionReasons),
      timed("paid_rate", () => dispatchRate(now)),
      timed("paid_latency", () => paidLatency(now)),
      timed("alipay_errors", () => alipayErrors(now)),
      timed("webhooks", () => webhookDeliveries(now)),
      timed("workers", workerLiveness),
      timed("queues", queueLag),
    ]);
  const families: MetricFamily[] = [
    {
      name: "hongbao_payouts",
      help: "Payouts by rail and status, all time (counted at most every 5 minutes).",
      type: "gauge",
      samples: byStatus,
    },
    {
      name: "hongbao_payouts_waiting",
      help: "Payouts in each waiting status, all rails (counted on every scrape).",
      type: "gauge",
      samples: waiting,
    },
    {
      name: "hongbao_payouts_oldest_age_seconds",
      help: "Age of the oldest payout in each waiting status (0 when none).",
      type: "gauge",
      samples: oldest,
    },
    {
      name: "hongbao_payouts_needs_attention",
      help: "Payouts in NEEDS_ATTENTION by reason (docs/operations.md, Needs attention).",
      type: "gauge",
      samples: attention,
    },
    {
      name: "hongbao_payouts_paid_per_minute",
      help: "Payments Alipay confirmed per minute, averaged over the window.",
      type: "gauge",
      samples: rate,
    },
    {
      name: "hongbao_payout_paid_latency_seconds",
      help: `Requested-to-paid time of up to ${LATENCY_SAMPLE} payouts paid in the last 15 minutes (0 when none).`,
      type: "gauge",
      samples: latency.quantiles,
    },
    {
      name: "hongbao_payout_paid_latency_sample_size",
      help: "Payouts the latency quantiles were computed from.",
      type: "gauge",
      samples: [{ value: latency.sampleSize }],
    },
    {
      name: "hongbao_alipay_payout_errors_last_hour",
      help: "Payout calls to Alipay refused or of unknown outcome in the last hour, by method, outcome, code and sub_code.",
      type: "gauge",
      samples: errors,
    },
    {
      name: "hongbao_queue_jobs_waiting",
      help: "pg-boss jobs waiting to run (created or retry), by queue.",
      type: "gauge",
      samples: queues.map((q) => ({ labels: { queue: q.queue }, value: q.waiting })),
    },
    {
      name: "hongbao_queue_jobs_due",
      help: "pg-boss jobs whose start time has come and that no worker has taken yet, by queue.",
      type: "gauge",
      samples: queues.map((q) => ({ labels: { queue: q.queue }, value: q.due })),
    },
    {
      name: "hongbao_queue_oldest_due_age_seconds",
      help: "How long the oldest due job of each queue has waited past its start time (0 when none).",
      type: "gauge",
      samples: queues.map((q) => ({
        labels: { queue: q.queue },
        value: q.oldestDueAgeSeconds === null ? 0 : Math.round(q.oldestDueAgeSeconds),
      })),
    },
    {
      name: "hongbao_webhook_deliveries",
      help: "Webhook deliveries still pending (attempts left) or failed (attempts exhausted), all time.",
      type: "gauge",
      samples: webhooks.counts,
    },
    {
      name: "hongbao_webhook_pending_oldest_age_seconds",
      help: "Age of the oldest pending webhook delivery (0 when none).",
      type: "gauge",
      samples: [{ value: webhooks.oldestPending }],
    },
    {
      name: "hongbao_workers_live",
      help: "Job processes whose heartbeat is recent, by kind (worker: npm run worker; web: JOBS_IN_WEB).",
      type: "gauge",
      samples: (["worker", "web"] as const).map((kind) => ({
        labels: { kind },
        value: workers.liveByKind[kind],
      })),
    },
    {
      name: "hongbao_worker_heartbeat_age_seconds",
      help: "Age of the newest heartbeat of any job process (+Inf when none).",
      type: "gauge",
      samples: [{ value: workers.newestBeatAgeSeconds ?? Infinity }],
    },
  ];
  families.push(
    {
      name: "hongbao_metrics_collection_seconds",
      help: "Time the figures of this scrape took to read (they are read at most every 15 s).",
      type: "gauge",
      samples: [{ value: Math.round(performance.now() - started) / 1000 }],
    },
    {
      name: "hongbao_metrics_query_seconds",
      help: "Time each of the queries behind the figures took (they run at once).",
      type: "gauge",
      samples: took.sort((a, b) => (a.labels?.query ?? "").localeCompare(b.labels?.query ?? "")),
    },
  );
  return families;
}

const globalForMetrics = globalThis as unknown as {
  hongbaoMetrics?: { at: number; families: Promise<MetricFamily[]> };
};

/**
 * The figures, computed at most once per CACHE_MS per process: concurrent and repeated scrapes share one
 * collection. A failed collection is not kept.
 */
export async function metrics(now: number = Date.now()): Promise<MetricFamily[]> {
  const cached = globalForMetrics.hongbaoMetrics;
  if (cached && now - cached.at < CACHE_MS) return cached.families;
  const families = collectMetrics(now);
  const entry = { at: now, families };
  globalForMetrics.hongbaoMetrics = entry;
  families.catch(() => {
    if (globalForMetrics.hongbaoMetrics === entry) globalForMetrics.hongbaoMetrics = undefined;
  });
  return families;
}

/** Forgets the cached figures and counts (tests that change rows between scrapes). */
export function clearMetricsCache(): void {
  globalForMetrics.hongbaoMetrics = undefined;
  globalForCounts.hongbaoPayoutCounts = undefined;
}
