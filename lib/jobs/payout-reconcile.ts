import "server-only";
import { reconcilePayouts } from "@/lib/payouts/reconcile";

/** `payout.reconcile` (every minute): see lib/payouts/reconcile.ts. */
export async function runPayoutReconcile(): Promise<void> {
  await reconcilePayouts();
}
