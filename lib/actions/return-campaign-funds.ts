"use server";

import { alipay } from "@/lib/alipay";
import { returnUnusedFunds } from "@/lib/fund-coupon/refunds";
import { returnCampaignFundsSchema } from "@/lib/validation/fund-coupon";
import { defineAction } from "./safe-action";

/** "Return unused funds" of a fund-coupon campaign: everything returnable, or (part of) one order. */
export const returnCampaignFundsAction = defineAction(
  { name: "returnCampaignFunds", schema: returnCampaignFundsSchema },
  async (input, { actor }) => {
    const refunds = await returnUnusedFunds(alipay(), actor, input);
    return {
      count: refunds.length,
      amountFen: refunds.reduce((sum, r) => sum + r.amountFen, 0),
      statuses: refunds.map((r) => r.status),
    };
  },
);
