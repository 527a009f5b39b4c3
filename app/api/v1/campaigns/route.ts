import { createApiCampaign, listApiCampaigns } from "@/lib/api/campaigns";
import { apiJson, defineApiRoute, parseInput, readJsonBody, searchParamsOf } from "@/lib/api/route";
import {
  apiCampaignListQuerySchema,
  apiCreateCampaignSchema,
  CAMPAIGN_API_FIELD_NAMES,
} from "@/lib/api/schemas/campaigns";
import { assertMayCreateCampaigns } from "@/lib/campaigns/service";

/** The key's campaigns, newest first, a page at a time (`nextCursor`), optionally in one status. */
export const GET = defineApiRoute("GET /api/v1/campaigns", async (request, { actor }) => {
  const query = parseInput(apiCampaignListQuerySchema, searchParamsOf(request));
  return apiJson(await listApiCampaigns(actor, query));
});

/**
 * Creates a campaign exactly as the console's form does (the same schema and service), at Alipay too: 201 with
 * the campaign and Alipay's cashier link to pay its budget. A key limited to some campaigns is refused before
 * the body is read. Alipay's refusal is a 502 naming Alipay's reason (the campaign stays recorded as FAILED, to
 * be corrected in the console); when Alipay's answer is not known the campaign is UNKNOWN and the console looks
 * it up — 202, and creating it again would make a second one.
 */
export const POST = defineApiRoute(
  "POST /api/v1/campaigns",
  async (request, { actor }) => {
    assertMayCreateCampaigns(actor);
    const input = parseInput(apiCreateCampaignSchema, await readJsonBody(request));
    const campaign = await createApiCampaign(actor, input);
    return apiJson({ campaign, payUrl: campaign.payUrl }, campaign.status === "UNKNOWN" ? 202 : 201);
  },
  { fieldNames: CAMPAIGN_API_FIELD_NAMES },
);
