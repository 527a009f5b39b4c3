/**
 * The events a webhook endpoint can subscribe to. The database writes them (the trigger on "AuditEvent" in
 * prisma/migrations/20261201190000_machine_api); this list names them for the console, the validation schema
 * and the docs, and a test keeps it and the trigger in step. Pure: used by client components too.
 */
import type { MessageKey } from "@/lib/i18n/messages";

export const WEBHOOK_EVENT_TYPES = [
  "payout.succeeded",
  "payout.failed",
  "payout.needs_attention",
  "payout.rejected",
  "campaign.active",
  "campaign.budget_low",
  "campaign.settled",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What each event means, for the subscription checkboxes (i18n keys). */
export const WEBHOOK_EVENT_DESCRIPTIONS: Readonly<Record<WebhookEventType, MessageKey>> = {
  "payout.succeeded": "webhooks.event.payout.succeeded",
  "payout.failed": "webhooks.event.payout.failed",
  "payout.needs_attention": "webhooks.event.payout.needs_attention",
  "payout.rejected": "webhooks.event.payout.rejected",
  "campaign.active": "webhooks.event.campaign.active",
  "campaign.budget_low": "webhooks.event.campaign.budget_low",
  "campaign.settled": "webhooks.event.campaign.settled",
};

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === "string" && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
