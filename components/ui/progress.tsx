import type { HTMLAttributes } from "react";
import { cn } from "@/lib/cn";

/** A horizontal bar for "how much of something is used"; value and max are plain numbers. */
export function Progress({
  value,
  max,
  label,
  tone = "brand",
  className,
}: {
  value: number;
  max: number;
  label: string;
  tone?: "brand" | "amber" | "red" | "gray";
  className?: string;
}) {
  const percent = max > 0 ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      className={cn("h-2 w-full overflow-hidden rounded-full bg-gray-100", className)}
    >
      <div
        className={cn(
          "h-full rounded-full transition-[width]",
          tone === "brand" && "bg-brand-500",
          tone === "amber" && "bg-amber-500",
          tone === "red" && "bg-red-600",
          tone === "gray" && "bg-gray-400",
        )}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}

const SEGMENT_TONES = {
  green: "bg-green-500",
  red: "bg-red-600",
  gray: "bg-gray-400",
  amber: "bg-amber-500",
  blue: "bg-blue-500",
} as const;

export type ProgressSegmentTone = keyof typeof SEGMENT_TONES;

/**
 * One bar split into coloured parts (a batch's rows by outcome); the empty track is what has not started.
 * `value` is the progress it announces to assistive technology, which may differ from the drawn parts (rows
 * being sent are drawn but not yet done); `valueText` says it in words. Other props (test ids, data
 * attributes) go on the bar.
 */
export function StackedProgress({
  segments,
  value,
  max,
  label,
  valueText,
  className,
  ...props
}: Omit<HTMLAttributes<HTMLDivElement>, "role" | "children"> & {
  segments: ReadonlyArray<{ key: string; value: number; tone: ProgressSegmentTone; label: string }>;
  value: number;
  max: number;
  label: string;
  valueText: string;
}) {
  return (
    <div
      {...props}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={valueText}
      className={cn("flex h-3 w-full overflow-hidden rounded-full bg-gray-100", className)}
    >
      {segments.map((segment) => (
        <div
          key={segment.key}
          title={`${segment.label}: ${segment.value}`}
          className={cn("h-full transition-[width]", SEGMENT_TONES[segment.tone])}
          style={{ width: `${max > 0 ? Math.min(100, Math.max(0, (segment.value / max) * 100)) : 0}%` }}
        />
      ))}
    </div>
  );
}
