"use client";

import { Progress } from "@/components/ui/progress";
import { useI18n } from "@/lib/i18n/client";

/** How far through its time window the campaign is. `now` comes from the server render to avoid drift. */
export function WindowProgress({
  startsAt,
  endsAt,
  now,
}: {
  startsAt: string | null;
  endsAt: string;
  now: string;
}) {
  const { t, formatDateTime } = useI18n();
  const start = startsAt ? new Date(startsAt).getTime() : null;
  const end = new Date(endsAt).getTime();
  const current = new Date(now).getTime();
  const percent =
    start === null || current < start
      ? 0
      : current >= end
        ? 100
        : Math.round(((current - start) / (end - start)) * 100);
  const state =
    start === null || current < start
      ? t("campaigns.detail.notStarted")
      : current >= end
        ? t("campaigns.detail.ended")
        : t("campaigns.detail.windowProgress", { percent });
  return (
    <div className="space-y-2">
      <div className="flex justify-between text-xs text-gray-500 tabular">
        <span>{startsAt ? formatDateTime(startsAt) : t("campaigns.startNow")}</span>
        <span>{formatDateTime(endsAt)}</span>
      </div>
      <Progress value={percent} max={100} label={state} tone="gray" />
      <p className="text-sm text-gray-600">{state}</p>
    </div>
  );
}
