"use client";

import type { CampaignStatus } from "@/generated/prisma/enums";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { useI18n } from "@/lib/i18n/client";

const TONE: Record<CampaignStatus, BadgeTone> = {
  DRAFT: "gray",
  CREATING: "blue",
  AWAITING_FUNDING: "amber",
  ACTIVE: "green",
  PAUSED: "purple",
  CLOSED: "gray",
  SETTLED: "gray",
  FAILED: "red",
  UNKNOWN: "amber",
};

export function CampaignStatusBadge({
  status,
  alipayStatus,
}: {
  status: CampaignStatus;
  alipayStatus?: string | null;
}) {
  const { t } = useI18n();
  // Alipay says PAID before the start time: funded, but nothing can be sent yet.
  const label =
    status === "ACTIVE" && alipayStatus === "PAID"
      ? t("campaigns.status.fundedNotStarted")
      : t(`campaigns.status.${status}`);
  return (
    <Badge tone={TONE[status]} data-testid="campaign-status">
      {label}
    </Badge>
  );
}
