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
