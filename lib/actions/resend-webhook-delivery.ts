"use server";

import { resendWebhookDeliverySchema } from "@/lib/validation/webhooks";
import { resendWebhookDelivery } from "@/lib/webhooks/service";
import { defineAction } from "./safe-action";

/** A new delivery of the same event to the same endpoint; the earlier one stays in the history. */
export const resendWebhookDeliveryAction = defineAction(
  { name: "resendWebhookDelivery", schema: resendWebhookDeliverySchema },
  (input, { actor }) => resendWebhookDelivery(actor, input.deliveryId),
);
