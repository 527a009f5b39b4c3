import { CSV_CONTENT_TYPE } from "@/lib/csv/writer";
import { defineRoute } from "@/lib/http/route";
import { getI18n } from "@/lib/i18n/server";
import { payoutsCsv } from "@/lib/payouts/export";
import { payoutsCsvFilename } from "@/lib/payouts/view";
import { payoutListQuerySchema } from "@/lib/validation/payouts";

/**
 * The payout history as CSV, filtered exactly like /payouts (same query parameters; a campaign page's table
 * passes `campaign`), in the reader's language, streamed as it is read. defineRoute checks `payout:export`
 * first (401 signed out, 403 without it, as JSON).
 */
export const GET = defineRoute("/api/payouts/export", async (request, { actor }) => {
  const i18n = await getI18n();
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const query = payoutListQuerySchema(i18n.timeZone).parse(params);
  return new Response(payoutsCsv(actor, query, i18n), {
    headers: {
      "content-type": CSV_CONTENT_TYPE,
      "content-disposition": `attachment; filename="${payoutsCsvFilename(new Date(), i18n.timeZone)}"`,
      "cache-control": "no-store",
    },
  });
});
