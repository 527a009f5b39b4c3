"use server";

import { setWebhookEndpointActiveSchema } from "@/lib/validation/webhooks";
import { setWebhookEndpointActive } from "@/lib/webhooks/service";
import { defineAction } from "./safe-action";

export const setWebhookEndpointActiveAction = defineAction(
  { name: "setWebhookEndpointActive", schema: setWebhookEndpointActiveSchema },
  (input, { actor }) => setWebhookEndpointActive(actor, input),
);
