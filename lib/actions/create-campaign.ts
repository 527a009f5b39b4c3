"use server";

import { alipay } from "@/lib/alipay";
import { createCampaign } from "@/lib/campaigns/service";
import { env } from "@/lib/env";
import { campaignFormSchema } from "@/lib/validation/campaigns";
import { defineAction } from "./safe-action";

export const createCampaignAction = defineAction(
  {
    name: "createCampaign",
    schema: campaignFormSchema({ timeZone: env.DISPLAY_TIME_ZONE }),
  },
  async (input, { actor }) => {
    const campaign = await createCampaign(alipay(), actor, input);
    return { id: campaign.id, status: campaign.status };
  },
);
