"use server";

import { decidePayouts } from "@/lib/payouts/decisions";
import { payoutDecisionSchema } from "@/lib/validation/payouts";
import { defineAction } from "./safe-action";

/** Approve or reject pending payouts, one or many (maker-checker is enforced per payout by the service). */
export const decidePayoutsAction = defineAction(
  { name: "decidePayouts", schema: payoutDecisionSchema },
  (input, { actor }) => decidePayouts(actor, input),
);
