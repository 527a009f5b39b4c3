import "server-only";
import { alipay } from "@/lib/alipay";
import { sweepStaleCreates } from "@/lib/campaigns/service";

/**
 * `in-flight.sweep` (every minute): rows that wait on an outside call and were left behind by a process that
 * died (campaigns in CREATING) are moved to UNKNOWN and resolved by the same lookup as an unknown outcome.
 */
export async function runInFlightSweep(): Promise<void> {
  const campaigns = await sweepStaleCreates(alipay());
  if (campaigns.swept > 0)
    console.warn(`[jobs] in-flight sweep: ${campaigns.swept} interrupted campaign creates`);
}
