import { failedRowsCsv } from "@/lib/batches/queries";
import { CSV_CONTENT_TYPE } from "@/lib/csv/writer";
import { defineRoute } from "@/lib/http/route";
import { getI18n } from "@/lib/i18n/server";

/** A batch's failed rows, in the upload's columns with the reason: fix them and upload them as a new batch. */
export const GET = defineRoute<"/api/batches/[batchId]/failed", { batchId: string }>(
  "/api/batches/[batchId]/failed",
  async (_request, { actor, params }) => {
    const { locale } = await getI18n();
    return new Response(await failedRowsCsv(actor, params.batchId, locale), {
      headers: {
        "content-type": CSV_CONTENT_TYPE,
        "content-disposition": `attachment; filename="batch-${params.batchId}-failed-rows.csv"`,
        "cache-control": "no-store",
      },
    });
  },
);
