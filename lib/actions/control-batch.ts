"use server";

import { cancelBatch, pauseBatch, resumeBatch, retryBatchFailures } from "@/lib/batches/service";
import { batchIdSchema } from "@/lib/validation/batches";
import { defineAction } from "./safe-action";

/** Stops sending the batch's rows not yet taken by a worker. */
export const pauseBatchAction = defineAction(
  { name: "pauseBatch", schema: batchIdSchema },
  async ({ batchId }, { actor }) => {
    await pauseBatch(actor, batchId);
    return { batchId };
  },
);

export const resumeBatchAction = defineAction(
  { name: "resumeBatch", schema: batchIdSchema },
  async ({ batchId }, { actor }) => {
    await resumeBatch(actor, batchId);
    return { batchId };
  },
);

/** Cancels the rows not yet sent and releases their reservations. */
export const cancelBatchAction = defineAction(
  { name: "cancelBatch", schema: batchIdSchema },
  async ({ batchId }, { actor }) => cancelBatch(actor, batchId),
);

/** Sends the failed rows a retry can help again, with the same business references. */
export const retryBatchFailuresAction = defineAction(
  { name: "retryBatchFailures", schema: batchIdSchema },
  async ({ batchId }, { actor }) => retryBatchFailures(actor, batchId),
);
