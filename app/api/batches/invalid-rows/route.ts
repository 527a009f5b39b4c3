import { invalidRowsCsv } from "@/lib/batches/invalid-rows-csv";
import { batchFileOf } from "@/lib/batches/upload";
import { checkBatchFile } from "@/lib/batches/service";
import { problemsOf } from "@/lib/batches/validate";
import { CSV_CONTENT_TYPE } from "@/lib/csv/writer";
import { DomainError } from "@/lib/errors";
import { defineRoute } from "@/lib/http/route";
import { getI18n } from "@/lib/i18n/server";
import { batchUploadSchema } from "@/lib/validation/batches";

/**
 * The preview's "download the invalid rows": the same file posted again (multipart: campaignId, file), checked
 * the same way, answered with its refused rows and the reasons in the reader's language. Writes nothing.
 */
export const POST = defineRoute("/api/batches/invalid-rows", async (request, { actor }) => {
  const { locale } = await getI18n();
  const form = await request.formData().catch(() => null);
  const parsed = batchUploadSchema.safeParse(form ? Object.fromEntries(form.entries()) : {});
  if (!parsed.success) throw new DomainError("VALIDATION", { key: "batches.validation.fileRequired" });
  const file = await batchFileOf(parsed.data.file);
  const checked = await checkBatchFile(actor, { campaignId: parsed.data.campaignId, file });
  const base = file.name.replace(/\.[^.]*$/, "") || "batch";
  return new Response(invalidRowsCsv(checked.file, problemsOf(checked.outcomes), locale), {
    headers: {
      "content-type": CSV_CONTENT_TYPE,
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(`${base}-invalid-rows.csv`)}`,
      "cache-control": "no-store",
    },
  });
});
