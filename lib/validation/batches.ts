/**
 * What people may ask of batches: the uploaded file with its campaign (preview and submit), an approver's
 * decision on a whole batch, and pause/resume/cancel/retry by id; the /batches list's URL state. Pure.
 */
import { z } from "zod";
import { BATCH_STATUSES } from "@/lib/enums";
import { listQuerySchema } from "./list-query";
import { recordIdSchema } from "./text";
import { decisionFields, requireRejectionReason } from "./payouts";

const campaignId = z.string().min(1, "validation.required").max(64);
/** The browser's File; its size and contents are checked by lib/batches (a 422 naming the file). */
const file = z.instanceof(File, { message: "batches.validation.fileRequired" });

export const batchUploadSchema = z.object({ campaignId, file });

export const batchSubmitSchema = batchUploadSchema.extend({
  /** The valid rows the uploader saw in the preview: the server's own check must come to the same number. */
  expectedValidRows: z.coerce.number().int().min(1, "batches.errors.noValidRows"),
});

export const batchIdSchema = z.object({ batchId: recordIdSchema });

export const batchDecisionSchema = batchIdSchema.extend(decisionFields).superRefine(requireRejectionReason);

export function batchListQuerySchema() {
  return listQuerySchema(["createdAt"], { field: "createdAt", direction: "desc" }).extend({
    status: z.enum(BATCH_STATUSES).optional().catch(undefined),
    campaign: z.string().max(64).optional().catch(undefined),
  });
}
