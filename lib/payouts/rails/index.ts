import "server-only";
import type { CampaignRail } from "@/generated/prisma/client";
import { cashCampaignRail } from "./cash-campaign";
import { fundCouponRail } from "./fund-coupon";
import { transferRail } from "./transfer";
import type { PayoutRail } from "./types";

export type { AttemptRecord, PayoutRail, RailPayout, SendOutcome } from "./types";

/** Every rail by name. FUND_COUPON and TRANSFER campaigns cannot be created yet; their rails come next. */
const RAILS: Partial<Record<CampaignRail, PayoutRail>> = {
  CASH_CAMPAIGN: cashCampaignRail,
  FUND_COUPON: fundCouponRail,
  TRANSFER: transferRail,
};

/** The implementation for a campaign's rail: the only place that looks a rail up by its name. */
export function railFor(rail: CampaignRail): PayoutRail {
  const implementation = RAILS[rail];
  if (!implementation) throw new Error(`no payout rail for ${rail} yet`);
  return implementation;
}
