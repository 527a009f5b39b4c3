import { changeApiCampaign } from "@/lib/api/campaigns";
import { apiJson, defineApiRoute, parseInput } from "@/lib/api/route";
import { apiCampaignPathSchema } from "@/lib/api/schemas/campaigns";
import { assertCampaignInScope } from "@/lib/auth/actor";

/**
 * Stops all sending for good (CLOSED); before the budget is paid this cancels the campaign. Alipay ends it at
 * its end time and returns the unused budget (then SETTLED). A status that cannot close is a 409 CONFLICT.
 */
export const POST = defineApiRoute<"POST /api/v1/campaigns/[campaignId]/close", { campaignId: string }>(
  "POST /api/v1/campaigns/[campaignId]/close",
  async (_request, { actor, params }) => {
    assertCampaignInScope(actor, params.campaignId);
    const { campaignId } = parseInput(apiCampaignPathSchema, params);
    return apiJson(await changeApiCampaign(actor, campaignId, "close"));
  },
);
