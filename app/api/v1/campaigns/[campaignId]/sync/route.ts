import { changeApiCampaign } from "@/lib/api/campaigns";
import { apiJson, defineApiRoute, parseInput } from "@/lib/api/route";
import { apiCampaignPathSchema } from "@/lib/api/schemas/campaigns";
import { assertCampaignInScope } from "@/lib/auth/actor";

/**
 * Asks Alipay for the campaign's state now (has the budget been paid?), as "Refresh status" does in the
 * console, and returns the campaign as stored afterwards. Alipay not answering is not an error here: the
 * campaign is returned as it was, and the background sync tries again.
 */
export const POST = defineApiRoute<"POST /api/v1/campaigns/[campaignId]/sync", { campaignId: string }>(
  "POST /api/v1/campaigns/[campaignId]/sync",
  async (_request, { actor, params }) => {
    assertCampaignInScope(actor, params.campaignId);
    const { campaignId } = parseInput(apiCampaignPathSchema, params);
    return apiJson(await changeApiCampaign(actor, campaignId, "sync"));
  },
);
