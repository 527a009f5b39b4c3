"use client";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import { useI18n } from "@/lib/i18n/client";
import type { WebhookDeliveryStatus } from "@/lib/webhooks/types";

/** Pending reads as work in progress (pg-boss is still trying), not as a failure. */
const TONE: Record<WebhookDeliveryStatus, BadgeTone> = {
  PENDING: "blue",
  DELIVERED: "green",
  FAILED: "red",
};

export function WebhookDeliveryStatusBadge({ status }: { status: WebhookDeliveryStatus }) {
  const { t } = useI18n();
  return (
    <Badge tone={TONE[status]} data-status={status}>
      {t(`webhooks.deliveries.status.${status}`)}
    </Badge>
  );
}
