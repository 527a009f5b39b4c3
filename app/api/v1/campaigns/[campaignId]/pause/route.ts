import { changeApiCampaign } from "@/lib/api/campaigns";
import { apiJson, defineApiRoute, parseInput } from "@/lib/api/route";
import { apiCampaignPathSchema } from "@/lib/api/schemas/campaigns";
import { assertCampaignInScope } from "@/lib/auth/actor";

/**
 * Pauses sending at Alipay (ACTIVE → PAUSED), then in the console; returns the campaign. Another status
 * is a 409 CONFLICT. Alipay refusing is a 502 ALIPAY_UNAVAILABLE with its reason; Alipay not answering is one
 * too, after the campaign's actual state was read back from Alipay (GET it to see where it stands).
 */
export const POST = defineApiRoute<"POST /api/v1/campaigns/[campaignId]/pause", { campaignId: string }>(
  "POST /api/v1/campaigns/[campaignId]/pause",
  async (_request, { actor, params }) => {
    assertCampaignInScope(actor, params.campaignId);
    const { campaignId } = parseInput(apiCampaignPathSchema, params);
    return apiJson(await changeApiCampaign(actor, campaignId, "pause"));
  },
);
