import "server-only";
import { env } from "@/lib/env";
import { log, type Logger } from "@/lib/log";
import { AlipayClient, type AlipayCallLog } from "./client";
import { alipayConfigFromEnv } from "./config";
import { SharedRateLimiter } from "./shared-rate-limiter";

// One client per process (its rate limiters must see every call), kept across hot reloads in development.
const globalForAlipay = globalThis as unknown as { hongbaoAlipay?: AlipayClient };

/**
 * One `alipay.call` line per call. Unknown outcomes are warnings: each one leaves a payout or campaign that
 * a sweeper must resolve, which is what an operator watching warnings wants to see.
 */
export function logAlipayCalls(logger: Logger): (call: AlipayCallLog) => void {
  return (call) => (call.outcome === "unknown" ? logger.warn : logger.info)("alipay.call", call);
}

/** The process's Alipay client, built from the environment on first use. */
export function alipay(): AlipayClient {
  globalForAlipay.hongbaoAlipay ??= new AlipayClient({
    ...alipayConfigFromEnv(env, logAlipayCalls(log)),
    sharedLimiter: new SharedRateLimiter(env.ALIPAY_MAX_QPS),
  });
  return globalForAlipay.hongbaoAlipay;
}

export type { AlipayClient };
