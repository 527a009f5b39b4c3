import { getApiCampaign } from "@/lib/api/campaigns";
import { apiJson, defineApiRoute, parseInput } from "@/lib/api/route";
import { apiCampaignPathSchema } from "@/lib/api/schemas/campaigns";
import { assertCampaignInScope } from "@/lib/auth/actor";

/** One campaign with its status and budget figures. Outside the key's campaigns, or unknown: 404. */
export const GET = defineApiRoute<"GET /api/v1/campaigns/[campaignId]", { campaignId: string }>(
  "GET /api/v1/campaigns/[campaignId]",
  async (_request, { actor, params }) => {
    assertCampaignInScope(actor, params.campaignId);
    const { campaignId } = parseInput(apiCampaignPathSchema, params);
    return apiJson(await getApiCampaign(actor, campaignId));
  },
);
