import "server-only";

/**
 * Tells this process's dispatcher (if it runs one) that payouts became due, so an approved payout leaves at
 * once instead of at the next poll. Other processes' dispatchers find it by polling the outbox (APPROVED rows);
 * nothing is lost when no dispatcher listens.
 */
const listeners = new Set<() => void>();

export function nudgeDispatch(): void {
  for (const listener of listeners) listener();
}

export function onNudge(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
