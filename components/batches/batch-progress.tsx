"use client";

import { StackedProgress, type ProgressSegmentTone } from "@/components/ui/progress";
import { cn } from "@/lib/cn";
import type { PayoutStatus } from "@/lib/enums";
import { rowsSettled, type BatchPhase, type RowCounts } from "@/lib/batches/progress";
import {
  etaMessage,
  progressSegments,
  shownCounts,
  type ProgressSegmentKind,
} from "@/lib/batches/progress-view";
import { useI18n } from "@/lib/i18n/client";

const SEGMENT_TONE: Record<ProgressSegmentKind, ProgressSegmentTone> = {
  succeeded: "green",
  failed: "red",
  stopped: "gray",
  attention: "amber",
  inFlight: "blue",
};

/** The legend's dot for each status: its part of the bar, or the empty track for rows not started. */
const STATUS_DOT: Record<PayoutStatus, string> = {
  SUCCEEDED: "bg-green-500",
  FAILED: "bg-red-600",
  CANCELED: "bg-gray-400",
  REJECTED: "bg-gray-400",
  NEEDS_ATTENTION: "bg-amber-500",
  SENDING: "bg-blue-500",
  UNKNOWN: "bg-blue-500",
  APPROVED: "bg-gray-200",
  PENDING_APPROVAL: "bg-gray-200",
};

/**
 * The bar alone (paid green, failed red, cancelled or rejected gray, needing attention amber, being sent blue;
 * rows not started are the empty track), as the list shows it; other props (test ids) go on the bar.
 */
export function BatchProgressBar({
  counts,
  total,
  className,
  ...props
}: {
  counts: RowCounts;
  total: number;
  className?: string;
} & Record<`data-${string}`, string | number>) {
  const { t } = useI18n();
  const settled = rowsSettled(counts, total);
  return (
    <StackedProgress
      {...props}
      className={className}
      label={t("batches.detail.progress")}
      value={settled}
      max={total}
      valueText={t("batches.detail.settled", { settled, total })}
      segments={progressSegments(counts).map((segment) => ({
        key: segment.kind,
        value: segment.count,
        tone: SEGMENT_TONE[segment.kind],
        label: t(`batches.detail.segment.${segment.kind}`),
      }))}
    />
  );
}

/**
 * A batch's rows by outcome: the bar (paid green, failed red, cancelled or rejected gray, needing attention
 * amber, being sent blue), "x of N settled", the count of each status in words and, while it sends, the time
 * left at the pace of the last minute. Re-rendered by the page's live refresh.
 */
export function BatchProgress({
  phase,
  counts,
  total,
  etaSeconds,
}: {
  phase: BatchPhase;
  counts: RowCounts;
  total: number;
  etaSeconds: number | null;
}) {
  const { t, tr } = useI18n();
  const settled = rowsSettled(counts, total);
  const settledText = t("batches.detail.settled", { settled, total });
  return (
    <div className="space-y-3">
      <BatchProgressBar
        counts={counts}
        total={total}
        data-testid="batch-progress"
        data-settled={settled}
        data-total={total}
      />
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 text-sm">
        <p className="font-medium text-gray-900 tabular" aria-live="polite">
          {settledText}
        </p>
        {phase === "SENDING" ? (
          <p className="text-gray-600" data-testid="batch-eta">
            {etaSeconds === null ? t("batches.detail.eta.estimating") : tr(etaMessage(etaSeconds))}
          </p>
        ) : null}
      </div>
      <ul
        aria-label={t("batches.detail.counts")}
        className="flex flex-wrap gap-x-5 gap-y-2 text-sm text-gray-600"
      >
        {shownCounts(counts).map(({ status, count }) => (
          <li key={status} className="flex items-center gap-1.5">
            <span aria-hidden="true" className={cn("size-2.5 rounded-full", STATUS_DOT[status])} />
            <span className="font-medium text-gray-900 tabular" data-testid={`batch-count-${status}`}>
              {count}
            </span>
            <span>{t(`payouts.status.${status}`)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
