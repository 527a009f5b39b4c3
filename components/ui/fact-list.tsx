import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

/** A label and its value, as the detail pages list them. */
export type Fact = readonly [label: string, value: ReactNode];

/** The facts card of a detail page (campaign, payout, webhook endpoint): small labels over their values. */
export function FactList({ facts, columns = false }: { facts: readonly Fact[]; columns?: boolean }) {
  return (
    <dl className={cn("text-sm", columns ? "grid gap-3 sm:grid-cols-3" : "space-y-3")}>
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs text-gray-500">{label}</dt>
          <dd className="break-all text-gray-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
