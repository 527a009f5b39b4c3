/**
 * /api/metrics against the real database: the route's two ways in (METRICS_TOKEN as a bearer token, or a session
 * whose user holds settings:manage; the session's cookie decoding is Auth.js's and is replaced by claims the test
 * sets, the user check behind it is real), the exposition text read back by an independent strict parser, and
 * every figure against rows made for it. Rows that depend on time are placed around a moment ten days ahead and
 * the figures read "as of" it, so nothing another test file left behind falls in their windows. Also /api/health's
 * status code from its report.
 */
import PgBoss from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Prisma } from "@/generated/prisma/client";
import type * as RequestMetaModule from "@/lib/auth/request-meta";
import type { SessionClaims } from "@/lib/auth/access";
import { db } from "@/lib/db";
import { beat } from "@/lib/jobs/heartbeat";
import { clearMetricsCache, collectMetrics, metrics } from "@/lib/metrics/collect";
import { renderExposition } from "@/lib/metrics/exposition";
import { insertUser, TEST_META } from "../support/factories";
import { parseExposition, sampleValue, type ParsedSample } from "../support/prometheus";

const TOKEN = vi.hoisted(() => {
  const token = "metrics-token-0123456789abcdef0123456789abcdef";
  // Read by lib/env.ts when it is first imported, after this block: the token, and a valid Alipay configuration
  // (never called here) for the health check's self-check.
  const { generateKeyPairSync } = process.getBuiltinModule("node:crypto");
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  process.env.METRICS_TOKEN = token;
  process.env.WORKER_HEARTBEAT_SECONDS = "300";
  process.env.ALIPAY_APP_ID = "2021000000000042";
  process.env.ALIPAY_PRIVATE_KEY = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  process.env.ALIPAY_PUBLIC_KEY = pair.publicKey.export({ type: "spki", format: "pem" }).toString();
  process.env.ALIPAY_GATEWAY = "http://127.0.0.1:9/gateway.do";
  return token;
});

const session = vi.hoisted(() => ({ claims: null as SessionClaims | null }));
vi.mock("@/lib/auth/session", async () => {
  const { checkAccess } = await import("@/lib/auth/access");
  const { TEST_META: meta } = await import("../support/factories");
  return {
    requirePermission: (requirement: Parameters<typeof checkAccess>[1]) =>
      checkAccess(session.claims, requirement, meta),
    currentUserForDisplay: async () => {
      try {
        return await checkAccess(session.claims, "authenticated", meta);
      } catch {
        return null;
      }
    },
  };
});
// Route handlers read the request's headers through Next's request scope, which a direct call does not have.
vi.mock("@/lib/auth/request-meta", async (importOriginal) => ({
  ...(await importOriginal<typeof RequestMetaModule>()),
  currentRequestMeta: async () => TEST_META,
}));

const { GET: getMetrics } = await import("@/app/api/metrics/route");
const { GET: getHealth } = await import("@/app/api/health/route");

const noParams = { params: Promise.resolve({}) };
const scrape = (headers: Record<string, string> = {}) =>
  getMetrics(new Request("http://console.test/api/metrics", { headers }), noParams);

beforeEach(() => {
  session.claims = null;
  clearMetricsCache();
});

describe("/api/metrics access", () => {
  it("answers 401 without a token or a session, and ignores a wrong token", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await scrape({ authorization: `Basic ${TOKEN}` })).status).toBe(401);
    expect((await scrape({ authorization: "Bearer " })).status).toBe(401);
  });

  it("serves the exposition text to the bearer of METRICS_TOKEN", async () => {
    const response = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const { samples, types } = parseExposition(await response.text());
    expect(samples.length).toBeGreaterThan(20);
    // Every sample belongs to a declared family, and every declared family is a gauge.
    for (const sample of samples) expect(types.get(sample.name), sample.name).toBe("gauge");
  });

  it("serves a signed-in admin (settings:manage) and refuses a viewer with 403, recorded", async () => {
    const admin = await insertUser("admin");
    session.claims = admin.claims;
    expect((await scrape()).status).toBe(200);
    const viewer = await insertUser("viewer");
    session.claims = viewer.claims;
    expect((await scrape()).status).toBe(403);
    const refusal = await db.auditEvent.findFirst({
      where: { action: "authz.denied", actorId: viewer.user.id, entityId: "/api/metrics" },
    });
    expect(refusal).not.toBeNull();
  });
});

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** "Now" for the time-window figures: ten days ahead, so only this file's rows fall in the windows. */
const T0 = Date.now() + 10 * 24 * 60 * MINUTE;
const at = (msBefore: number) => new Date(T0 - msBefore);

async function fixtureCampaign(
  rail: "CASH_CAMPAIGN" | "TRANSFER",
  figures: Partial<Prisma.CampaignCreateInput>,
) {
  return db.campaign.create({
    data: {
      name: `metrics ${rail} ${Math.random()}`,
      prizeMessage: "m",
      prizeType: "FIXED",
      rail,
      status: "CLOSED",
      budgetFen: 1_000_000,
      packetCount: 100,
      endsAt: new Date(T0),
      defaultScene: "MANUAL",
      ...figures,
    },
  });
}

let n = 0;
function payoutRow(
  campaignId: string,
  status: Prisma.PayoutCreateManyInput["status"],
  extra: Partial<Prisma.PayoutCreateManyInput> = {},
) {
  n += 1;
  return {
    id: `pmetrics${String(n).padStart(6, "0")}${Math.random().toString(36).slice(2, 8)}`,
    campaignId,
    outBizNo: `metrics_${n}_${Date.now()}`,
    identityType: "USER_ID" as const,
    identity: "2088000000000001",
    amountFen: 100,
    scene: "MANUAL" as const,
    source: "API" as const,
    status,
    requestedByType: "SYSTEM" as const,
    requestedByLabel: "metrics-test",
    ...extra,
  };
}

function attemptRow(
  payoutId: string,
  outcome: "OK" | "REJECTED" | "UNKNOWN",
  msBefore: number,
  extra: Partial<Prisma.PayoutAttemptCreateManyInput> = {},
) {
  return {
    payoutId,
    number: 1,
    startedAt: at(msBefore),
    latencyMs: 20,
    outcome,
    worker: "metrics-test",
    ...extra,
  };
}

const byName = (samples: ParsedSample[], name: string) => samples.filter((s) => s.name === name);

/** The figures as of T0, the payouts by rail counted afresh (they are otherwise kept for 5 minutes). */
async function read(): Promise<ParsedSample[]> {
  clearMetricsCache();
  return parseExposition(renderExposition(await collectMetrics(T0))).samples;
}

describe("the figures", () => {
  let before: ParsedSample[];
  let after: ParsedSample[];
  let boss: PgBoss;
  const campaignIds: string[] = [];
  let endpointId = "";
  const QUEUE = "metrics-test.queue";

  beforeAll(async () => {
    await db.workerHeartbeat.deleteMany();
    before = await read();

    // 6 paid payouts: requested 10, 20, …, 60 s before they were paid; 3 paid in the last 5 minutes, 3 more within 15.
    const cash = await fixtureCampaign("CASH_CAMPAIGN", { spentFen: 600, sentCount: 6, reservedFen: 200 });
    campaignIds.push(cash.id);
    const paidMinutesAgo = [1, 2, 3, 6, 9, 12];
    const paid = paidMinutesAgo.map((minutesAgo, i) =>
      payoutRow(cash.id, "SUCCEEDED", {
        awardedFen: 100,
        createdAt: at(minutesAgo * MINUTE + (i + 1) * 10 * SECOND),
        succeededAt: at(minutesAgo * MINUTE),
      }),
    );
    // Two need attention (one each reason), one failed; attempts refused or unknown, one of them two hours ago.
    const attention = [
      payoutRow(cash.id, "NEEDS_ATTENTION", {
        attentionReason: "retryBudgetSpent",
        createdAt: at(50 * MINUTE),
      }),
      payoutRow(cash.id, "NEEDS_ATTENTION", {
        attentionReason: "awardedOverBudget",
        createdAt: at(40 * MINUTE),
      }),
    ];
    const transfer = await fixtureCampaign("TRANSFER", { maxPacketFen: 100 });
    campaignIds.push(transfer.id);
    const failed = payoutRow(transfer.id, "FAILED", {
      failureCode: "PAYEE_NOT_EXIST",
      createdAt: at(3 * 60 * MINUTE),
    });
    await db.payout.createMany({ data: [...paid, ...attention, failed] });
    const trigger = "alipay.marketing.campaign.cash.trigger";
    const transferMethod = "alipay.fund.trans.uni.transfer";
    await db.payoutAttempt.createMany({
      data: [
        // Each sent half a second before it was recorded paid.
        ...paid.map((p, i) =>
          attemptRow(p.id, "OK", (paidMinutesAgo[i] ?? 0) * MINUTE + 500, { method: trigger }),
        ),
        attemptRow(attention[0]!.id, "UNKNOWN", 45 * MINUTE, {
          method: trigger,
          code: "20000",
          subCode: "aop.unknow-error",
        }),
        attemptRow(attention[0]!.id, "UNKNOWN", 30 * MINUTE, {
          method: trigger,
          code: "20000",
          subCode: "aop.unknow-error",
          number: 2,
        }),
        attemptRow(failed.id, "REJECTED", 20 * MINUTE, {
          method: transferMethod,
          code: "40004",
          subCode: "PAYEE_NOT_EXIST",
        }),
        attemptRow(failed.id, "REJECTED", 2 * 60 * MINUTE, {
          method: transferMethod,
          code: "40004",
          subCode: "OLD_ONE",
          number: 2,
        }),
      ],
    });

    // Webhooks: 2 pending (the older 3 minutes old as of T0), 1 failed, 1 delivered.
    const endpoint = await db.webhookEndpoint.create({
      data: {
        url: "http://127.0.0.1:9/hook",
        events: ["payout.succeeded"],
        secret: "whsec_metrics",
        createdByLabel: "t",
      },
    });
    endpointId = endpoint.id;
    const event = await db.webhookEvent.create({
      data: { type: "payout.succeeded", entityType: "Payout", entityId: paid[0]!.id, data: {} },
    });
    await db.webhookDelivery.createMany({
      data: [
        { eventId: event.id, endpointId: endpoint.id, status: "PENDING", createdAt: at(3 * MINUTE) },
        { eventId: event.id, endpointId: endpoint.id, status: "PENDING", createdAt: at(1 * MINUTE) },
        { eventId: event.id, endpointId: endpoint.id, status: "FAILED", createdAt: at(MINUTE) },
        { eventId: event.id, endpointId: endpoint.id, status: "DELIVERED", createdAt: at(MINUTE) },
      ],
    });

    // A queue with one job due now and one due in an hour; one worker and one web process beating.
    boss = new PgBoss({
      connectionString: process.env.DATABASE_URL,
      schema: "pgboss",
      max: 2,
      schedule: false,
      supervise: false,
    });
    await boss.start();
    await boss.createQueue(QUEUE);
    await boss.send(QUEUE, {});
    await boss.send(QUEUE, {}, { startAfter: 3600 });
    await beat("metrics:1:aaaaaa", "worker", new Date());
    await beat("metrics:2:bbbbbb", "web", new Date());

    after = await read();
  });
  // The rows dated ten days ahead would sort first in other files' lists of every payout: remove them.
  afterAll(async () => {
    await boss?.stop({ graceful: false });
    await db.webhookEndpoint.deleteMany({ where: { id: endpointId } });
    await db.payout.deleteMany({ where: { campaignId: { in: campaignIds } } });
    await db.campaign.deleteMany({ where: { id: { in: campaignIds } } });
    await db.workerHeartbeat.deleteMany();
  });

  /** The change in a sample; a series absent before (a reason nobody had) counted from 0. */
  const delta = (name: string, labels: Record<string, string> = {}) => {
    const had = before.some(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
    return sampleValue(after, name, labels) - (had ? sampleValue(before, name, labels) : 0);
  };

  it("counts payouts by rail and status, for every rail and status", async () => {
    expect(delta("hongbao_payouts", { rail: "CASH_CAMPAIGN", status: "SUCCEEDED" })).toBe(6);
    expect(delta("hongbao_payouts", { rail: "CASH_CAMPAIGN", status: "NEEDS_ATTENTION" })).toBe(2);
    expect(delta("hongbao_payouts", { rail: "TRANSFER", status: "FAILED" })).toBe(1);
    expect(delta("hongbao_payouts", { rail: "TRANSFER", status: "SUCCEEDED" })).toBe(0);
    expect(byName(after, "hongbao_payouts")).toHaveLength(3 * 9);
    // The absolute figures are the table's.
    const total = byName(after, "hongbao_payouts").reduce((sum, s) => sum + s.value, 0);
    expect(total).toBe(await db.payout.count());
  });

  it("counts the backlog by status, fresh", () => {
    expect(delta("hongbao_payouts_waiting", { status: "NEEDS_ATTENTION" })).toBe(2);
    expect(delta("hongbao_payouts_waiting", { status: "PENDING_APPROVAL" })).toBe(0);
  });

  it("counts NEEDS_ATTENTION by reason", () => {
    expect(delta("hongbao_payouts_needs_attention", { reason: "retryBudgetSpent" })).toBe(1);
    expect(delta("hongbao_payouts_needs_attention", { reason: "awardedOverBudget" })).toBe(1);
  });

  it("reports the dispatch rate over 5 and 15 minutes and the requested-to-paid quantiles", () => {
    expect(sampleValue(after, "hongbao_payouts_paid_per_minute", { window: "5m" })).toBeCloseTo(3 / 5, 6);
    expect(sampleValue(after, "hongbao_payouts_paid_per_minute", { window: "15m" })).toBeCloseTo(6 / 15, 6);
    expect(sampleValue(after, "hongbao_payout_paid_latency_sample_size")).toBe(6);
    // 10, 20, …, 60 s: percentile_cont interpolates.
    expect(sampleValue(after, "hongbao_payout_paid_latency_seconds", { quantile: "0.5" })).toBeCloseTo(35, 3);
    expect(sampleValue(after, "hongbao_payout_paid_latency_seconds", { quantile: "0.9" })).toBeCloseTo(55, 3);
    expect(sampleValue(after, "hongbao_payout_paid_latency_seconds", { quantile: "0.99" })).toBeCloseTo(
      59.5,
      3,
    );
  });

  it("counts the last hour's refused and unknown Alipay calls by method, outcome, code and sub_code", () => {
    expect(byName(after, "hongbao_alipay_payout_errors_last_hour").map((s) => [s.labels, s.value])).toEqual([
      [
        {
          method: "alipay.fund.trans.uni.transfer",
          outcome: "REJECTED",
          code: "40004",
          sub_code: "PAYEE_NOT_EXIST",
        },
        1,
      ],
      [
        {
          method: "alipay.marketing.campaign.cash.trigger",
          outcome: "UNKNOWN",
          code: "20000",
          sub_code: "aop.unknow-error",
        },
        2,
      ],
    ]);
  });

  it("reports the oldest payout of each waiting status", async () => {
    const oldest = await db.payout.findFirstOrThrow({
      where: { status: "NEEDS_ATTENTION" },
      orderBy: { createdAt: "asc" },
    });
    expect(sampleValue(after, "hongbao_payouts_oldest_age_seconds", { status: "NEEDS_ATTENTION" })).toBe(
      Math.round((T0 - oldest.createdAt.getTime()) / 1000),
    );
  });

  it("counts pending and failed webhook deliveries and the oldest pending one's age", async () => {
    expect(delta("hongbao_webhook_deliveries", { status: "PENDING" })).toBe(2);
    expect(delta("hongbao_webhook_deliveries", { status: "FAILED" })).toBe(1);
    const oldest = await db.webhookDelivery.findFirstOrThrow({
      where: { status: "PENDING" },
      orderBy: { createdAt: "asc" },
    });
    expect(sampleValue(after, "hongbao_webhook_pending_oldest_age_seconds")).toBe(
      Math.round((T0 - oldest.createdAt.getTime()) / 1000),
    );
  });

  it("reports each queue's waiting and due jobs and the live job processes", () => {
    expect(sampleValue(after, "hongbao_queue_jobs_waiting", { queue: QUEUE })).toBe(2);
    expect(sampleValue(after, "hongbao_queue_jobs_due", { queue: QUEUE })).toBe(1);
    expect(
      sampleValue(after, "hongbao_queue_oldest_due_age_seconds", { queue: QUEUE }),
    ).toBeGreaterThanOrEqual(0);
    expect(sampleValue(after, "hongbao_workers_live", { kind: "worker" })).toBe(1);
    expect(sampleValue(after, "hongbao_workers_live", { kind: "web" })).toBe(1);
  });

  it("computes the figures once per 15 seconds, and counts payouts by rail once per 5 minutes", async () => {
    const first = await metrics(1_000_000);
    await db.payout.create({ data: payoutRow(campaignIds[0] ?? "", "PENDING_APPROVAL") });
    expect(await metrics(1_000_000 + 14_000)).toBe(first);
    const second = await metrics(1_000_000 + 15_000);
    expect(second).not.toBe(first);
    const value = (families: typeof first, name: string, labels: Record<string, string>) =>
      families
        .find((f) => f.name === name)
        ?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v))?.value ?? NaN;
    const byRail = { rail: "CASH_CAMPAIGN", status: "PENDING_APPROVAL" };
    const waiting = { status: "PENDING_APPROVAL" };
    // The backlog is counted afresh; the counts by rail wait for their 5 minutes.
    expect(value(second, "hongbao_payouts_waiting", waiting)).toBe(
      value(first, "hongbao_payouts_waiting", waiting) + 1,
    );
    expect(value(second, "hongbao_payouts", byRail)).toBe(value(first, "hongbao_payouts", byRail));
    const later = await metrics(1_000_000 + 5 * 60_000);
    expect(value(later, "hongbao_payouts", byRail)).toBe(value(first, "hongbao_payouts", byRail) + 1);
  });
});

describe("/api/health status", () => {
  it("answers 503 naming the failing checks, and 200 once a job process beats", async () => {
    await db.workerHeartbeat.deleteMany();
    const down = await getHealth(new Request("http://console.test/api/health"), noParams);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      ok: false,
      failing: ["workers"],
      checks: { alipay: { ok: true } },
    });
    await beat("metrics:3:cccccc", "web", new Date());
    const up = await getHealth(new Request("http://console.test/api/health"), noParams);
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ ok: true, failing: [], checks: { workers: { live: 1 } } });
  });
});
