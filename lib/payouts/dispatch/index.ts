import "server-only";
import { alipay } from "@/lib/alipay";
import { env } from "@/lib/env";
import { Dispatcher } from "./dispatcher";

export { Dispatcher, type DispatcherOptions } from "./dispatcher";
export { nudgeDispatch } from "./nudge";

/** A dispatcher configured from the environment (PAYOUT_* variables), sending through the process's client. */
export function dispatcherFromEnv(): Dispatcher {
  return new Dispatcher({
    client: alipay,
    concurrency: env.PAYOUT_CONCURRENCY,
    leaseMs: env.PAYOUT_LEASE_MS,
    pollMs: env.PAYOUT_POLL_MS,
    retry: {
      baseDelayMs: env.PAYOUT_RETRY_BASE_MS,
      maxDelayMs: 10 * 60 * 1000,
      maxAttempts: env.PAYOUT_MAX_ATTEMPTS,
    },
  });
}
