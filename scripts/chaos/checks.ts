/**
 * After the storm: waits for the payouts and webhook deliveries to drain, then compares the console's records
 * with what the simulator says was really paid, payout by payout. Each check returns the problems it found
 * (empty = it holds); the driver prints them and exits non-zero when any is non-empty.
 */
import { checkBudgets } from "../../lib/budget/service";
import { db } from "../../lib/db";
import { disburseRequestNo } from "../../lib/payouts/rails/fund-coupon";
import { sleep } from "./processes";
import type { Receiver } from "./receiver";
import type { Planned } from "./traffic";

export type LedgerEntry = {
  id: string;
  key: string;
  user: string;
  amountFen: number;
  kind: string;
  method: string;
};

/** Ledger kinds that pay a recipient (one per console payout at most). */
const PAYMENT_KINDS = new Set(["CAMPAIGN_TRIGGER", "FUND_COUPON_DISBURSE", "TRANSFER"]);
const IN_FLIGHT = ["PENDING_APPROVAL", "APPROVED", "SENDING", "UNKNOWN"] as const;
const TERMINAL = new Set(["SUCCEEDED", "FAILED", "REJECTED", "CANCELED", "NEEDS_ATTENTION"]);

export type DrainResult = { drained: boolean; ms: number; left: { payouts: number; deliveries: number } };

/** Polls until no payout is in flight and no webhook delivery is pending, or the limit passes. */
export async function waitForDrain(limitMs: number, onTick: (left: DrainResult["left"]) => void) {
  const started = Date.now();
  let lastPrint = 0;
  for (;;) {
    const [payouts, deliveries] = await Promise.all([
      db.payout.count({ where: { status: { in: [...IN_FLIGHT] } } }),
      db.webhookDelivery.count({ where: { status: "PENDING" } }),
    ]);
    const left = { payouts, deliveries };
    if (payouts === 0 && deliveries === 0) return { drained: true, ms: Date.now() - started, left };
    if (Date.now() - started > limitMs) return { drained: false, ms: Date.now() - started, left };
    if (Date.now() - lastPrint > 10_000) {
      lastPrint = Date.now();
      onTick(left);
    }
    await sleep(500);
  }
}

export type CheckResult = { name: string; problems: string[]; notes: string[] };

type Campaign = Awaited<ReturnType<typeof loadCampaigns>>[number];
type PayoutRow = Awaited<ReturnType<typeof loadPayouts>>[number];

function loadCampaigns() {
  return db.campaign.findMany({ include: { fundOrders: true } });
}
function loadPayouts() {
  return db.payout.findMany({ include: { campaign: { select: { rail: true, crowdNo: true } } } });
}

/** The ledger key Alipay files this payout's payment under (see docs/alipay-simulator.md → The ledger). */
function ledgerKey(payout: PayoutRow): string {
  switch (payout.campaign.rail) {
    case "CASH_CAMPAIGN":
      return `${payout.campaign.crowdNo ?? ""}/${payout.outBizNo}`;
    case "FUND_COUPON":
      return `${payout.outBizNo}/${disburseRequestNo(payout)}`;
    case "TRANSFER":
      return payout.outBizNo;
  }
}

const list = (items: string[], max = 10) =>
  items.length <= max ? items : [...items.slice(0, max), `… and ${items.length - max} more`];

export async function runChecks(input: {
  planned: readonly Planned[];
  ledger: readonly LedgerEntry[];
  simCampaigns: ReadonlyMap<string, { totalFen: number; sendAmountFen: number }>;
  receiver: Receiver;
}): Promise<{
  results: CheckResult[];
  payouts: PayoutRow[];
  campaigns: Campaign[];
  duplicates: number;
  overspend: number;
}> {
  const [payouts, campaigns] = await Promise.all([loadPayouts(), loadCampaigns()]);
  const results: CheckResult[] = [];

  // 1. Every payout ended (or waits for a person, saying why).
  {
    const problems: string[] = [];
    for (const p of payouts) {
      if (!TERMINAL.has(p.status)) problems.push(`${p.outBizNo}: still ${p.status}`);
      else if (p.status === "NEEDS_ATTENTION" && !p.attentionReason)
        problems.push(`${p.outBizNo}: NEEDS_ATTENTION without a reason`);
      else if (p.status === "FAILED" && !p.failureCode && !p.failureMessage)
        problems.push(`${p.outBizNo}: FAILED without a failure code`);
    }
    results.push({
      name: "every payout terminal or NEEDS_ATTENTION with a reason",
      problems: list(problems),
      notes: [],
    });
  }

  // 2. What the driver was told matches what the console holds: accepted ⇔ exactly one payout.
  {
    const problems: string[] = [];
    const byKey = new Map(payouts.map((p) => [`${p.campaignId}/${p.outBizNo}`, p]));
    for (const item of input.planned) {
      const held = byKey.get(`${item.campaignId}/${item.outBizNo}`);
      if (item.outcome === "accepted" && !held) problems.push(`${item.outBizNo}: accepted but no payout`);
      if (item.outcome === "refused" && held)
        problems.push(`${item.outBizNo}: refused (${item.refusal}) yet held`);
      if (item.outcome === "gave-up" || item.outcome === "pending")
        problems.push(`${item.outBizNo}: the driver never got a definite answer (${item.outcome})`);
      byKey.delete(`${item.campaignId}/${item.outBizNo}`);
    }
    for (const p of byKey.values()) problems.push(`${p.outBizNo}: a payout nobody asked for`);
    results.push({
      name: "console holds exactly the payouts it accepted",
      problems: list(problems),
      notes: [],
    });
  }

  // 3. Ledger ⇔ console, payout by payout; 4. no double payment.
  const payments = input.ledger.filter((e) => PAYMENT_KINDS.has(e.kind));
  const entriesByKey = new Map<string, LedgerEntry[]>();
  for (const e of payments) entriesByKey.set(e.key, [...(entriesByKey.get(e.key) ?? []), e]);
  let duplicates = 0;
  {
    const problems: string[] = [];
    const notes: string[] = [];
    const claimed = new Set<string>();
    for (const p of payouts) {
      const key = ledgerKey(p);
      claimed.add(key);
      const entries = entriesByKey.get(key) ?? [];
      if (entries.length > 1) continue; // counted below as a double payment
      const entry = entries[0];
      if (p.status === "SUCCEEDED") {
        if (!entry) problems.push(`${p.outBizNo}: SUCCEEDED but Alipay paid nothing`);
        else if (entry.amountFen !== p.awardedFen || entry.user !== p.identity)
          problems.push(
            `${p.outBizNo}: console ${p.awardedFen} fen to ${p.identity}, Alipay ${entry.amountFen} fen to ${entry.user}`,
          );
      } else if (entry) {
        if (p.status === "NEEDS_ATTENTION")
          notes.push(`${p.outBizNo}: paid at Alipay, waiting for a person (${p.attentionReason ?? ""})`);
        else problems.push(`${p.outBizNo}: ${p.status} but Alipay paid ${entry.amountFen} fen`);
      }
    }
    for (const key of entriesByKey.keys())
      if (!claimed.has(key)) problems.push(`ledger ${key}: a payment no console payout accounts for`);
    results.push({
      name: "simulator ledger = console records, payout by payout",
      problems: list(problems),
      notes: list(notes),
    });

    // Every payout the driver asks for goes to a recipient of its own, so a recipient paid twice is a double
    // payment even when the second one went out under another key (a re-keyed resend).
    const doubles: string[] = [];
    const byUser = new Map<string, string[]>();
    for (const e of payments) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e.key]);
    for (const [user, keys] of byUser) {
      if (keys.length > 1) {
        duplicates += keys.length - 1;
        doubles.push(`${user} paid ${keys.length} times: ${keys.join(", ")}`);
      }
    }
    results.push({ name: "zero double payments", problems: list(doubles), notes: [] });
  }

  // 5. No campaign over budget, on the console's side and on Alipay's.
  let overspend = 0;
  {
    const problems: string[] = [];
    const paidByCampaign = new Map<string, number>();
    const byId = new Map(payouts.map((p) => [ledgerKey(p), p]));
    for (const e of payments) {
      const p = byId.get(e.key);
      if (p) paidByCampaign.set(p.campaignId, (paidByCampaign.get(p.campaignId) ?? 0) + e.amountFen);
    }
    const fundedByOrder = new Map<string, number>();
    for (const e of input.ledger)
      if (e.kind === "FUNDING") fundedByOrder.set(e.key, (fundedByOrder.get(e.key) ?? 0) + e.amountFen);
    for (const c of campaigns) {
      const available = c.budgetFen - c.reservedFen - c.spentFen - c.refundedFen;
      if (available < 0) {
        overspend += -available;
        problems.push(`${c.name}: console available ${available} fen`);
      }
      const succeeded = payouts
        .filter((p) => p.campaignId === c.id && p.status === "SUCCEEDED")
        .reduce((sum, p) => sum + (p.awardedFen ?? 0), 0);
      if (succeeded !== c.spentFen)
        problems.push(`${c.name}: spent ${c.spentFen} fen, payouts say ${succeeded}`);
      const paid = paidByCampaign.get(c.id) ?? 0;
      let limit = c.budgetFen;
      if (c.rail === "FUND_COUPON")
        limit = c.fundOrders.reduce((sum, o) => sum + (fundedByOrder.get(o.outOrderNo) ?? 0), 0);
      if (c.rail === "CASH_CAMPAIGN") {
        const sim = input.simCampaigns.get(c.crowdNo ?? "");
        if (!sim) problems.push(`${c.name}: unknown to the simulator`);
        else {
          limit = sim.totalFen;
          if (sim.sendAmountFen !== paid)
            problems.push(`${c.name}: Alipay's send_amount ${sim.sendAmountFen} fen, its ledger ${paid} fen`);
        }
      }
      if (paid > limit) {
        overspend += paid - limit;
        problems.push(`${c.name}: Alipay paid ${paid} fen of ${limit}`);
      }
    }
    for (const m of await checkBudgets())
      problems.push(
        `campaign ${m.campaignId}: stored ${JSON.stringify(m.stored)} ≠ recomputed ${JSON.stringify(m.recomputed)}`,
      );
    results.push({
      name: "no campaign over budget (console and simulator)",
      problems: list(problems),
      notes: [],
    });
  }

  // 6. Every webhook delivered or visibly failing; delivered ones really reached the receiver.
  {
    const problems: string[] = [];
    const notes: string[] = [];
    const deliveries = await db.webhookDelivery.findMany({
      select: { status: true, eventId: true, attemptCount: true },
    });
    for (const d of deliveries) {
      if (d.status === "PENDING") problems.push(`delivery of event ${d.eventId}: still PENDING`);
      if (d.status === "DELIVERED" && !input.receiver.accepted.has(d.eventId))
        problems.push(`event ${d.eventId}: DELIVERED but the receiver never accepted it`);
    }
    const failed = deliveries.filter((d) => d.status === "FAILED").length;
    if (failed > 0)
      notes.push(`${failed} deliveries FAILED after every attempt (shown with Resend in the console)`);
    const events = await db.webhookEvent.findMany({
      where: { type: "payout.succeeded" },
      select: { entityId: true },
    });
    const perPayout = new Map<string, number>();
    for (const e of events) perPayout.set(e.entityId, (perPayout.get(e.entityId) ?? 0) + 1);
    for (const p of payouts) {
      const n = perPayout.get(p.id) ?? 0;
      if (p.status === "SUCCEEDED" && n !== 1) problems.push(`${p.outBizNo}: ${n} payout.succeeded events`);
      if (p.status !== "SUCCEEDED" && n > 0)
        problems.push(`${p.outBizNo}: ${p.status} with a payout.succeeded event`);
    }
    if (deliveries.length === 0) problems.push("no webhook deliveries at all");
    results.push({ name: "every webhook delivered or visibly failing", problems: list(problems), notes });
  }

  return { results, payouts, campaigns, duplicates, overspend };
}
