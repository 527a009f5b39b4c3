import { TEMPLATE_FILE_NAME, batchTemplateCsv } from "@/lib/batches/template";
import { CSV_CONTENT_TYPE } from "@/lib/csv/writer";
import { defineRoute } from "@/lib/http/route";
import { getI18n } from "@/lib/i18n/server";

/** The batch template in the reader's language: the columns, with one example row per recipient type. */
export const GET = defineRoute("/api/batches/template", async () => {
  const { locale } = await getI18n();
  return new Response(batchTemplateCsv(locale), {
    headers: {
      "content-type": CSV_CONTENT_TYPE,
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(TEMPLATE_FILE_NAME[locale])}`,
      "cache-control": "no-store",
    },
  });
});
