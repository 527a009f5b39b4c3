"use server";

import { alipay } from "@/lib/alipay";
import { setCampaignPaused } from "@/lib/campaigns/service";
import { campaignIdSchema } from "@/lib/validation/campaigns";
import { defineAction } from "./safe-action";

/** Resumes a paused campaign at Alipay (PAUSE → READY), then locally. */
export const resumeCampaignAction = defineAction(
  { name: "resumeCampaign", schema: campaignIdSchema },
  async ({ campaignId }, { actor }) => ({
    status: (await setCampaignPaused(alipay(), actor, campaignId, false)).status,
  }),
);
