import "server-only";
import { alipay } from "./index";
import { AlipayKeyError } from "./keys";

export type AlipaySelfCheck = {
  ok: boolean;
  /** The environment variable at fault, when the configuration is what failed (never its value). */
  variable?: string;
};

let cached: AlipaySelfCheck | null = null;

/**
 * The configuration self-check the start-up runs (keys normalised, the private key signs and verifies a probe,
 * Alipay's key or certificates readable), answered once per process: the configuration cannot change without a
 * restart, so health requests neither repeat the RSA work nor call Alipay.
 */
export function alipaySelfCheck(): AlipaySelfCheck {
  if (cached) return cached;
  try {
    alipay();
    cached = { ok: true };
  } catch (error) {
    cached = error instanceof AlipayKeyError ? { ok: false, variable: error.variable } : { ok: false };
  }
  return cached;
}
