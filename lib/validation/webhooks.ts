/**
 * What an administrator may ask of webhook endpoints, and the settings tables' URL state. Pure: checked the same
 * way in the browser and on the server; messages are i18n keys.
 */
import { z } from "zod";
import { recordIdSchema, storableText } from "./text";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import { listQuerySchema } from "./list-query";

export const WEBHOOK_URL_MAX = 2000;
export const WEBHOOK_DESCRIPTION_MAX = 200;

/** An absolute http(s) URL: anything else (javascript:, file:, a relative path) is never called. */
const webhookUrlSchema = storableText(
  z
    .string("validation.required")
    .trim()
    .min(1, "validation.required")
    .max(WEBHOOK_URL_MAX, "validation.tooLong"),
).refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}, "validation.invalidUrl");

export const createWebhookEndpointSchema = z.object({
  url: webhookUrlSchema,
  description: storableText(z.string().trim().max(WEBHOOK_DESCRIPTION_MAX, "validation.tooLong"))
    .optional()
    .transform((value) => (value ? value : null)),
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, "validation.invalidOption"), "webhooks.validation.eventsRequired")
    .min(1, "webhooks.validation.eventsRequired")
    .transform((list) => WEBHOOK_EVENT_TYPES.filter((type) => list.includes(type))),
});
export type CreateWebhookEndpointInput = z.output<typeof createWebhookEndpointSchema>;
export type CreateWebhookEndpointFormValues = z.input<typeof createWebhookEndpointSchema>;

const idSchema = recordIdSchema;

export const setWebhookEndpointActiveSchema = z.object({
  endpointId: idSchema,
  active: z.preprocess(
    (v) => (v === "true" ? true : v === "false" ? false : v),
    z.boolean("validation.invalid"),
  ),
});
export type SetWebhookEndpointActiveInput = z.output<typeof setWebhookEndpointActiveSchema>;

export const resendWebhookDeliverySchema = z.object({ deliveryId: idSchema });
export type ResendWebhookDeliveryInput = z.output<typeof resendWebhookDeliverySchema>;

export const WEBHOOK_ENDPOINT_STATUSES = ["active", "disabled"] as const;

/** The endpoints table: `?q=` searches the URL and description, `?status=` filters active or disabled. */
export const webhookEndpointsListQuerySchema = listQuerySchema(["createdAt", "url"], {
  field: "createdAt",
  direction: "desc",
}).extend({
  status: z.enum(WEBHOOK_ENDPOINT_STATUSES).optional().catch(undefined),
});
export type WebhookEndpointsListQuery = z.output<typeof webhookEndpointsListQuerySchema>;

export const WEBHOOK_DELIVERY_STATUSES = ["PENDING", "DELIVERED", "FAILED"] as const;

/**
 * An endpoint's deliveries: newest first, filtered by status and event type; `?delivery=` opens one delivery's
 * attempts under its row.
 */
export const webhookDeliveriesListQuerySchema = listQuerySchema(["createdAt"], {
  field: "createdAt",
  direction: "desc",
}).extend({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional().catch(undefined),
  type: z.enum(WEBHOOK_EVENT_TYPES).optional().catch(undefined),
  delivery: z.string().max(64).optional().catch(undefined),
});
export type WebhookDeliveriesListQuery = z.output<typeof webhookDeliveriesListQuerySchema>;
