import type { InputHTMLAttributes } from "react";
import { cn } from "@/lib/cn";

/** Shared look of text inputs and selects. */
export const CONTROL =
  "block w-full rounded-md border-0 bg-white px-3 text-sm text-gray-900 shadow-xs ring-1 ring-inset ring-gray-300 " +
  "placeholder:text-gray-400 focus:ring-2 focus:ring-inset focus:ring-brand-600 focus:outline-none " +
  "disabled:bg-gray-50 disabled:text-gray-500 aria-[invalid=true]:ring-red-500";

export function Input({ className, ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={cn(CONTROL, "h-9", className)} {...props} />;
}
