"use server";

import { requestPayout } from "@/lib/payouts/request";
import { payoutRequestSchema } from "@/lib/validation/payouts";
import { defineAction } from "./safe-action";

/** "Send red packet" on a campaign page: the one request path, from the console. */
export const requestPayoutAction = defineAction(
  { name: "requestPayout", schema: payoutRequestSchema },
  async (input, { actor }) => {
    const { payout, replayed } = await requestPayout(actor, { ...input, source: "CONSOLE" });
    return { payoutId: payout.id, status: payout.status, outBizNo: payout.outBizNo, replayed };
  },
);
