"use server";

import { batchFileOf } from "@/lib/batches/upload";
import { previewBatch } from "@/lib/batches/service";
import { batchUploadSchema } from "@/lib/validation/batches";
import { defineAction } from "./safe-action";

/** Reads and checks an uploaded file against its campaign: totals and every invalid row. Writes nothing. */
export const previewBatchAction = defineAction(
  { name: "previewBatch", schema: batchUploadSchema },
  async (input, { actor }) =>
    previewBatch(actor, { campaignId: input.campaignId, file: await batchFileOf(input.file) }),
);
