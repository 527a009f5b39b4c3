"use server";

import { alipay } from "@/lib/alipay";
import { syncCampaign } from "@/lib/campaigns/service";
import { campaignIdSchema } from "@/lib/validation/campaigns";
import { defineAction } from "./safe-action";

/** Reads the campaign's state from Alipay now (after paying, or to settle an unknown create). */
export const refreshCampaignAction = defineAction(
  { name: "refreshCampaign", schema: campaignIdSchema },
  async ({ campaignId }, { actor }) => ({ status: (await syncCampaign(alipay(), actor, campaignId)).status }),
);
