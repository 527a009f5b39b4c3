import type { WebhookDeliveryStatus } from "@/generated/prisma/enums";
import type { AuditEntityLink } from "@/lib/audit/types";

export type { WebhookDeliveryStatus };

/** How an endpoint's deliveries went recently (the endpoints table's health column). */
export type WebhookEndpointHealth = {
  /** Counted over deliveries created in the last `windowHours`. */
  windowHours: number;
  delivered: number;
  failed: number;
  pending: number;
  /** The newest delivery ever made to the endpoint, if any. */
  last: { status: WebhookDeliveryStatus; createdAt: string } | null;
};

/** An endpoint as the console shows it: never its secret. */
export type WebhookEndpointRow = {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  active: boolean;
  createdAt: string;
  createdByLabel: string;
  disabledAt: string | null;
};

export type WebhookEndpointListRow = WebhookEndpointRow & { health: WebhookEndpointHealth };

/** A new endpoint and its signing secret, which the console shows this once. */
export type CreatedWebhookEndpoint = { endpoint: WebhookEndpointRow; secret: string };

export type WebhookDeliveryRow = {
  id: string;
  eventId: string;
  eventType: string;
  entityType: string;
  entityId: string;
  /** The payout's business reference or the campaign's name, with a link (null when it no longer exists). */
  entity: AuditEntityLink | null;
  status: WebhookDeliveryStatus;
  attemptCount: number;
  /** The HTTP status of the newest attempt (null: no attempt yet, or no answer). */
  lastStatusCode: number | null;
  /** Why the newest attempt got no answer (timeout, connection refused). */
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
};

export type WebhookAttemptRow = {
  id: string;
  number: number;
  startedAt: string;
  latencyMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
};
