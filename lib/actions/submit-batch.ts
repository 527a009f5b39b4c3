"use server";

import { batchFileOf } from "@/lib/batches/upload";
import { submitBatch } from "@/lib/batches/service";
import { batchSubmitSchema } from "@/lib/validation/batches";
import { defineAction } from "./safe-action";

/** Submits the file's valid rows as one batch waiting for an approver (all rows or none). */
export const submitBatchAction = defineAction(
  { name: "submitBatch", schema: batchSubmitSchema },
  async (input, { actor }) => {
    const batch = await submitBatch(actor, {
      campaignId: input.campaignId,
      file: await batchFileOf(input.file),
      expectedValidRows: input.expectedValidRows,
    });
    return { batchId: batch.id, rowCount: batch.rowCount, amountFen: batch.amountFen };
  },
);
