import { claimApiRedPacket } from "@/lib/api/red-packets";
import { apiJson, defineApiRoute, parseInput, readJsonBody } from "@/lib/api/route";
import { apiRedPacketClaimRequestSchema, apiRedPacketPathSchema } from "@/lib/api/schemas/red-packets";
import { PAYOUT_API_FIELD_NAMES } from "@/lib/api/schemas/payouts";
import { assertCampaignInScope } from "@/lib/auth/actor";

/**
 * One claim of a user-funded packet: a payout of its campaign through the one request path, answered like the
 * payouts endpoint (201 new, 200 an identical replay of its outBizNo, 409 IDEMPOTENCY_CONFLICT). A second claim
 * by the same user is FREQUENCY_LIMIT; more than is left, BUDGET_EXHAUSTED.
 */
export const POST = defineApiRoute<"POST /api/v1/red-packets/[packetId]/claims", { packetId: string }>(
  "POST /api/v1/red-packets/[packetId]/claims",
  async (request, { actor, params }) => {
    assertCampaignInScope(actor, params.packetId);
    const { packetId } = parseInput(apiRedPacketPathSchema, params);
    const body = parseInput(apiRedPacketClaimRequestSchema, await readJsonBody(request));
    const { payout, replayed } = await claimApiRedPacket(actor, packetId, body);
    const response = apiJson(payout, replayed ? 200 : 201);
    response.headers.set("location", `/api/v1/red-packets/${encodeURIComponent(packetId)}`);
    return response;
  },
  { fieldNames: { ...PAYOUT_API_FIELD_NAMES, campaignId: "packetId" } },
);
