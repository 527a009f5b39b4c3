/**
 * Payout test helpers: a funded, active cash campaign at the simulator, a dispatcher sending through a test
 * client, and waits for payouts to settle. Real database, real simulator over HTTP, real SDK.
 */
import type { AlipayClient } from "@/lib/alipay/client";
import type { Actor } from "@/lib/auth/actor";
import { createCampaign, syncCampaign } from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import type { PayoutStatus } from "@/lib/enums";
import { Dispatcher } from "@/lib/payouts/dispatch";
import type { PayoutRequest } from "@/lib/payouts/request";
import type { CampaignInput } from "@/lib/validation/campaigns";
import type { TestAlipay } from "./alipay";

const DAY = 24 * 60 * 60 * 1000;
let n = 0;

export function campaignInput(overrides: Partial<CampaignInput> = {}): CampaignInput {
  n += 1;
  return {
    name: `Payouts ${Date.now()}-${n}`,
    prizeMessage: "Thanks",
    prizeType: "FIXED",
    rail: "CASH_CAMPAIGN",
    budgetFen: 10_000,
    packetCount: 100,
    startsAt: null,
    endsAt: new Date(Math.floor((Date.now() + 30 * DAY) / 1000) * 1000),
    frequencyLifetime: 100,
    frequencyPeriod: null,
    frequencyPeriodLimit: null,
    merchantLink: null,
    defaultScene: "POINTS_REDEMPTION",
    autoApproveMaxFen: 100_000,
    autoApproveDailyCapFen: 100_000_000,
    maxPacketFen: null,
    dailyAmountPerUserFen: null,
    ...overrides,
  };
}

/** Created, paid at the simulator's cashier and synced: ACTIVE. */
export async function activeCampaign(
  alipay: TestAlipay,
  client: AlipayClient,
  actor: Actor,
  overrides: Partial<CampaignInput> = {},
) {
  const created = await createCampaign(client, actor, campaignInput(overrides));
  await alipay.admin(`/__sim/campaigns/${encodeURIComponent(created.crowdNo ?? "")}/pay`, {});
  return syncCampaign(client, actor, created.id);
}

/** A distinct Alipay user id the simulator knows (2088 + 12 digits, not 20889999…). */
export function userId(i: number): string {
  return `2088${String(100_000_000_000 + i).slice(-12)}`;
}

export function testDispatcher(
  client: AlipayClient,
  overrides: Partial<ConstructorParameters<typeof Dispatcher>[0]> = {},
) {
  return new Dispatcher({
    client: () => client,
    concurrency: 32,
    leaseMs: 10_000,
    pollMs: 100,
    retry: { baseDelayMs: 50, maxDelayMs: 400, maxAttempts: 20 },
    ...overrides,
  });
}

/** Waits until no payout of the campaign is in one of `statuses`. */
export async function waitUntilNone(
  campaignId: string,
  statuses: PayoutStatus[],
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await db.payout.count({ where: { campaignId, status: { in: statuses } } });
    if (left === 0) return;
    if (Date.now() > deadline) throw new Error(`${left} payouts still ${statuses.join("/")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type LedgerEntry = { key: string; amountFen: number; kind: string; user: string };

/** The simulator's payments for one campaign (keys are `<crowdNo>/<outBizNo>`). */
export async function ledgerFor(alipay: TestAlipay, crowdNo: string): Promise<LedgerEntry[]> {
  const ledger = await alipay.admin<LedgerEntry[]>("/__sim/ledger");
  return ledger.filter((e) => e.kind === "CAMPAIGN_TRIGGER" && e.key.startsWith(`${crowdNo}/`));
}

/** A console request for one packet to `userId(1)`, unless told otherwise. */
export function payoutRequest(campaignId: string, overrides: Partial<PayoutRequest> = {}): PayoutRequest {
  return {
    campaignId,
    identityType: "USER_ID",
    identity: userId(1),
    scene: "POINTS_REDEMPTION",
    memo: null,
    outBizNo: null,
    source: "CONSOLE",
    ...overrides,
  };
}
