/**
 * A million payouts (or any number) seeded with one set-based INSERT … SELECT generate_series: ~30 days, 20
 * campaigns of skewed size, mostly SUCCEEDED with some FAILED / PENDING_APPROVAL / UNKNOWN / …, a distinct
 * outBizNo per campaign, recipients 2088… (about 250,000 people). Shared by bench/payout-history.ts and
 * bench/metrics-scrape.ts; run the statements in order on a migrated, empty database.
 */

export const CAMPAIGNS = 20;
export const DAYS = 30;

/** Packet amounts (fen) of the 20 campaigns; every fifth campaign is a random-amount one (awarded ≤ held). */
const PACKET_FEN = [
  88, 100, 188, 200, 520, 666, 888, 1000, 1888, 50, 66, 128, 168, 300, 500, 618, 800, 1200, 1314, 2000,
];

export function seedStatements(rows: number): string[] {
  const packets = `ARRAY[${PACKET_FEN.join(",")}]`;
  return [
    `INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt")
     VALUES ('cbenchmarketer00000000000', 'marketer@bench.example', 'Bench marketer', 'marketer', 'x', now())`,
    // 20 active cash campaigns, created before the first payout.
    `INSERT INTO "Campaign" (id, name, "prizeMessage", "prizeType", rail, status, "budgetFen", "packetCount",
       "endsAt", "defaultScene", "createdById", "crowdNo", "autoApproveMaxFen", "autoApproveDailyCapFen",
       "alipayStatus", "createdAt", "updatedAt")
     SELECT 'cbenchcampaign' || lpad(n::text, 11, '0'),
       CASE WHEN n % 3 = 0 THEN '邀请有礼 第' || n || '期' ELSE '积分兑换红包 第' || n || '期' END,
       '感谢您的支持', (CASE WHEN n % 5 = 0 THEN 'RANDOM' ELSE 'FIXED' END)::"PrizeType",
       'CASH_CAMPAIGN'::"CampaignRail", 'ACTIVE'::"CampaignStatus", 2000000000, 10000000,
       (now() AT TIME ZONE 'UTC') + interval '30 days',
       (CASE WHEN n % 3 = 0 THEN 'INVITE_REWARD' ELSE 'POINTS_REDEMPTION' END)::"PayoutScene",
       'cbenchmarketer00000000000', '2026bench' || lpad(n::text, 10, '0'), (${packets})[n], 100000000,
       'READY', (now() AT TIME ZONE 'UTC') - interval '31 days', now() AT TIME ZONE 'UTC'
     FROM generate_series(1, ${CAMPAIGNS}) AS n`,
    `SELECT setseed(0.42)`,
    // One INSERT … SELECT: rows in time order over the last 30 days (as a live table fills), a few seconds of
    // jitter; ids shaped like cuid v1 (time prefix, 25 chars); the campaign by a skewed draw.
    `INSERT INTO "Payout" (id, "campaignId", "outBizNo", "identityType", identity, "amountFen", "awardedFen",
       scene, source, memo, status, "requestedByType", "requestedByLabel", "requestIp", "autoApproved",
       "decidedByLabel", "decidedAt", "decisionReason", "failureCode", "failureMessage", "failureRetryable",
       "attentionReason", "attemptCount", "nextAttemptAt", "alipayReference", "succeededAt", "createdAt",
       "updatedAt")
     SELECT
       'c' || lpad(to_hex((extract(epoch FROM s.ts) * 1000)::bigint), 12, '0') || substr(md5(s.i::text), 1, 12),
       c.id,
       'HB' || to_char(s.ts + interval '8 hours', 'YYYYMMDD') || lpad(s.i::text, 10, '0'),
       s.kind::"IdentityType",
       CASE s.kind
         WHEN 'USER_ID' THEN '2088' || lpad((100000000000 + floor(s.r_user * 250000))::bigint::text, 12, '0')
         WHEN 'OPEN_ID' THEN 'oA' || substr(md5('open' || floor(s.r_user * 250000)::text), 1, 26)
         ELSE '13' || lpad(floor(s.r_user * 250000)::bigint::text, 9, '0')
       END,
       c.packet,
       CASE WHEN s.status = 'SUCCEEDED'
         THEN CASE WHEN c.random THEN 1 + floor(s.r_amount * c.packet)::int ELSE c.packet END END,
       (CASE WHEN s.r_scene < 0.70 THEN 'POINTS_REDEMPTION' WHEN s.r_scene < 0.95 THEN 'INVITE_REWARD'
             WHEN s.r_scene < 0.99 THEN 'MANUAL' ELSE 'OTHER' END)::"PayoutScene",
       s.source::"PayoutSource",
       CASE WHEN s.r_memo < 0.3 THEN NULL WHEN s.r_memo < 0.8 THEN '积分兑换 ' || (s.i % 997) || ' 积分'
            ELSE 'invite reward, order ' || s.i END,
       s.status::"PayoutStatus",
       (CASE s.source WHEN 'API' THEN 'API_KEY' ELSE 'USER' END)::"ActorType",
       CASE s.source WHEN 'API' THEN 'api:mini-program' ELSE 'marketer@bench.example' END,
       '203.0.113.' || (s.i % 250),
       s.status NOT IN ('PENDING_APPROVAL', 'REJECTED'),
       CASE WHEN s.status = 'REJECTED' THEN 'approver@bench.example' END,
       CASE WHEN s.status = 'REJECTED' THEN s.ts + interval '10 minutes' END,
       CASE WHEN s.status = 'REJECTED' THEN '超出活动规则' END,
       CASE WHEN s.status = 'FAILED' THEN 'USER_NOT_EXIST' END,
       CASE WHEN s.status = 'FAILED' THEN '收款用户不存在' END,
       CASE WHEN s.status = 'FAILED' THEN false END,
       CASE WHEN s.status = 'NEEDS_ATTENTION' THEN 'retry budget spent' END,
       CASE WHEN s.status IN ('PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'CANCELED') THEN 0
            WHEN s.status IN ('UNKNOWN') THEN 2 WHEN s.status = 'NEEDS_ATTENTION' THEN 12 ELSE 1 END,
       CASE WHEN s.status IN ('APPROVED', 'UNKNOWN') THEN s.ts + interval '5 minutes' END,
       CASE WHEN s.status = 'SUCCEEDED' THEN '2026' || lpad(s.i::text, 20, '0') END,
       CASE WHEN s.status = 'SUCCEEDED' THEN s.ts + interval '2 seconds' END,
       s.ts,
       s.ts + interval '2 seconds'
     FROM (
       SELECT i, r_user, r_amount, r_scene, r_memo,
         start + (i - 1) * step + r_jitter * interval '3 seconds' AS ts,
         least(${CAMPAIGNS}, 1 + floor(${CAMPAIGNS} * power(r_campaign, 1.4))::int) AS campaign,
         CASE WHEN r_kind < 0.95 THEN 'USER_ID' WHEN r_kind < 0.99 THEN 'OPEN_ID' ELSE 'LOGIN_ID' END AS kind,
         CASE WHEN r_source < 0.80 THEN 'API' WHEN r_source < 0.98 THEN 'BATCH' ELSE 'CONSOLE' END AS source,
         CASE WHEN r_status < 0.930 THEN 'SUCCEEDED' WHEN r_status < 0.960 THEN 'FAILED'
              WHEN r_status < 0.975 THEN 'PENDING_APPROVAL' WHEN r_status < 0.980 THEN 'UNKNOWN'
              WHEN r_status < 0.985 THEN 'APPROVED' WHEN r_status < 0.988 THEN 'NEEDS_ATTENTION'
              WHEN r_status < 0.995 THEN 'REJECTED' ELSE 'CANCELED' END AS status
       FROM (
         SELECT i, random() AS r_user, random() AS r_amount, random() AS r_scene, random() AS r_memo,
           random() AS r_jitter, random() AS r_campaign, random() AS r_kind, random() AS r_source,
           random() AS r_status,
           date_trunc('second', now() AT TIME ZONE 'UTC') - interval '${DAYS} days' AS start,
           interval '${DAYS} days' / ${rows} AS step
         FROM generate_series(1, ${rows}) AS i
       ) AS draws
     ) AS s
     JOIN (
       SELECT row_number() OVER (ORDER BY id)::int AS n, id, ("prizeType" = 'RANDOM') AS random,
         "autoApproveMaxFen" AS packet
       FROM "Campaign" WHERE id LIKE 'cbenchcampaign%'
     ) AS c ON c.n = s.campaign`,
  ];
}
