import { auditCsv, auditCsvFilename } from "@/lib/audit/export";
import { CSV_CONTENT_TYPE } from "@/lib/csv/writer";
import { defineRoute } from "@/lib/http/route";
import { getI18n } from "@/lib/i18n/server";
import { auditListQuerySchema } from "@/lib/validation/audit";

/**
 * The audit log as CSV, filtered exactly like /audit (same query parameters), in the reader's language,
 * streamed as it is read. defineRoute checks `audit:read` first (401 signed out, 403 without it, as JSON).
 */
export const GET = defineRoute("/api/audit/export", async (request, { actor }) => {
  const i18n = await getI18n();
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const query = auditListQuerySchema(i18n.timeZone).parse(params);
  return new Response(auditCsv(actor, query, i18n), {
    headers: {
      "content-type": CSV_CONTENT_TYPE,
      "content-disposition": `attachment; filename="${auditCsvFilename(new Date(), i18n.timeZone)}"`,
      "cache-control": "no-store",
    },
  });
});
