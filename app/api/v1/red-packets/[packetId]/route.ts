import { getApiRedPacket } from "@/lib/api/red-packets";
import { apiJson, defineApiRoute, parseInput } from "@/lib/api/route";
import { apiRedPacketPathSchema } from "@/lib/api/schemas/red-packets";
import { assertCampaignInScope } from "@/lib/auth/actor";

/** One user-funded packet with its claims and refunds. Outside the key's campaigns, or unknown: 404. */
export const GET = defineApiRoute<"GET /api/v1/red-packets/[packetId]", { packetId: string }>(
  "GET /api/v1/red-packets/[packetId]",
  async (_request, { actor, params }) => {
    assertCampaignInScope(actor, params.packetId);
    const { packetId } = parseInput(apiRedPacketPathSchema, params);
    return apiJson(await getApiRedPacket(actor, packetId));
  },
);
