import { createApiAppPayOrder } from "@/lib/api/red-packets";
import { apiJson, defineApiRoute, parseInput, readJsonBody } from "@/lib/api/route";
import { apiAppPayOrderRequestSchema } from "@/lib/api/schemas/red-packets";
import { assertMayCreateCampaigns } from "@/lib/campaigns/service";

/**
 * Starts a user-funded packet: 201 with its id and the signed app.pay order string for the Alipay SDK; 200 with
 * the same packet (and a fresh order string) for an identical replay of its outOrderNo; 409 naming the fields
 * that differ otherwise. A key limited to some campaigns is refused before the body is read, as for any campaign.
 */
export const POST = defineApiRoute("POST /api/v1/red-packets/app-pay-orders", async (request, { actor }) => {
  assertMayCreateCampaigns(actor);
  const body = parseInput(apiAppPayOrderRequestSchema, await readJsonBody(request));
  const { order, replayed } = await createApiAppPayOrder(actor, body);
  const response = apiJson(order, replayed ? 200 : 201);
  response.headers.set("location", `/api/v1/red-packets/${encodeURIComponent(order.id)}`);
  return response;
});
