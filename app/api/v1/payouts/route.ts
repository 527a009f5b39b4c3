import { listApiPayouts } from "@/lib/api/payouts";
import { apiJson, defineApiRoute, parseInput, searchParamsOf } from "@/lib/api/route";
import { apiPayoutListQuerySchema } from "@/lib/api/schemas/payouts";

/**
 * The payouts of the key's campaigns, newest first, a page at a time (`nextCursor`), filtered by campaign,
 * status and request time. A campaign outside the key's list is a 404, as if it did not exist.
 */
export const GET = defineApiRoute("GET /api/v1/payouts", async (request, { actor }) => {
  const query = parseInput(apiPayoutListQuerySchema, searchParamsOf(request));
  return apiJson(await listApiPayouts(actor, query));
});
