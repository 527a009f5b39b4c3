import { requestApiPayout } from "@/lib/api/payouts";
import { apiJson, defineApiRoute, parseInput, readJsonBody, searchParamsOf } from "@/lib/api/route";
import {
  apiCampaignPathSchema,
  apiPayoutRequestQuerySchema,
  apiPayoutRequestSchema,
  PAYOUT_API_FIELD_NAMES,
} from "@/lib/api/schemas/payouts";
import { assertCampaignInScope, type ApiKeyActor } from "@/lib/auth/actor";

/**
 * Requests one red packet through the one request path (requestPayout, source API). 201 with the new payout,
 * 200 with the existing one for an identical replay of its outBizNo, 409 IDEMPOTENCY_CONFLICT naming the fields
 * that differ. The key's campaign scope is checked before the body is even read: a campaign outside it is a 404
 * whatever was sent.
 */
export const POST = defineApiRoute(
  "POST /api/v1/campaigns/[campaignId]/payouts",
  async (request, { actor, params }: { actor: ApiKeyActor; params: { campaignId: string } }) => {
    assertCampaignInScope(actor, params.campaignId);
    const { campaignId } = parseInput(apiCampaignPathSchema, params);
    const { wait } = parseInput(apiPayoutRequestQuerySchema, searchParamsOf(request));
    const body = parseInput(apiPayoutRequestSchema, await readJsonBody(request));
    const { payout, replayed } = await requestApiPayout(actor, campaignId, body, {
      waitSeconds: wait,
      signal: request.signal,
    });
    const response = apiJson(payout, replayed ? 200 : 201);
    response.headers.set(
      "location",
      `/api/v1/campaigns/${encodeURIComponent(campaignId)}/payouts/${encodeURIComponent(payout.outBizNo)}`,
    );
    return response;
  },
  { fieldNames: PAYOUT_API_FIELD_NAMES },
);
