import type { NotificationChannel, NotificationOutcome } from "@/generated/prisma/enums";

/** A stored Alipay notification as the settings page shows it. */
export type NotificationRow = {
  id: string;
  receivedAt: string;
  channel: NotificationChannel;
  /** notify_type or msg_method ("" when the body named none). */
  type: string;
  notifyId: string | null;
  appId: string | null;
  signatureValid: boolean;
  outcome: NotificationOutcome;
  /** An i18n key under notifications.reason.* (shown raw when unknown). */
  reason: string | null;
  entityType: string | null;
  entityId: string | null;
  /** Where the entity is opened, when it still exists and the reader may. */
  entityHref: string | null;
  /** The form fields as received, without `sign`. */
  fields: unknown;
};
