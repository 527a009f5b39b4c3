"use server";

import { alipay } from "@/lib/alipay";
import { fundByAgreement, startPagePay } from "@/lib/fund-coupon/orders";
import { requestOrigin } from "@/lib/request-origin";
import { fundCampaignSchema } from "@/lib/validation/fund-coupon";
import { defineAction } from "./safe-action";

/**
 * "Add funds" on a fund-coupon campaign. Agreement pay is settled here (the order's status comes back); the
 * cashier returns a signed form the browser submits to Alipay, which later sends the payer back to the
 * campaign's fund-return page on this console's own origin.
 */
export const fundCampaignAction = defineAction(
  { name: "fundCampaign", schema: fundCampaignSchema },
  async (input, { actor }) => {
    const order = { campaignId: input.campaignId, amountFen: input.amountFen, title: input.title };
    if (input.method === "AGREEMENT") {
      const paid = await fundByAgreement(alipay(), actor, {
        ...order,
        expiresInMinutes: input.expiresInMinutes,
      });
      return { method: "AGREEMENT" as const, status: paid.status, form: null };
    }
    const returnUrl = `${await requestOrigin()}/campaigns/${encodeURIComponent(input.campaignId)}/fund-return`;
    const started = await startPagePay(alipay(), actor, order, returnUrl);
    return { method: "PAGE" as const, status: started.order.status, form: started.form };
  },
);
