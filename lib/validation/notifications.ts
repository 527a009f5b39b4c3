import { z } from "zod";
import { NotificationChannel, NotificationOutcome } from "@/generated/prisma/enums";
import { listQuerySchema } from "./list-query";

export const NOTIFICATION_OUTCOMES = Object.values(NotificationOutcome) as [
  NotificationOutcome,
  ...NotificationOutcome[],
];
export const NOTIFICATION_CHANNELS = Object.values(NotificationChannel) as [
  NotificationChannel,
  ...NotificationChannel[],
];

/**
 * `/settings/notifications?outcome=…&channel=…&q=…` plus the table params: newest first; `q` is an exact
 * notify_id or the id of what it was about (as quoted from Alipay's console or a log line).
 */
export const notificationsListQuerySchema = listQuerySchema(["receivedAt"], {
  field: "receivedAt",
  direction: "desc",
}).extend({
  outcome: z.enum(NOTIFICATION_OUTCOMES).optional().catch(undefined),
  channel: z.enum(NOTIFICATION_CHANNELS).optional().catch(undefined),
});
export type NotificationsListQuery = z.output<typeof notificationsListQuerySchema>;
