/**
 * The campaign endpoints as the OpenAPI document, docs/api.md and the console's API page describe them, with
 * the schemas their route handlers parse with (lib/api/schemas/campaigns.ts). Pure.
 */
import { apiCampaignSchema } from "@/lib/api/resources";
import type { EndpointSpec } from "@/lib/api/endpoint-spec";
import {
  apiCampaignListQuerySchema,
  apiCampaignListSchema,
  apiCampaignPathSchema,
  apiCreateCampaignSchema,
  apiCreatedCampaignSchema,
} from "@/lib/api/schemas/campaigns";

const AUTH = `-H "Authorization: Bearer $HONGBAO_KEY"`;

/** `curl` for a POST without a body on one campaign. */
function postOn(action: string): string {
  return `curl -X POST "$HONGBAO_URL/api/v1/campaigns/$CAMPAIGN_ID/${action}" \\\n  ${AUTH}`;
}

const campaignResponse = (description: string) => ({ 200: { description, schema: apiCampaignSchema } });

export const CAMPAIGN_ENDPOINTS: readonly EndpointSpec[] = [
  {
    route: "GET /api/v1/campaigns",
    tag: "Campaigns",
    summary: "List campaigns",
    description:
      "The campaigns the key may use, newest first, `limit` at a time. Pass `nextCursor` back as `cursor` for " +
      "the next page; it is null on the last one. A key limited to some campaigns sees only those.",
    query: apiCampaignListQuerySchema,
    responses: { 200: { description: "One page of campaigns", schema: apiCampaignListSchema } },
    errors: ["VALIDATION"],
    example: `curl "$HONGBAO_URL/api/v1/campaigns?status=ACTIVE&limit=20" \\\n  ${AUTH}`,
  },
  {
    route: "POST /api/v1/campaigns",
    tag: "Campaigns",
    summary: "Create a campaign",
    description:
      "Creates a campaign with the same rules as the console's form, on the `rail` the body names. " +
      "TRANSFER (STD_RED_PACKET from the merchant balance) is ACTIVE at once with `budgetFen` as its limit and " +
      "`maxPacketFen` per packet; FUND_COUPON (收发现金红包) has no budgetFen: it is AWAITING_FUNDING until red-packet " +
      "orders are paid in the console (`payUrl` is null for both). " +
      "The default, CASH_CAMPAIGN (营销活动送红包), is created at Alipay with the form's rules: packet " +
      "size limits, a FIXED budget that divides into whole fen, the time window, frequency limits and the " +
      "approval policy; each problem is a 422 naming the field. Answers 201 with `payUrl`, Alipay's cashier " +
      "page where a person pays the budget (until then nothing can be sent: status AWAITING_FUNDING, then " +
      "ACTIVE once paid — call …/sync or wait for the `campaign.active` webhook). If Alipay does not answer, " +
      "the campaign is UNKNOWN and answered 202: the console looks it up at Alipay; do not create it again. " +
      "Only keys for all campaigns may create campaigns. Not idempotent: every call creates a campaign.",
    body: apiCreateCampaignSchema,
    responses: {
      201: {
        description: "Created at Alipay, awaiting funding at `payUrl`",
        schema: apiCreatedCampaignSchema,
      },
      202: {
        description:
          "Recorded, but Alipay's answer is not known yet (status UNKNOWN); the console resolves it",
        schema: apiCreatedCampaignSchema,
      },
    },
    errors: ["INVALID_JSON", "VALIDATION", "ALIPAY_UNAVAILABLE"],
    example:
      `curl -X POST "$HONGBAO_URL/api/v1/campaigns" \\\n  ${AUTH} \\\n` +
      `  -H "Content-Type: application/json" \\\n` +
      `  -d '{"name":"Points redemption — December","prizeMessage":"Thanks for being with us!",` +
      `"prizeType":"FIXED","budgetFen":10000,"packetCount":50,"endsAt":"2026-12-31T23:59:59+08:00"}'`,
  },
  {
    route: "GET /api/v1/campaigns/[campaignId]",
    tag: "Campaigns",
    summary: "Get a campaign",
    description:
      "The campaign's status and budget figures: `availableFen` is what can still be paid out (0 until the " +
      "budget is paid on Alipay).",
    params: apiCampaignPathSchema,
    responses: campaignResponse("The campaign"),
    errors: ["VALIDATION", "NOT_FOUND"],
    example: `curl "$HONGBAO_URL/api/v1/campaigns/$CAMPAIGN_ID" \\\n  ${AUTH}`,
  },
  {
    route: "POST /api/v1/campaigns/[campaignId]/sync",
    tag: "Campaigns",
    summary: "Refresh a campaign from Alipay",
    description:
      "Asks Alipay for the campaign's state now — typically after the budget was paid, to see it ACTIVE — " +
      "and returns the campaign. The console also does this every few minutes by itself.",
    params: apiCampaignPathSchema,
    responses: campaignResponse("The campaign as stored after asking Alipay"),
    errors: ["VALIDATION", "NOT_FOUND"],
    example: postOn("sync"),
  },
  {
    route: "POST /api/v1/campaigns/[campaignId]/pause",
    tag: "Campaigns",
    summary: "Pause a campaign",
    description:
      "Stops sending (ACTIVE → PAUSED) at Alipay and in the console; payouts requested meanwhile are refused " +
      "with CAMPAIGN_NOT_PAYING.",
    params: apiCampaignPathSchema,
    responses: campaignResponse("The paused campaign"),
    errors: ["VALIDATION", "NOT_FOUND", "CONFLICT", "ALIPAY_UNAVAILABLE"],
    example: postOn("pause"),
  },
  {
    route: "POST /api/v1/campaigns/[campaignId]/resume",
    tag: "Campaigns",
    summary: "Resume a campaign",
    description: "Sends again (PAUSED → ACTIVE) at Alipay and in the console.",
    params: apiCampaignPathSchema,
    responses: campaignResponse("The active campaign"),
    errors: ["VALIDATION", "NOT_FOUND", "CONFLICT", "ALIPAY_UNAVAILABLE"],
    example: postOn("resume"),
  },
  {
    route: "POST /api/v1/campaigns/[campaignId]/close",
    tag: "Campaigns",
    summary: "Close a campaign",
    description:
      "Stops all sending for good (CLOSED); before the budget is paid this cancels the campaign. Alipay " +
      "ends it at its end time and returns the unused budget, after which it is SETTLED.",
    params: apiCampaignPathSchema,
    responses: campaignResponse("The closed campaign"),
    // Closing never waits on Alipay: the pause it sends first is best effort, and the sync follows Alipay.
    errors: ["VALIDATION", "NOT_FOUND", "CONFLICT"],
    example: postOn("close"),
  },
];
