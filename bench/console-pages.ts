/**
 * `npm run bench:pages -- [--key=value …]`: every console page at scale — 10,000 campaigns and 1,000,000 payouts
 * on PostgreSQL — measured through the production server over HTTP. Prints, per page, the server's time (request
 * → first byte and → last byte, p50/p95), the HTML's bytes and the first-load JavaScript the HTML references (raw
 * and gzipped). Never asserts a timing; docs/benchmarks.md ("Console pages at a million payouts") has the results.
 *
 *   1. Seeds the database `--database` (default hongbao_scale) on BENCH_DATABASE_URL's server, unless it already
 *      holds the seed (then reused as it is): 4 users, 10,000 campaigns (three rails, every status, created over
 *      a year), 1,000,000 payouts over 90 days spread over the campaigns by a skewed draw (statuses, scenes,
 *      sources, identity types, approvals, failures as in bench/payout-history.ts), 2,000 batches holding the
 *      BATCH-source payouts of their campaign, and one audit event per payout (`payout.request`) and per campaign
 *      (`campaign.create`); campaigns' spent/reserved/sent figures computed from their payouts. Set-based
 *      INSERT … SELECT generate_series, then VACUUM ANALYZE. Timed.
 *   2. Needs a production build in the current directory (.next/BUILD_ID; `npx next build`): it builds nothing.
 *      Starts it exactly as `npm start` does (bench/support/production-server.ts) with DATABASE_URL, a free PORT,
 *      JOBS_IN_WEB=false and a local simulator's ALIPAY_*; signs in as the seeded admin over HTTP (Auth.js
 *      credentials: GET /api/auth/csrf, POST /api/auth/callback/credentials).
 *   3. Every console page of the build's app-paths-manifest (dynamic segments filled with seeded ids; list pages
 *      also with filters, search and a deep page): `--warmup` then `--repeat` sequential GETs each on a keep-alive
 *      connection. Checks each answer is 200 and not the sign-in page.
 *   4. Page weight: the `<script src="/_next/static/…">` chunks in the page's HTML, read from .next/static and
 *      summed raw and gzipped (level 9), i.e. what a first visit downloads besides the HTML.
 *
 * Options (defaults): --database=hongbao_scale --campaigns=10000 --payouts=1000000 --repeat=10 --warmup=2
 *   --only=<substring of a page label> --json=<file> --quiet-wait=30 (seconds to wait for other processes on the
 *   shared machine to use less than a third of a core before each page)
 *
 * lib/env.ts reads the environment once, when first imported: console modules are imported dynamically.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import zlib from "node:zlib";
import pg from "pg";
import { fmt, quantile } from "./support/batch";
import { startBenchSimulator, startServer, stopServer, sleep } from "./support/production-server";

const ADMIN = { email: "admin@scale.example", password: "bench-scale-admin-password" };
const DAYS = 90;

type Options = {
  database: string;
  campaigns: number;
  payouts: number;
  repeat: number;
  warmup: number;
  only: string;
  json: string | null;
  quietWait: number;
};

function parseOptions(args: string[]): Options {
  const options: Options = {
    database: "hongbao_scale",
    campaigns: 10_000,
    payouts: 1_000_000,
    repeat: 10,
    warmup: 2,
    only: "",
    json: null,
    quietWait: 30,
  };
  for (const arg of args) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!match) throw new Error(`unexpected argument ${arg} (use --key=value)`);
    const [, key = "", value = ""] = match;
    const name = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof Options;
    if (!(name in options)) throw new Error(`unknown option --${key}`);
    if (name === "database" || name === "only") options[name] = value;
    else if (name === "json") options.json = value;
    else options[name] = Number(value);
  }
  return options;
}

const kib = (bytes: number) => `${fmt(bytes / 1024, 1)} KiB`;

/** Busy and total jiffies of the machine (/proc/stat). */
function machineJiffies(): { busy: number; total: number } {
  const cpu = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!cpu) return { busy: 0, total: 0 };
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - (cpu[3] ?? 0) - (cpu[4] ?? 0), total };
}

/** Waits (at most maxSeconds) until the machine is below a third of a core busy; returns its load in % of a core. */
async function waitForQuiet(maxSeconds: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const a = machineJiffies();
    await sleep(1000);
    const b = machineJiffies();
    const load = ((b.busy - a.busy) / Math.max(1, b.total - a.total)) * os.cpus().length * 100;
    if (load < 33 || performance.now() - started > maxSeconds * 1000) return load;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

type Answer = {
  status: number;
  headers: http.IncomingHttpHeaders;
  firstByteMs: number;
  totalMs: number;
  bytes: number;
  body: string;
};

function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<Answer>((resolve, reject) => {
    const start = performance.now();
    const req = http.request(url, { method: init.method ?? "GET", headers: init.headers, agent }, (res) => {
      let firstByteMs = NaN;
      const parts: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        if (parts.length === 0) firstByteMs = performance.now() - start;
        parts.push(chunk);
      });
      res.on("error", reject);
      res.on("end", () => {
        const body = Buffer.concat(parts);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          firstByteMs,
          totalMs: performance.now() - start,
          bytes: body.length,
          body: body.toString("utf8"),
        });
      });
    });
    req.on("error", reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

function cookiesOf(headers: http.IncomingHttpHeaders, jar: Map<string, string>): void {
  for (const line of headers["set-cookie"] ?? []) {
    const [pair = ""] = line.split(";");
    const eq = pair.indexOf("=");
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

async function signIn(base: string): Promise<string> {
  const jar = new Map<string, string>([["NEXT_LOCALE", "en"]]);
  const csrf = await request(`${base}/api/auth/csrf`);
  cookiesOf(csrf.headers, jar);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const form = new URLSearchParams({ ...ADMIN, csrfToken, callbackUrl: `${base}/` });
  const answer = await request(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: form.toString(),
  });
  cookiesOf(answer.headers, jar);
  if (![...jar.keys()].some((k) => /authjs\.session-token/.test(k)))
    throw new Error(`sign-in failed: HTTP ${answer.status}, location ${String(answer.headers.location)}`);
  return cookieHeader(jar);
}

// ---------------------------------------------------------------------------------------------------------------
// Seeding

function seedStatements(o: Options): string[] {
  const now = `(now() AT TIME ZONE 'UTC')`;
  const batches = Math.min(2000, o.campaigns);
  return [
    `SELECT setseed(0.17)`,
    `INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt") VALUES
       ('cscalemarketer00000000000', 'marketer@scale.example', '市场 Bench', 'marketer', 'x', now()),
       ('cscaleapprover00000000000', 'approver@scale.example', '审批 Bench', 'approver', 'x', now()),
       ('cscaleviewer0000000000000', 'viewer@scale.example', '财务 Bench', 'viewer', 'x', now())`,
    // Campaigns: 70 % cash, 20 % fund coupon, 10 % transfer; created over a year, one per ~53 minutes.
    `INSERT INTO "Campaign" (id, name, "prizeMessage", "prizeType", rail, status, "budgetFen", "packetCount",
       "startsAt", "endsAt", "defaultScene", "createdById", "createdByLabel", "crowdNo", "autoApproveMaxFen",
       "autoApproveDailyCapFen", "maxPacketFen", "alipayStatus", "closedAt", "createdAt", "updatedAt")
     SELECT 'cscalecampaign' || lpad(n::text, 11, '0'),
       CASE WHEN n % 3 = 0 THEN '邀请有礼 第' || n || '期' WHEN n % 3 = 1 THEN '积分兑换红包 第' || n || '期'
            ELSE 'Spring points campaign ' || n END,
       '感谢您的支持', (CASE WHEN n % 5 = 0 THEN 'RANDOM' ELSE 'FIXED' END)::"PrizeType",
       rail::"CampaignRail", status::"CampaignStatus", 100000000, 1000000,
       created, created + interval '1 day' * (30 + n % 150),
       (CASE WHEN n % 3 = 0 THEN 'INVITE_REWARD' ELSE 'POINTS_REDEMPTION' END)::"PayoutScene",
       'cscalemarketer00000000000', 'marketer@scale.example',
       CASE WHEN rail = 'CASH_CAMPAIGN' THEN '2026scale' || lpad(n::text, 10, '0') END,
       packet, 1000000, CASE WHEN rail <> 'CASH_CAMPAIGN' THEN packet END,
       CASE WHEN rail = 'CASH_CAMPAIGN' THEN 'READY' END,
       CASE WHEN status IN ('CLOSED', 'SETTLED') THEN created + interval '20 days' END,
       created, created
     FROM (
       SELECT n,
         ${now} - interval '365 days' + interval '365 days' * n / ${o.campaigns} AS created,
         CASE WHEN r_rail < 0.7 THEN 'CASH_CAMPAIGN' WHEN r_rail < 0.9 THEN 'FUND_COUPON' ELSE 'TRANSFER' END AS rail,
         CASE WHEN r_status < 0.40 THEN 'ACTIVE' WHEN r_status < 0.70 THEN 'SETTLED' WHEN r_status < 0.80 THEN 'CLOSED'
              WHEN r_status < 0.85 THEN 'PAUSED' WHEN r_status < 0.95 THEN 'AWAITING_FUNDING' ELSE 'FAILED' END
           AS status,
         (ARRAY[88, 100, 188, 200, 520, 666, 888, 1000, 1888, 50])[1 + n % 10] AS packet
       FROM (SELECT n, random() AS r_rail, random() AS r_status FROM generate_series(1, ${o.campaigns}) AS n) d
     ) c`,
    // Batches of the first campaigns: they hold those campaigns' BATCH payouts (figures filled in below).
    `INSERT INTO "Batch" (id, "campaignId", "fileName", encoding, "rowCount", "amountFen", status,
       "requestedByType", "requestedById", "requestedByLabel", "decidedByLabel", "decidedAt", "createdAt", "updatedAt")
     SELECT 'cscalebatch' || lpad(n::text, 14, '0'), 'cscalecampaign' || lpad(n::text, 11, '0'),
       '批量发放_' || n || '.csv', 'utf-8', 1, 1,
       (CASE WHEN n % 20 = 0 THEN 'PENDING_APPROVAL' WHEN n % 20 = 1 THEN 'CANCELED' ELSE 'APPROVED' END)::"BatchStatus",
       'USER', 'cscalemarketer00000000000', 'marketer@scale.example',
       CASE WHEN n % 20 <> 0 THEN 'approver@scale.example' END,
       CASE WHEN n % 20 <> 0 THEN ${now} - interval '89 days' END,
       ${now} - interval '90 days', ${now} - interval '90 days'
     FROM generate_series(1, ${batches}) AS n`,
    // Payouts: time order over the last DAYS days; campaign n drawn with a skew (low n more often).
    `INSERT INTO "Payout" (id, "campaignId", "outBizNo", "identityType", identity, "amountFen", "awardedFen",
       scene, source, memo, status, "requestedByType", "requestedById", "requestedByLabel", "requestIp",
       "autoApproved", "decidedById", "decidedByLabel", "decidedAt", "decisionReason", "failureCode",
       "failureMessage", "failureRetryable", "attentionReason", "attemptCount", "nextAttemptAt", "alipayReference",
       "succeededAt", "createdAt", "updatedAt", "batchId")
     SELECT
       'c' || lpad(to_hex((extract(epoch FROM s.ts) * 1000)::bigint), 12, '0') || substr(md5(s.i::text), 1, 12),
       'cscalecampaign' || lpad(s.campaign::text, 11, '0'),
       'HB' || to_char(s.ts + interval '8 hours', 'YYYYMMDD') || lpad(s.i::text, 10, '0'),
       s.kind::"IdentityType",
       CASE s.kind
         WHEN 'USER_ID' THEN '2088' || lpad((100000000000 + floor(s.r_user * 300000))::bigint::text, 12, '0')
         WHEN 'OPEN_ID' THEN 'oA' || substr(md5('open' || floor(s.r_user * 300000)::text), 1, 26)
         ELSE '13' || lpad(floor(s.r_user * 300000)::bigint::text, 9, '0')
       END,
       s.packet, CASE WHEN s.status = 'SUCCEEDED' THEN s.packet END,
       (CASE WHEN s.r_scene < 0.70 THEN 'POINTS_REDEMPTION' WHEN s.r_scene < 0.95 THEN 'INVITE_REWARD'
             WHEN s.r_scene < 0.99 THEN 'MANUAL' ELSE 'OTHER' END)::"PayoutScene",
       s.source::"PayoutSource",
       CASE WHEN s.r_memo < 0.3 THEN NULL WHEN s.r_memo < 0.8 THEN '积分兑换 ' || (s.i % 997) || ' 积分'
            ELSE 'invite reward, order ' || s.i END,
       s.status::"PayoutStatus",
       (CASE s.source WHEN 'API' THEN 'API_KEY' ELSE 'USER' END)::"ActorType",
       CASE s.source WHEN 'API' THEN NULL ELSE 'cscalemarketer00000000000' END,
       CASE s.source WHEN 'API' THEN 'api:mini-program' ELSE 'marketer@scale.example' END,
       '203.0.113.' || (s.i % 250),
       s.r_approval < 0.9 AND s.status NOT IN ('PENDING_APPROVAL', 'REJECTED'),
       CASE WHEN s.r_approval >= 0.9 AND s.status <> 'PENDING_APPROVAL' THEN 'cscaleapprover00000000000' END,
       CASE WHEN s.r_approval >= 0.9 AND s.status <> 'PENDING_APPROVAL' THEN 'approver@scale.example' END,
       CASE WHEN s.r_approval >= 0.9 AND s.status <> 'PENDING_APPROVAL' THEN s.ts + interval '10 minutes' END,
       CASE WHEN s.status = 'REJECTED' THEN '超出活动规则' END,
       CASE WHEN s.status = 'FAILED' THEN 'USER_NOT_EXIST' END,
       CASE WHEN s.status = 'FAILED' THEN '收款用户不存在' END,
       CASE WHEN s.status = 'FAILED' THEN false END,
       CASE WHEN s.status = 'NEEDS_ATTENTION' THEN 'retry budget spent' END,
       CASE WHEN s.status IN ('PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'CANCELED') THEN 0
            WHEN s.status = 'UNKNOWN' THEN 2 WHEN s.status = 'NEEDS_ATTENTION' THEN 12 ELSE 1 END,
       CASE WHEN s.status IN ('APPROVED', 'UNKNOWN') THEN s.ts + interval '5 minutes' END,
       CASE WHEN s.status = 'SUCCEEDED' THEN '2026' || lpad(s.i::text, 20, '0') END,
       CASE WHEN s.status = 'SUCCEEDED' THEN s.ts + interval '2 seconds' END,
       s.ts, s.ts + interval '2 seconds',
       CASE WHEN s.source = 'BATCH' THEN 'cscalebatch' || lpad(s.campaign::text, 14, '0') END
     FROM (
       SELECT i, r_user, r_scene, r_memo, r_approval, campaign,
         (ARRAY[88, 100, 188, 200, 520, 666, 888, 1000, 1888, 50])[1 + campaign % 10] AS packet,
         start + (i - 1) * step + r_jitter * interval '3 seconds' AS ts,
         CASE WHEN r_kind < 0.95 THEN 'USER_ID' WHEN r_kind < 0.99 THEN 'OPEN_ID' ELSE 'LOGIN_ID' END AS kind,
         CASE WHEN r_source < 0.80 OR (r_source < 0.98 AND campaign > ${batches}) THEN 'API'
              WHEN r_source < 0.98 THEN 'BATCH' ELSE 'CONSOLE' END AS source,
         CASE WHEN r_status < 0.930 THEN 'SUCCEEDED' WHEN r_status < 0.960 THEN 'FAILED'
              WHEN r_status < 0.975 THEN 'PENDING_APPROVAL' WHEN r_status < 0.980 THEN 'UNKNOWN'
              WHEN r_status < 0.985 THEN 'APPROVED' WHEN r_status < 0.988 THEN 'NEEDS_ATTENTION'
              WHEN r_status < 0.995 THEN 'REJECTED' ELSE 'CANCELED' END AS status
       FROM (
         SELECT i, random() AS r_user, random() AS r_scene, random() AS r_memo, random() AS r_jitter,
           random() AS r_kind, random() AS r_source, random() AS r_status, random() AS r_approval,
           least(${o.campaigns}, 1 + floor(${o.campaigns} * power(random(), 2.5))::int) AS campaign,
           date_trunc('second', ${now}) - interval '${DAYS} days' AS start,
           interval '${DAYS} days' / ${o.payouts} AS step
         FROM generate_series(1, ${o.payouts}) AS i
       ) AS draws
     ) AS s`,
    // The campaigns' figures from their payouts (budget raised where the draw gave a campaign more).
    `UPDATE "Campaign" c SET
       "spentFen" = t.spent, "reservedFen" = t.reserved, "sentCount" = t.sent,
       "budgetFen" = greatest(c."budgetFen", t.spent + t.reserved + 100000),
       "packetCount" = greatest(c."packetCount", t.sent + 1000)
     FROM (SELECT "campaignId",
             coalesce(sum("awardedFen") FILTER (WHERE status = 'SUCCEEDED'), 0) AS spent,
             coalesce(sum("amountFen") FILTER (WHERE status IN ('PENDING_APPROVAL', 'APPROVED', 'SENDING',
               'UNKNOWN', 'NEEDS_ATTENTION')), 0) AS reserved,
             count(*) FILTER (WHERE status = 'SUCCEEDED') AS sent
           FROM "Payout" GROUP BY "campaignId") t
     WHERE c.id = t."campaignId"`,
    `UPDATE "Batch" b SET "rowCount" = t.n, "amountFen" = t.fen
     FROM (SELECT "batchId", count(*) AS n, sum("amountFen") AS fen FROM "Payout" WHERE "batchId" IS NOT NULL
           GROUP BY "batchId") t
     WHERE b.id = t."batchId"`,
    // Audit: one event per campaign and per payout, in time order (the audit page's newest-first walk).
    `INSERT INTO "AuditEvent" (id, "createdAt", "actorType", "actorId", "actorLabel", action, "entityType",
       "entityId", after, ip, "userAgent")
     SELECT 'a' || substr(id, 2), "createdAt", 'USER', 'cscalemarketer00000000000', 'marketer@scale.example',
       'campaign.create', 'Campaign', id, jsonb_build_object('name', name, 'budgetFen', "budgetFen"),
       '198.51.100.7', 'Mozilla/5.0'
     FROM "Campaign" WHERE id LIKE 'cscalecampaign%'`,
    `INSERT INTO "AuditEvent" (id, "createdAt", "actorType", "actorId", "actorLabel", action, "entityType",
       "entityId", after, ip, "userAgent")
     SELECT 'a' || substr(id, 2), "createdAt", "requestedByType", "requestedById", "requestedByLabel",
       'payout.request', 'Payout', id,
       jsonb_build_object('status', status, 'amountFen', "amountFen", 'outBizNo', "outBizNo"), "requestIp", NULL
     FROM "Payout"`,
  ];
}

async function seed(admin: pg.Client, serverUrl: string, o: Options): Promise<string> {
  const url = new URL(serverUrl);
  url.pathname = `/${o.database}`;
  const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [o.database]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${o.database}"`);
  process.env.DATABASE_URL = url.toString();
  const { migrateDeploy } = await import("../lib/runtime/migrate");
  await migrateDeploy(url.toString(), { quiet: true });
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM "Campaign" WHERE id LIKE 'cscalecampaign%'`,
    );
    if (Number(rows[0]?.n) === 0) {
      console.log(`Seeding ${o.database}: ${fmt(o.campaigns)} campaigns, ${fmt(o.payouts)} payouts …`);
      for (const sql of seedStatements(o)) {
        const started = performance.now();
        const result = await client.query(sql);
        const first = sql.trim().split("\n")[0]?.slice(0, 60);
        console.log(`  ${fmt(performance.now() - started)} ms  ${fmt(result.rowCount ?? 0)} rows  ${first}`);
      }
      const started = performance.now();
      await client.query(`VACUUM ANALYZE`);
      console.log(`  ${fmt(performance.now() - started)} ms  VACUUM ANALYZE`);
    } else {
      console.log(`Reusing ${o.database} (already seeded)`);
    }
    const { hashPassword } = await import("../lib/auth/password");
    await client.query(
      `INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt")
       VALUES ('cscaleadmin00000000000000', $1, 'Scale admin', 'admin', $2, now())
       ON CONFLICT (email) DO UPDATE SET "passwordHash" = EXCLUDED."passwordHash", "disabledAt" = NULL`,
      [ADMIN.email, await hashPassword(ADMIN.password)],
    );
    const size = await client.query<{ db: string; payouts: string; campaigns: string; audit: string }>(
      `SELECT pg_size_pretty(pg_database_size(current_database())) AS db,
         (SELECT count(*) FROM "Payout") AS payouts, (SELECT count(*) FROM "Campaign") AS campaigns,
         (SELECT count(*) FROM "AuditEvent") AS audit`,
    );
    const s = size.rows[0];
    console.log(
      `Database ${o.database}: ${s?.db}; ${fmt(Number(s?.campaigns))} campaigns, ${fmt(Number(s?.payouts))} payouts, ${fmt(Number(s?.audit))} audit events`,
    );
  } finally {
    await client.end();
  }
  return url.toString();
}

// ---------------------------------------------------------------------------------------------------------------
// Pages

type Page = { label: string; path: string };

/** Every console page of the build, with its dynamic segments filled from the seed, plus list views. */
async function pagesToVisit(databaseUrl: string): Promise<Page[]> {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(".next", "server", "app-paths-manifest.json"), "utf8"),
  ) as Record<string, string>;
  const routes = Object.keys(manifest)
    .filter((r) => r.startsWith("/(console)/") && r.endsWith("/page"))
    .map((r) =>
      r
        .replace(/^\/\(console\)/, "")
        .replace(/\/\([^)]+\)/g, "")
        .replace(/\/page$/, ""),
    )
    .map((r) => r || "/");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const one = async (sql: string) => (await client.query<{ v: string }>(sql)).rows[0]?.v ?? "none";
  const ids: Record<string, string> = {
    // The active campaign with the most payouts (a small one is among the list views below).
    "/campaigns/[id]": await one(
      `SELECT id AS v FROM "Campaign" WHERE status = 'ACTIVE' ORDER BY "sentCount" DESC, id LIMIT 1`,
    ),
    // Only a campaign Alipay refused can be corrected and resubmitted; any other status redirects.
    "/campaigns/[id]/edit": await one(
      `SELECT id AS v FROM "Campaign" WHERE status = 'FAILED' ORDER BY id LIMIT 1`,
    ),
    "/campaigns/[id]/fund-return": await one(
      `SELECT id AS v FROM "Campaign" WHERE rail = 'FUND_COUPON' ORDER BY id LIMIT 1`,
    ),
    "/payouts/[id]": await one(`SELECT id AS v FROM "Payout" ORDER BY "createdAt" DESC, id DESC LIMIT 1`),
    "/batches/[id]": await one(`SELECT id AS v FROM "Batch" WHERE id = 'cscalebatch00000000000001'`),
    "/settings/webhooks/[id]": await one(`SELECT id AS v FROM "WebhookEndpoint" ORDER BY id LIMIT 1`),
  };
  const outBizNo = await one(
    `SELECT "outBizNo" AS v FROM "Payout" ORDER BY "createdAt" LIMIT 1 OFFSET 500000`,
  );
  const busiest = ids["/campaigns/[id]"] ?? "none";
  await client.end();
  const pages: Page[] = [];
  for (const route of routes.sort()) {
    if (route.includes("[...path]") || route === "/campaigns/funded") continue; // a 404 / a redirect
    const id = Object.entries(ids).find(([k]) => k === route)?.[1];
    if (route.includes("[id]") && (!id || id === "none")) {
      console.log(`  (skipping ${route}: nothing seeded for it)`);
      continue;
    }
    pages.push({ label: route, path: id ? route.replace("[id]", id) : route });
  }
  const extra: Page[] = [
    {
      label: "/campaigns?status=ACTIVE&sort=budgetFen.desc",
      path: "/campaigns?status=ACTIVE&sort=budgetFen.desc",
    },
    { label: "/campaigns?q=积分", path: `/campaigns?q=${encodeURIComponent("积分")}` },
    { label: "/campaigns?page=400", path: "/campaigns?page=400" },
    { label: "/campaigns/[id] (last, small campaign)", path: "/campaigns/cscalecampaign00000010000" },
    { label: "/payouts?status=FAILED", path: "/payouts?status=FAILED" },
    { label: "/payouts?q=<outBizNo>", path: `/payouts?q=${outBizNo}` },
    { label: "/payouts?campaign=<busiest>", path: `/payouts?campaign=${busiest}` },
    { label: "/payouts?page=2000", path: "/payouts?page=2000" },
    { label: "/audit?action=campaign.create", path: "/audit?action=campaign.create" },
    { label: "/audit?q=HB", path: "/audit?q=HB2026" },
    { label: "/audit?page=1000", path: "/audit?page=1000" },
    { label: "/batches?status=PENDING_APPROVAL", path: "/batches?status=PENDING_APPROVAL" },
  ];
  return [...pages, ...extra];
}

/** First-load JS: the /_next/static chunks the HTML references, raw and gzipped. */
function pageWeight(html: string): { files: number; raw: number; gzip: number } {
  const files = new Set<string>();
  for (const m of html.matchAll(/(?:src|href)="(\/_next\/static\/[^"?]+\.js)(?:\?[^"]*)?"/g))
    if (m[1]) files.add(m[1]);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = fs.readFileSync(path.join(".next", "static", file.slice("/_next/static/".length)));
    raw += bytes.length;
    gzip += zlib.gzipSync(bytes, { level: 9 }).length;
  }
  return { files: files.size, raw, gzip };
}

type PageResult = {
  label: string;
  status: number;
  ttfbP50: number;
  ttfbP95: number;
  totalP50: number;
  totalP95: number;
  htmlBytes: number;
  jsFiles: number;
  jsRaw: number;
  jsGzip: number;
  load: number;
};

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl)
    throw new Error("set BENCH_DATABASE_URL (a PostgreSQL server; the database is created there)");
  if (!fs.existsSync(path.join(".next", "BUILD_ID")))
    throw new Error("no production build here (.next/BUILD_ID): run `npx next build` first");
  const cpus = os.cpus();
  console.log(`Hongbao Console — console pages at scale — ${new Date().toISOString()}`);
  console.log(
    `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? "CPU"}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB; build ${fs.readFileSync(path.join(".next", "BUILD_ID"), "utf8").trim()}`,
  );
  console.log(`Options: ${JSON.stringify(options)}`);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const databaseUrl = await seed(admin, serverUrl, options);
  await admin.end();

  const sim = await startBenchSimulator();
  const server = await startServer(databaseUrl, sim.env, "");
  const results: PageResult[] = [];
  try {
    console.log(`Server: ${server.base} (pid ${server.pid}), up in ${fmt(server.startMs)} ms`);
    const cookie = await signIn(server.base);
    const pages = (await pagesToVisit(databaseUrl)).filter((p) => p.label.includes(options.only));
    console.log(
      `\n${"page".padEnd(48)} status  TTFB p50/p95 ms   total p50/p95 ms   HTML      first-load JS raw / gzip (files)   load`,
    );
    for (const page of pages) {
      const url = `${server.base}${page.path}`;
      const headers = { cookie };
      for (let i = 0; i < options.warmup; i++) await request(url, { headers });
      const load = await waitForQuiet(options.quietWait);
      const ttfb: number[] = [];
      const total: number[] = [];
      let last: Answer | null = null;
      for (let i = 0; i < options.repeat; i++) {
        last = await request(url, { headers });
        ttfb.push(last.firstByteMs);
        total.push(last.totalMs);
      }
      if (!last) continue;
      if (last.status !== 200 || /name="password"/.test(last.body))
        console.log(
          `  ! ${page.label}: HTTP ${last.status}${last.headers.location ? ` → ${last.headers.location}` : ""}`,
        );
      const weight = pageWeight(last.body);
      const r: PageResult = {
        label: page.label,
        status: last.status,
        ttfbP50: quantile(ttfb, 0.5),
        ttfbP95: quantile(ttfb, 0.95),
        totalP50: quantile(total, 0.5),
        totalP95: quantile(total, 0.95),
        htmlBytes: last.bytes,
        jsFiles: weight.files,
        jsRaw: weight.raw,
        jsGzip: weight.gzip,
        load,
      };
      results.push(r);
      console.log(
        `${r.label.slice(0, 48).padEnd(48)} ${String(r.status).padStart(6)}  ${`${fmt(r.ttfbP50)} / ${fmt(r.ttfbP95)}`.padStart(15)}  ${`${fmt(r.totalP50)} / ${fmt(r.totalP95)}`.padStart(17)}  ${kib(r.htmlBytes).padStart(9)}  ${`${kib(r.jsRaw)} / ${kib(r.jsGzip)} (${r.jsFiles})`.padStart(33)}  ${fmt(r.load)} %`,
      );
    }
    console.log(
      `\nMethod: ${options.warmup} warm-ups then ${options.repeat} sequential GETs per page, signed in as an admin, keep-alive; TTFB = request written → first body byte; total = last byte (streamed Suspense boundaries included); JS = /_next/static chunks referenced by the HTML, summed raw and gzip -9; load = the machine's CPU use (% of a core) just before the page's timed requests (the machine is shared).`,
    );
  } finally {
    await stopServer(server);
    await sim.stop();
  }
  if (options.json) fs.writeFileSync(options.json, `${JSON.stringify({ options, results }, null, 2)}\n`);
}

await main();
process.exit(process.exitCode ?? 0);
