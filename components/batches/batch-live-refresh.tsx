"use client";

import { useRouter } from "next/navigation";
import { useEffect, useSyncExternalStore, useTransition } from "react";

/** Often enough for a bar to move smoothly, rarely enough that one open tab costs the server little. */
const REFRESH_MS = 2000;

function subscribeToVisibility(onChange: () => void): () => void {
  document.addEventListener("visibilitychange", onChange);
  return () => document.removeEventListener("visibilitychange", onChange);
}

/**
 * Keeps a server-rendered page up to date while `active`: re-renders it with router.refresh (no reload, so no
 * lost scroll position or open dialog) two seconds after the previous refresh finished, so a slow server never
 * gets refreshes piled up, and only while the tab is visible. The page decides when to stop: a batch that has
 * ended renders this inactive, so nothing polls forever.
 */
export function BatchLiveRefresh({ active }: { active: boolean }) {
  const router = useRouter();
  const [refreshing, startTransition] = useTransition();
  const visible = useSyncExternalStore(
    subscribeToVisibility,
    () => document.visibilityState === "visible",
    () => false,
  );
  useEffect(() => {
    if (!active || !visible || refreshing) return;
    const timer = setTimeout(() => startTransition(() => router.refresh()), REFRESH_MS);
    return () => clearTimeout(timer);
  }, [active, visible, refreshing, router]);
  return null;
}
