"use server";

import { alipay } from "@/lib/alipay";
import { closeCampaign } from "@/lib/campaigns/service";
import { campaignIdSchema } from "@/lib/validation/campaigns";
import { defineAction } from "./safe-action";

/** Stops all sending; Alipay ends the campaign at its end time and returns the unused budget. */
export const closeCampaignAction = defineAction(
  { name: "closeCampaign", schema: campaignIdSchema },
  async ({ campaignId }, { actor }) => ({
    status: (await closeCampaign(alipay(), actor, campaignId)).status,
  }),
);
