/**
 * The machine API's payout endpoints as lib/api/openapi.ts and the console's API page describe them. The
 * schemas are the very ones the route handlers parse with (lib/api/schemas/payouts.ts). Pure.
 */
import type { EndpointSpec } from "@/lib/api/endpoint-spec";
import { apiPayoutSchema } from "@/lib/api/resources";
import {
  apiCampaignPathSchema,
  apiPayoutListQuerySchema,
  apiPayoutListSchema,
  apiPayoutPathSchema,
  apiPayoutRequestQuerySchema,
  apiPayoutRequestSchema,
  PAYOUT_WAIT_MAX_SECONDS,
} from "@/lib/api/schemas/payouts";

const requestPayout: EndpointSpec = {
  route: "POST /api/v1/campaigns/[campaignId]/payouts",
  summary: "Send a red packet",
  description:
    "Requests one red packet from the campaign's budget to one Alipay user. `outBizNo` is your idempotency " +
    "key: it is stored before anything is sent and reused on every retry, so one key is never paid twice. " +
    "Sending the same `outBizNo` again with the same recipient, scene and memo returns the existing payout " +
    "(200); with other values it is refused (409 IDEMPOTENCY_CONFLICT, `fields` names the differences). A " +
    "scene left out is the campaign's default scene, so leaving it out again is the same request.\n\n" +
    "The campaign's approval policy decides at once: an approved payout (`APPROVED`) is sent to Alipay in " +
    "the background, a larger one waits for an approver (`PENDING_APPROVAL`). With `?wait=<seconds>` (at " +
    `most ${PAYOUT_WAIT_MAX_SECONDS}) the answer waits until an approved payout is paid or refused, or the ` +
    "time is up, and returns its status then; the status code stays 201 or 200. `UNKNOWN` is not a failure: " +
    "the console is confirming the outcome with Alipay under the same key. Follow a payout with GET …/payouts/" +
    "{outBizNo} (or webhooks).",
  tag: "Payouts",
  params: apiCampaignPathSchema,
  query: apiPayoutRequestQuerySchema,
  body: apiPayoutRequestSchema,
  responses: {
    201: { description: "The payout was created", schema: apiPayoutSchema },
    200: {
      description: "This outBizNo was requested before with the same values: the existing payout",
      schema: apiPayoutSchema,
    },
  },
  errors: [
    "INVALID_JSON",
    "VALIDATION",
    "NOT_FOUND",
    "IDEMPOTENCY_CONFLICT",
    "CAMPAIGN_NOT_PAYING",
    "BUDGET_EXHAUSTED",
    "FREQUENCY_LIMIT",
  ],
  example: [
    'curl -X POST "$HONGBAO_URL/api/v1/campaigns/$CAMPAIGN_ID/payouts?wait=5" \\',
    '  -H "Authorization: Bearer $HONGBAO_KEY" \\',
    '  -H "Content-Type: application/json" \\',
    "  -d '{",
    '    "outBizNo": "points_20261201_000042",',
    '    "recipient": { "type": "USER_ID", "id": "2088000000000001" },',
    '    "scene": "POINTS_REDEMPTION",',
    '    "memo": "500 points redeemed"',
    "  }'",
  ].join("\n"),
};

const getPayout: EndpointSpec = {
  route: "GET /api/v1/campaigns/[campaignId]/payouts/[outBizNo]",
  summary: "Get a payout",
  description:
    "The payout requested under this `outBizNo` in this campaign, with its current status, what Alipay paid " +
    "(`awardedFen`) and, for a refusal, Alipay's code and message.",
  tag: "Payouts",
  params: apiPayoutPathSchema,
  responses: { 200: { description: "The payout", schema: apiPayoutSchema } },
  errors: ["NOT_FOUND"],
  example: [
    'curl "$HONGBAO_URL/api/v1/campaigns/$CAMPAIGN_ID/payouts/points_20261201_000042" \\',
    '  -H "Authorization: Bearer $HONGBAO_KEY"',
  ].join("\n"),
};

const listPayouts: EndpointSpec = {
  route: "GET /api/v1/payouts",
  summary: "List payouts",
  description:
    "Payouts of the campaigns the key may use, newest first, a page at a time. Pass `nextCursor` as " +
    "`cursor` to read the next page, until it is null. Filter by campaign, status and request time (`since`, " +
    "inclusive). To follow new payouts, poll with `since` a minute before the newest `createdAt` you have " +
    "seen: `createdAt` is the time of the request, and a payout is listed once its request has been recorded, " +
    "a moment later.",
  tag: "Payouts",
  query: apiPayoutListQuerySchema,
  responses: { 200: { description: "One page of payouts", schema: apiPayoutListSchema } },
  errors: ["VALIDATION", "NOT_FOUND"],
  example: [
    'curl "$HONGBAO_URL/api/v1/payouts?campaignId=$CAMPAIGN_ID&status=SUCCEEDED&since=2026-12-01T00:00:00%2B08:00&limit=100" \\',
    '  -H "Authorization: Bearer $HONGBAO_KEY"',
  ].join("\n"),
};

export const PAYOUT_ENDPOINTS: EndpointSpec[] = [requestPayout, getPayout, listPayouts];
