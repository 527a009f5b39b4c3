import { getApiPayout } from "@/lib/api/payouts";
import { apiJson, defineApiRoute, parseInput } from "@/lib/api/route";
import { apiPayoutPathSchema } from "@/lib/api/schemas/payouts";
import { assertCampaignInScope, type ApiKeyActor } from "@/lib/auth/actor";

/** One payout by the outBizNo it was requested with. Outside the key's campaigns, or unknown: 404. */
export const GET = defineApiRoute(
  "GET /api/v1/campaigns/[campaignId]/payouts/[outBizNo]",
  async (
    _request,
    { actor, params }: { actor: ApiKeyActor; params: { campaignId: string; outBizNo: string } },
  ) => {
    assertCampaignInScope(actor, params.campaignId);
    const { campaignId, outBizNo } = parseInput(apiPayoutPathSchema, params);
    return apiJson(await getApiPayout(actor, campaignId, outBizNo));
  },
);
