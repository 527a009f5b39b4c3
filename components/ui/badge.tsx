import type { HTMLAttributes } from "react";
import { cn } from "@/lib/cn";

const TONES = {
  gray: "bg-gray-100 text-gray-700 ring-gray-500/20",
  green: "bg-green-50 text-green-700 ring-green-600/20",
  red: "bg-red-50 text-red-700 ring-red-600/20",
  amber: "bg-amber-50 text-amber-800 ring-amber-600/20",
  blue: "bg-blue-50 text-blue-700 ring-blue-700/10",
  purple: "bg-purple-50 text-purple-700 ring-purple-700/10",
} as const;

export type BadgeTone = keyof typeof TONES;

export function Badge({
  tone = "gray",
  className,
  ...props
}: HTMLAttributes<HTMLSpanElement> & { tone?: BadgeTone }) {
  return (
    <span
      {...props}
      className={cn(
        "inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        TONES[tone],
        className,
      )}
    />
  );
}
