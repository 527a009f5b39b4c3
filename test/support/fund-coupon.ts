/**
 * Fund-coupon test helpers: a FUND_COUPON campaign funded by agreement pay at the simulator (real database, real
 * simulator over HTTP, real SDK), and the simulator's ledger entries for fund-coupon orders.
 */
import type { AlipayClient } from "@/lib/alipay/client";
import type { Actor } from "@/lib/auth/actor";
import { createCampaign } from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import { fundByAgreement } from "@/lib/fund-coupon/orders";
import type { CampaignInput } from "@/lib/validation/campaigns";
import type { TestAlipay } from "./alipay";
import { campaignInput, type LedgerEntry } from "./payouts";

export type FundedCouponOverrides = Partial<CampaignInput> & {
  /** What the first order pays (default ¥100.00). */
  fundingFen?: number;
  /** orderExpiredTime of that order, in minutes (default one day). */
  expiresInMinutes?: number;
};

/** A FUND_COUPON campaign (maxPacketFen ¥5.00 unless told) funded by one agreement-pay order: ACTIVE. */
export async function fundedCouponCampaign(
  _alipay: TestAlipay,
  client: AlipayClient,
  actor: Actor,
  overrides: FundedCouponOverrides = {},
) {
  const { fundingFen = 10_000, expiresInMinutes = 24 * 60, ...input } = overrides;
  const created = await createCampaign(
    client,
    actor,
    campaignInput({ rail: "FUND_COUPON", maxPacketFen: 500, ...input }),
  );
  const order = await fundByAgreement(client, actor, {
    campaignId: created.id,
    amountFen: fundingFen,
    title: "Test funding",
    expiresInMinutes,
  });
  if (order.status !== "PAID") throw new Error(`funding order is ${order.status}`);
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: created.id } });
  return { campaign, order };
}

/** The simulator's ledger entries of one kind whose key starts with `prefix`. */
export async function fundLedger(alipay: TestAlipay, kind: string, prefix = ""): Promise<LedgerEntry[]> {
  const ledger = await alipay.admin<LedgerEntry[]>("/__sim/ledger");
  return ledger.filter((e) => e.kind === kind && e.key.startsWith(prefix));
}
