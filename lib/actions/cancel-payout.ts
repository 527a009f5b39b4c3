"use server";

import { cancelPayout } from "@/lib/payouts/decisions";
import { payoutIdSchema } from "@/lib/validation/payouts";
import { defineAction } from "./safe-action";

/** Withdraws a payout that has not been sent; its reservation is released. */
export const cancelPayoutAction = defineAction(
  { name: "cancelPayout", schema: payoutIdSchema },
  async ({ payoutId }, { actor }) => ({ status: (await cancelPayout(actor, payoutId)).status }),
);
