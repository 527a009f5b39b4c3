import type { SelectHTMLAttributes } from "react";
import { cn } from "@/lib/cn";
import { CONTROL } from "./input";

export function Select({ className, children, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select className={cn(CONTROL, "h-9 pr-8", className)} {...props}>
      {children}
    </select>
  );
}
