"use client";

import type { PayoutStatus } from "@/generated/prisma/enums";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { useI18n } from "@/lib/i18n/client";

/**
 * Failed is red and needs-attention amber; an unknown outcome is never shown as a failure (DESIGN.md §3): it is
 * being confirmed with Alipay under the same business reference, so it reads as work in progress.
 */
const TONE: Record<PayoutStatus, BadgeTone> = {
  PENDING_APPROVAL: "purple",
  APPROVED: "blue",
  SENDING: "blue",
  SUCCEEDED: "green",
  FAILED: "red",
  UNKNOWN: "blue",
  NEEDS_ATTENTION: "amber",
  REJECTED: "gray",
  CANCELED: "gray",
};

export function PayoutStatusBadge({ status }: { status: PayoutStatus }) {
  const { t } = useI18n();
  return (
    <Badge tone={TONE[status]} data-testid="payout-status" data-status={status}>
      {status === "UNKNOWN" ? t("payouts.history.badge.UNKNOWN") : t(`payouts.status.${status}`)}
    </Badge>
  );
}
