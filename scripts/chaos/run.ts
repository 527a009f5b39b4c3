/**
 * The chaos run proper, imported by scripts/chaos.ts once the environment points at the chaos database and the
 * simulator process (lib/env.ts reads it once, at import). Seeds users, an API key, a webhook endpoint and two
 * funded campaigns per rail, starts two web and two worker processes, sends payouts from three channels while
 * injecting Alipay faults and killing processes, then drains and checks. Returns whether every check held.
 */
import os from "node:os";
import { alipay } from "../../lib/alipay";
import { mulberry32 } from "../../lib/alipay-sim/faults";
import { createApiKey } from "../../lib/api-keys/service";
import { systemActor, type UserActor } from "../../lib/auth/actor";
import { hashPassword } from "../../lib/auth/password";
import type { Role } from "../../lib/auth/permissions";
import { createCampaign, syncCampaign } from "../../lib/campaigns/service";
import { db } from "../../lib/db";
import { fundByAgreement } from "../../lib/fund-coupon/orders";
import type { CampaignInput } from "../../lib/validation/campaigns";
import { WEBHOOK_EVENT_TYPES } from "../../lib/webhooks/events";
import { createWebhookEndpoint } from "../../lib/webhooks/service";
import { runChecks, waitForDrain, type LedgerEntry } from "./checks";
import { simulatorFigures, sleep, type Supervised } from "./processes";
import { startReceiver } from "./receiver";
import {
  decidePending,
  newStats,
  RAILS,
  requestInConsole,
  requestOverApi,
  sendBatch,
  spread,
  userId,
  type Channel,
  type Planned,
  type Rail,
} from "./traffic";

export type ChaosSize = {
  label: "small" | "large";
  payouts: number;
  /** How long payouts keep arriving (and processes keep dying). */
  windowMs: number;
  kills: { worker: number; web: number };
  drainLimitMs: number;
  batchSize: number;
};

export type ChaosContext = {
  size: ChaosSize;
  seed: number;
  simUrl: string;
  receiverPort: number;
  webs: Supervised[];
  /** The web processes' base URLs, in the order of `webs`. */
  webBases: string[];
  workers: Supervised[];
  sim: Supervised;
  /** Starts the web and worker processes (after seeding, so they find the webhook endpoint and campaigns). */
  startConsole(): Promise<void>;
};

const DAY = 24 * 60 * 60 * 1000;
const PACKET_FEN = 100;
const MAX_PACKET_FEN = 500;
const RAIL_CODE: Record<Rail, string> = { CASH_CAMPAIGN: "c", FUND_COUPON: "f", TRANSFER: "t" };
const CHANNEL_CODE: Record<Channel, string> = { API: "api", BATCH: "bat", CONSOLE: "con" };

/** The faults while payouts flow: on every payment call and, more lightly, on every other gateway call. */
const FAULTS = (seed: number) => ({
  seed,
  rules: [
    {
      methods:
        "alipay.marketing.campaign.cash.trigger, alipay.fund.coupon.order.disburse, alipay.fund.trans.uni.transfer",
      latencyMs: { min: 20, max: 1200 },
      timeoutRate: 0.05,
      timeoutDelayMs: 3500,
      unknownRate: 0.06,
      dropRate: 0.04,
      http500Rate: 0.02,
      rateLimitQps: 12,
    },
    {
      methods: "*",
      latencyMs: { min: 10, max: 300 },
      unknownRate: 0.04,
      dropRate: 0.04,
      dropBeforeProcessing: true,
      rateLimitQps: 12,
    },
  ],
});

async function simAdmin<T>(simUrl: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${simUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function seedUser(role: Role, passwordHash: string): Promise<UserActor> {
  const user = await db.user.create({
    data: { email: `chaos-${role}@chaos.example`, name: `Chaos ${role}`, role, passwordHash },
  });
  return {
    type: "USER",
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    ip: "127.0.0.1",
    userAgent: "chaos",
  };
}

function campaignInput(rail: Rail, name: string, overrides: Partial<CampaignInput>): CampaignInput {
  return {
    name,
    prizeMessage: "Thanks from chaos",
    prizeType: "FIXED",
    rail,
    budgetFen: 10_000,
    packetCount: 100,
    startsAt: null,
    endsAt: new Date(Math.floor((Date.now() + 30 * DAY) / 1000) * 1000),
    frequencyLifetime: 100,
    frequencyPeriod: null,
    frequencyPeriodLimit: null,
    merchantLink: null,
    defaultScene: "POINTS_REDEMPTION",
    autoApproveMaxFen: 0,
    autoApproveDailyCapFen: 0,
    maxPacketFen: rail === "CASH_CAMPAIGN" ? null : MAX_PACKET_FEN,
    dailyAmountPerUserFen: null,
    ...overrides,
  };
}

/**
 * A funded, ACTIVE campaign of `rail` able to pay `budgetFen` (a cash campaign: that many fen in PACKET_FEN
 * packets), approving automatically (`auto`) or never.
 */
async function fundedCampaign(
  simUrl: string,
  marketer: UserActor,
  rail: Rail,
  name: string,
  budgetFen: number,
  auto: boolean,
) {
  const policy = auto
    ? { autoApproveMaxFen: 100_000, autoApproveDailyCapFen: 1_000_000_000 }
    : { autoApproveMaxFen: 0, autoApproveDailyCapFen: 0 };
  const client = alipay();
  if (rail === "CASH_CAMPAIGN") {
    const packets = Math.max(1, Math.floor(budgetFen / PACKET_FEN));
    const created = await createCampaign(
      client,
      marketer,
      campaignInput(rail, name, { budgetFen: packets * PACKET_FEN, packetCount: packets, ...policy }),
    );
    await simAdmin(simUrl, `/__sim/campaigns/${encodeURIComponent(created.crowdNo ?? "")}/pay`, {});
    const synced = await syncCampaign(client, marketer, created.id);
    if (synced.status !== "ACTIVE") throw new Error(`${name} is ${synced.status} after paying`);
    return synced;
  }
  if (rail === "TRANSFER") {
    return createCampaign(
      client,
      marketer,
      campaignInput(rail, name, { budgetFen, packetCount: 0, ...policy }),
    );
  }
  const created = await createCampaign(client, marketer, campaignInput(rail, name, policy));
  const order = await fundByAgreement(client, marketer, {
    campaignId: created.id,
    amountFen: budgetFen,
    title: "Chaos funding",
    expiresInMinutes: 24 * 60,
  });
  if (order.status !== "PAID") throw new Error(`${name}: funding order is ${order.status}`);
  return db.campaign.findUniqueOrThrow({ where: { id: created.id } });
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function runChaos(ctx: ChaosContext): Promise<boolean> {
  const { size } = ctx;
  const random = mulberry32(ctx.seed);
  const t0 = Date.now();
  console.log(
    `\nChaos suite (${size.label}): ${size.payouts} payouts over ${fmtS(size.windowMs)}, seed ${ctx.seed}, ` +
      `${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
  );

  // --- Seed: people, key, endpoint, campaigns ------------------------------------------------------------
  const passwordHash = await hashPassword("chaos-not-for-login");
  const [admin, marketer, approver] = [
    await seedUser("admin", passwordHash),
    await seedUser("marketer", passwordHash),
    await seedUser("approver", passwordHash),
  ];
  const { secret } = await createApiKey(systemActor("chaos"), {
    name: "chaos backend",
    permissions: ["payout:request", "payout:read"],
    campaignIds: null,
    ratePerMinute: 6000,
  });
  const receiver = await startReceiver(ctx.receiverPort, 0.2, random);
  const endpoint = await createWebhookEndpoint(admin, {
    url: receiver.url,
    description: "chaos receiver (answers 500 to one delivery in five)",
    events: [...WEBHOOK_EVENT_TYPES],
  });
  receiver.setSecret(endpoint.secret);

  // Payouts per channel and rail: half through the API, 30 % in batches, the rest from the console.
  const perRail = (share: number) => Math.max(1, Math.round((size.payouts * share) / RAILS.length));
  const counts: Record<Channel, number> = { API: perRail(0.5), BATCH: perRail(0.3), CONSOLE: perRail(0.2) };
  let nextRecipient = 1_000 + Math.floor(random() * 1_000_000) * 10;
  const planned: Planned[] = [];
  for (const rail of RAILS) {
    const amount = () =>
      rail === "CASH_CAMPAIGN" ? null : 100 + Math.floor(random() * (MAX_PACKET_FEN - 99));
    const plan = (channel: Channel, n: number) =>
      Array.from({ length: n }, (_, i): Planned => ({
        rail,
        channel,
        campaignId: "",
        outBizNo: `chaos_${RAIL_CODE[rail]}_${CHANNEL_CODE[channel]}_${String(i).padStart(5, "0")}`,
        recipient: userId(nextRecipient++),
        amountFen: channel === "BATCH" ? null : amount(),
        outcome: "pending",
        refusal: null,
      }));
    const api = plan("API", counts.API);
    const ops = [...plan("BATCH", counts.BATCH), ...plan("CONSOLE", counts.CONSOLE)];
    // The API campaign can pay only ~95 % of what is asked of it: the budget guard must refuse the rest.
    const apiDemand = api.reduce((sum, p) => sum + (p.amountFen ?? PACKET_FEN), 0);
    const opsDemand = ops.reduce(
      (sum, p) => sum + (p.amountFen ?? (rail === "CASH_CAMPAIGN" ? PACKET_FEN : MAX_PACKET_FEN)),
      0,
    );
    const apiCampaign = await fundedCampaign(
      ctx.simUrl,
      marketer,
      rail,
      `Chaos ${rail} API`,
      Math.floor(apiDemand * 0.95),
      true,
    );
    const opsCampaign = await fundedCampaign(
      ctx.simUrl,
      marketer,
      rail,
      `Chaos ${rail} ops`,
      Math.ceil(opsDemand * 1.1),
      false,
    );
    for (const p of api) p.campaignId = apiCampaign.id;
    for (const p of ops) p.campaignId = opsCampaign.id;
    planned.push(...api, ...ops);
  }
  console.log(
    `Seeded in ${fmtS(Date.now() - t0)}: 3 users, an API key, a webhook endpoint, 6 funded campaigns ` +
      `(API ${counts.API}, batch ${counts.BATCH}, console ${counts.CONSOLE} payouts per rail)`,
  );

  // --- Processes -------------------------------------------------------------------------------------------
  const tStart = Date.now();
  await ctx.startConsole();
  console.log(`2 web + 2 worker processes up in ${fmtS(Date.now() - tStart)}`);
  await simAdmin(ctx.simUrl, "/__sim/faults", FAULTS(ctx.seed));

  // --- Traffic and kills -----------------------------------------------------------------------------------
  const stats = newStats();
  const bases = ctx.webBases;
  const kills: Array<{ at: number; name: string; downMs: number }> = [];
  const trafficStart = Date.now();
  const apiDeadline = trafficStart + size.windowMs + 120_000;

  // Shuffled (seeded), so every rail's requests arrive throughout the window rather than one rail after another.
  const shuffle = <T>(items: T[]): T[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  };
  const apiItems = shuffle(planned.filter((p) => p.channel === "API"));
  const api = spread(apiItems, size.windowMs, random, (item, i) =>
    requestOverApi({ bases, secret, deadline: apiDeadline }, item, i, stats, random),
  );

  const batchGroups: Planned[][] = [];
  for (const rail of RAILS) {
    const rows = planned.filter((p) => p.channel === "BATCH" && p.rail === rail);
    for (let i = 0; i < rows.length; i += size.batchSize) batchGroups.push(rows.slice(i, i + size.batchSize));
  }
  shuffle(batchGroups);
  const batches = spread(batchGroups, size.windowMs * 0.8, random, (rows) =>
    sendBatch(rows, marketer, approver, stats),
  );

  const pending: Array<{ id: string; makerMayApprove: UserActor | null }> = [];
  const consoleItems = shuffle(planned.filter((p) => p.channel === "CONSOLE"));
  let consoleDone = false;
  const consoleRequests = spread(consoleItems, size.windowMs * 0.8, random, async (item, i) => {
    // Every tenth request is an admin's, who may approve payouts but never their own.
    const maker = i % 10 === 0 ? admin : marketer;
    const id = await requestInConsole(item, maker, stats);
    if (id) pending.push({ id, makerMayApprove: maker === admin ? admin : null });
  }).then(() => (consoleDone = true));
  const approvals = (async () => {
    while (!consoleDone || pending.length > 0) {
      await sleep(1500 + random() * 1500);
      await decidePending(pending, approver, stats, random);
    }
  })();

  const monkey = (async () => {
    const events: Array<"worker" | "web"> = [
      ...Array.from({ length: size.kills.worker }, () => "worker" as const),
      ...Array.from({ length: size.kills.web }, () => "web" as const),
    ].sort(() => random() - 0.5);
    const slot = (size.windowMs * 0.9) / Math.max(1, events.length);
    for (const [i, role] of events.entries()) {
      const at = trafficStart + slot * i + slot * (0.2 + 0.6 * random());
      await sleep(Math.max(0, at - Date.now()));
      const pool = role === "worker" ? ctx.workers : ctx.webs;
      const victim = pool[Math.floor(random() * pool.length)];
      if (!victim) continue;
      const killedAt = Date.now();
      await victim.kill();
      await sleep(1000 + random() * 4000);
      await victim.start();
      kills.push({ at: killedAt - trafficStart, name: victim.name, downMs: Date.now() - killedAt });
      console.log(
        `  kill -9 ${victim.name} at +${fmtS(killedAt - trafficStart)}, back after ${fmtS(Date.now() - killedAt)}`,
      );
    }
  })();

  await Promise.all([api, batches, consoleRequests, approvals, monkey]);
  const trafficMs = Date.now() - trafficStart;
  console.log(`Traffic done in ${fmtS(trafficMs)}; faults off, draining…`);

  // --- Drain -------------------------------------------------------------------------------------------------
  const faultsSeen = simulatorFigures(ctx.sim.output());
  await simAdmin(ctx.simUrl, "/__sim/faults", { rules: [] });
  const drain = await waitForDrain(size.drainLimitMs, (left) =>
    console.log(`  … ${left.payouts} payouts in flight, ${left.deliveries} webhook deliveries pending`),
  );

  // --- Checks ------------------------------------------------------------------------------------------------
  const ledger = await simAdmin<LedgerEntry[]>(ctx.simUrl, "/__sim/ledger");
  const simCampaigns = new Map<string, { totalFen: number; sendAmountFen: number }>();
  for (const c of await db.campaign.findMany({ where: { crowdNo: { not: null } } })) {
    const state = await simAdmin<{ totalFen: number; sendAmountFen: number }>(
      ctx.simUrl,
      `/__sim/campaigns/${encodeURIComponent(c.crowdNo ?? "")}`,
    );
    simCampaigns.set(c.crowdNo ?? "", state);
  }
  const checked = await runChecks({ planned, ledger, simCampaigns, receiver });
  await receiver.close();

  // --- Report ------------------------------------------------------------------------------------------------
  const table = (title: string, rows: Record<string, number>) =>
    console.log(
      `  ${title.padEnd(22)} ${Object.entries(rows)
        .map(([k, v]) => `${k} ${v}`)
        .join(" · ")}`,
    );
  const byStatus = (filter: (p: (typeof checked.payouts)[number]) => boolean) => {
    const out: Record<string, number> = {};
    for (const p of checked.payouts.filter(filter)) out[p.status] = (out[p.status] ?? 0) + 1;
    return out;
  };
  const plannedBy = (channel: Channel) => planned.filter((p) => p.channel === channel);
  const deliveryStatus = await db.webhookDelivery.groupBy({ by: ["status"], _count: true });
  console.log(`\nFigures (${size.label})`);
  table("payouts asked", {
    total: planned.length,
    accepted: planned.filter((p) => p.outcome === "accepted").length,
    refused: planned.filter((p) => p.outcome === "refused").length,
  });
  table(
    "payouts held",
    byStatus(() => true),
  );
  for (const rail of RAILS)
    table(
      `  ${rail}`,
      byStatus((p) => p.campaign.rail === rail),
    );
  for (const channel of ["API", "BATCH", "CONSOLE"] as const)
    table(`  ${channel}`, {
      asked: plannedBy(channel).length,
      ...byStatus((p) =>
        plannedBy(channel).some((q) => q.campaignId === p.campaignId && q.outBizNo === p.outBizNo),
      ),
    });
  table("API", {
    requests: stats.apiRequests,
    replays200: stats.apiReplays,
    forcedClientTimeouts: stats.forcedClientTimeouts,
    ...Object.fromEntries(Object.entries(stats.apiRefusals).map(([k, v]) => [`refused ${k}`, v])),
  });
  table("API retries", stats.apiRetries);
  table("batches / console", {
    batches: stats.batches,
    invalidRowsFlagged: stats.batchInvalidRowsSeen,
    consoleRequests: stats.consoleRequests,
    approved: stats.consoleApproved,
    rejected: stats.consoleRejected,
    ownApprovalRefused: stats.ownApprovalRefused,
    serviceErrorsRetried: stats.serviceErrors,
  });
  table("faults injected", faultsSeen.faults);
  table("gateway calls (traffic)", faultsSeen.calls);
  table("kills (SIGKILL)", {
    worker: kills.filter((k) => k.name.startsWith("worker")).length,
    web: kills.filter((k) => k.name.startsWith("web")).length,
  });
  table("webhooks", {
    ...Object.fromEntries(deliveryStatus.map((d) => [d.status, d._count])),
    receiverRequests: receiver.stats.requests,
    answered500: receiver.stats.answered500,
    redeliveredAfterAccept: receiver.stats.duplicates,
    badSignature: receiver.stats.badSignature,
  });
  table("ledger", {
    payments: ledger.filter((e) => e.kind !== "FUNDING" && e.kind !== "REFUND").length,
    duplicates: checked.duplicates,
    overspendFen: checked.overspend,
  });
  console.log(
    `  time                   seed+start ${fmtS(trafficStart - t0)} · traffic ${fmtS(trafficMs)} · ` +
      `drain ${drain.drained ? fmtS(drain.ms) : `NOT drained after ${fmtS(drain.ms)} (${drain.left.payouts} payouts, ${drain.left.deliveries} deliveries)`} · ` +
      `total ${fmtS(Date.now() - t0)}`,
  );

  let ok = drain.drained && stats.ownApprovalAllowed === 0;
  console.log(`\nChecks`);
  if (stats.ownApprovalAllowed > 0)
    console.log(`  ✖ maker approved own payout ${stats.ownApprovalAllowed} times`);
  for (const r of checked.results) {
    ok &&= r.problems.length === 0;
    console.log(`  ${r.problems.length === 0 ? "✔" : "✖"} ${r.name}`);
    for (const p of r.problems) console.log(`      ${p}`);
    for (const n of r.notes) console.log(`      note: ${n}`);
  }
  if (!drain.drained) console.log(`  ✖ drained within ${fmtS(size.drainLimitMs)}`);
  console.log(ok ? "\nCHAOS: all checks held" : "\nCHAOS: FAILED");
  return ok;
}
