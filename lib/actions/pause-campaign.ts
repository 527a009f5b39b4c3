"use server";

import { alipay } from "@/lib/alipay";
import { setCampaignPaused } from "@/lib/campaigns/service";
import { campaignIdSchema } from "@/lib/validation/campaigns";
import { defineAction } from "./safe-action";

/** Pauses sending at Alipay (READY → PAUSE), then locally. */
export const pauseCampaignAction = defineAction(
  { name: "pauseCampaign", schema: campaignIdSchema },
  async ({ campaignId }, { actor }) => ({
    status: (await setCampaignPaused(alipay(), actor, campaignId, true)).status,
  }),
);
