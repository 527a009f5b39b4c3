"use server";

import { z } from "zod";
import { alipay } from "@/lib/alipay";
import { resubmitCampaign } from "@/lib/campaigns/service";
import { env } from "@/lib/env";
import { campaignFormSchema } from "@/lib/validation/campaigns";
import { defineAction } from "./safe-action";

const schema = z
  .object({ campaignId: z.string().min(1, "validation.required").max(64) })
  .and(campaignFormSchema({ timeZone: env.DISPLAY_TIME_ZONE }));

export const resubmitCampaignAction = defineAction(
  { name: "resubmitCampaign", schema },
  async ({ campaignId, ...input }, { actor }) => {
    const campaign = await resubmitCampaign(alipay(), actor, campaignId, input);
    return { id: campaign.id, status: campaign.status };
  },
);
