"use server";

import { decideBatch } from "@/lib/batches/service";
import { batchDecisionSchema } from "@/lib/validation/batches";
import { defineAction } from "./safe-action";

/** Approve or reject a whole batch (never one's own). */
export const decideBatchAction = defineAction(
  { name: "decideBatch", schema: batchDecisionSchema },
  async (input, { actor }) => {
    await decideBatch(actor, input);
    return { batchId: input.batchId };
  },
);
