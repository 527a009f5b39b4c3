"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { createContext, useCallback, useContext, useTransition } from "react";

export type UrlState = {
  params: URLSearchParams;
  /** Sets (or, for null/"", removes) query parameters; any change other than `page` returns to page 1. */
  update: (changes: Record<string, string | number | null>) => void;
  pending: boolean;
};

/** Table state lives in the URL, so a filtered, sorted page can be bookmarked, shared and reloaded. */
export function useUrlState(): UrlState {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();
  const update = useCallback(
    (changes: Record<string, string | number | null>) => {
      const params = new URLSearchParams(searchParams.toString());
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === "") params.delete(key);
        else params.set(key, String(value));
      }
      if (!("page" in changes)) params.delete("page");
      const query = params.toString();
      startTransition(() => router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false }));
    },
    [router, pathname, searchParams],
  );
  return { params: new URLSearchParams(searchParams.toString()), update, pending };
}

export const UrlStateContext = createContext<UrlState | null>(null);

/** The URL state of the surrounding <DataTable>, for toolbar controls. */
export function useDataTableUrl(): UrlState {
  const state = useContext(UrlStateContext);
  if (!state) throw new Error("useDataTableUrl must be used inside <DataTable>");
  return state;
}
