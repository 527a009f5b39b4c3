import "server-only";
import { env } from "@/lib/env";
import { AlipayClient } from "./client";
import { alipayConfigFromEnv } from "./config";

// One client per process (its rate limiter must see every call), kept across hot reloads in development.
const globalForAlipay = globalThis as unknown as { hongbaoAlipay?: AlipayClient };

/** The process's Alipay client, built from the environment on first use. */
export function alipay(): AlipayClient {
  globalForAlipay.hongbaoAlipay ??= new AlipayClient(
    alipayConfigFromEnv(env, env.LOG_LEVEL === "debug" ? (line) => console.log(line) : undefined),
  );
  return globalForAlipay.hongbaoAlipay;
}

export type { AlipayClient };
