import "server-only";
import { alipay } from "@/lib/alipay";
import { sweepStaleCreates } from "@/lib/campaigns/service";
import { resolveFundOrders } from "@/lib/fund-coupon/orders";
import { refundClosedCampaigns, resolveRefunds } from "@/lib/fund-coupon/refunds";
import { expireUserPackets } from "@/lib/user-packets/service";
import { sweepInterruptedWebhookDeliveries } from "@/lib/webhooks/sweep";

/**
 * `in-flight.sweep` (every minute): rows that wait on an outside call and were left behind by a process that
 * died are given their way out: campaigns in CREATING are moved to UNKNOWN and resolved by the same lookup as an
 * unknown outcome; webhook deliveries whose last attempt was interrupted are marked FAILED with the reason
 * (lib/webhooks/sweep.ts).
 */
export async function runInFlightSweep(): Promise<void> {
  // Independent sweeps: an Alipay outage (or configuration error) must not keep deliveries pending, nor the
  // reverse. The job still fails, so pg-boss reports it, once both have run.
  const results = await Promise.allSettled([
    (async () => {
      const campaigns = await sweepStaleCreates(alipay());
      if (campaigns.swept > 0)
        console.warn(`[jobs] in-flight sweep: ${campaigns.swept} interrupted campaign creates`);
    })(),
    (async () => {
      // Fund-coupon orders left CREATING/UNKNOWN, and cashier orders past their deadline.
      const orders = await resolveFundOrders(alipay());
      if (orders.interrupted > 0)
        console.warn(`[jobs] in-flight sweep: ${orders.interrupted} interrupted fund-coupon orders`);
    })(),
    (async () => {
      // Refunds left PENDING/UNKNOWN first, then closed campaigns' money released since (failed payouts).
      const refunds = await resolveRefunds(alipay());
      if (refunds.interrupted > 0)
        console.warn(`[jobs] in-flight sweep: ${refunds.interrupted} interrupted fund-coupon refunds`);
      await refundClosedCampaigns(alipay());
    })(),
    (async () => {
      // User-funded packets past their end: closed, so their unclaimed remainder is refunded to the payer.
      const packets = await expireUserPackets(alipay());
      if (packets.closed > 0) console.warn(`[jobs] in-flight sweep: ${packets.closed} user packets expired`);
    })(),
    (async () => {
      const webhooks = await sweepInterruptedWebhookDeliveries();
      if (webhooks.swept > 0)
        console.warn(`[jobs] in-flight sweep: ${webhooks.swept} interrupted webhook deliveries`);
    })(),
  ]);
  const failure = results.find((r) => r.status === "rejected");
  if (failure) throw failure.reason;
}
