"use client";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { BatchPhase } from "@/lib/batches/progress";
import { useI18n } from "@/lib/i18n/client";

/** Waiting for a person is purple (as a pending payout is), work under way blue, a pause amber, an end gray. */
const TONE: Record<BatchPhase, BadgeTone> = {
  PENDING_APPROVAL: "purple",
  SENDING: "blue",
  PAUSED: "amber",
  FINISHED: "green",
  REJECTED: "gray",
  CANCELED: "gray",
};

export function BatchPhaseBadge({ phase }: { phase: BatchPhase }) {
  const { t } = useI18n();
  return (
    <Badge tone={TONE[phase]} data-testid="batch-phase" data-phase={phase}>
      {t(`batches.phase.${phase}`)}
    </Badge>
  );
}
