"use server";

import { createWebhookEndpointSchema } from "@/lib/validation/webhooks";
import { createWebhookEndpoint } from "@/lib/webhooks/service";
import { defineAction } from "./safe-action";

/** Returns the endpoint and its signing secret: the caller shows the secret once, it is never displayed again. */
export const createWebhookEndpointAction = defineAction(
  { name: "createWebhookEndpoint", schema: createWebhookEndpointSchema },
  (input, { actor }) => createWebhookEndpoint(actor, input),
);
