import "server-only";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { env, isDemoMode } from "@/lib/env";

/** How the console reaches Alipay, as an administrator checks it against the open platform (never a key). */
export type AlipaySetupView = {
  appId: string | null;
  gateway: string | null;
  notifyUrl: string | null;
  merchantPid: string | null;
  maxQps: number;
  transferMaxQps: number;
  demo: boolean;
};

export function alipaySetup(actor: Actor): AlipaySetupView {
  assertCan(actor, "settings:manage");
  return {
    appId: env.ALIPAY_APP_ID ?? null,
    gateway: env.ALIPAY_GATEWAY ?? null,
    notifyUrl: env.ALIPAY_NOTIFY_URL ?? null,
    merchantPid: env.ALIPAY_MERCHANT_PID ?? null,
    maxQps: env.ALIPAY_MAX_QPS,
    transferMaxQps: env.ALIPAY_TRANSFER_MAX_QPS,
    demo: isDemoMode,
  };
}
