import { confirmApiRedPacketPayment } from "@/lib/api/red-packets";
import { apiJson, defineApiRoute, parseInput, readJsonBody } from "@/lib/api/route";
import { apiRedPacketPaymentRequestSchema, apiRedPacketPathSchema } from "@/lib/api/schemas/red-packets";
import { assertCampaignInScope } from "@/lib/auth/actor";

/**
 * The app posts what the Alipay SDK returned after the payment; the signed result is verified on the server and
 * must match the packet's order, then the packet is funded (once, whether this or Alipay's notification came
 * first). A result that is not Alipay's signed payment of this order is a 422 on `result` and changes nothing.
 */
export const POST = defineApiRoute<"POST /api/v1/red-packets/[packetId]/payment", { packetId: string }>(
  "POST /api/v1/red-packets/[packetId]/payment",
  async (request, { actor, params }) => {
    assertCampaignInScope(actor, params.packetId);
    const { packetId } = parseInput(apiRedPacketPathSchema, params);
    const { result } = parseInput(apiRedPacketPaymentRequestSchema, await readJsonBody(request));
    return apiJson(await confirmApiRedPacketPayment(actor, packetId, result));
  },
);
