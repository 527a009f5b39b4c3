import "server-only";
import fs from "node:fs";
import type { Env } from "@/lib/env";
import type { AlipayCallLog, AlipayClientConfig } from "./client";
import { AlipayKeyError, loadCertificate } from "./keys";

export const PRODUCTION_GATEWAY = "https://openapi.alipay.com/gateway.do";
export const SANDBOX_GATEWAY = "https://openapi-sandbox.dl.alipaydev.com/gateway.do";

/** Client configuration from the validated environment; names the variable when something is missing. */
export function alipayConfigFromEnv(env: Env, log?: (call: AlipayCallLog) => void): AlipayClientConfig {
  if (!env.ALIPAY_APP_ID)
    throw new AlipayKeyError("ALIPAY_APP_ID", "is not set (the 16-digit APPID of your Alipay app).");
  if (!env.ALIPAY_PRIVATE_KEY)
    throw new AlipayKeyError("ALIPAY_PRIVATE_KEY", "is not set (your app's RSA2 private key).");
  const certMode = !!(env.ALIPAY_APP_CERT || env.ALIPAY_PUBLIC_CERT || env.ALIPAY_ROOT_CERT);
  const read = (path: string) => fs.readFileSync(path, "utf8");
  const certificates = certMode
    ? {
        appCert: loadCertificate(env.ALIPAY_APP_CERT ?? "", "ALIPAY_APP_CERT", read),
        alipayPublicCert: loadCertificate(env.ALIPAY_PUBLIC_CERT ?? "", "ALIPAY_PUBLIC_CERT", read),
        alipayRootCert: loadCertificate(env.ALIPAY_ROOT_CERT ?? "", "ALIPAY_ROOT_CERT", read),
      }
    : undefined;
  if (!certMode && !env.ALIPAY_PUBLIC_KEY) {
    throw new AlipayKeyError(
      "ALIPAY_PUBLIC_KEY",
      "is not set (支付宝公钥 from the open platform, or use the three certificates).",
    );
  }
  return {
    appId: env.ALIPAY_APP_ID,
    privateKey: env.ALIPAY_PRIVATE_KEY,
    keyType: env.ALIPAY_KEY_TYPE,
    alipayPublicKey: certMode ? undefined : env.ALIPAY_PUBLIC_KEY,
    certificates,
    gateway: env.ALIPAY_GATEWAY ?? PRODUCTION_GATEWAY,
    timeoutMs: env.ALIPAY_TIMEOUT_MS,
    maxQps: env.ALIPAY_MAX_QPS,
    notifyUrl: env.ALIPAY_NOTIFY_URL,
    log,
  };
}
