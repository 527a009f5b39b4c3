"use server";

import { retryPayout } from "@/lib/payouts/decisions";
import { payoutIdSchema } from "@/lib/validation/payouts";
import { defineAction } from "./safe-action";

/** Tries a failed (retryable) or needs-attention payout again with the same outBizNo. */
export const retryPayoutAction = defineAction(
  { name: "retryPayout", schema: payoutIdSchema },
  async ({ payoutId }, { actor }) => ({ status: (await retryPayout(actor, payoutId)).status }),
);
