import "server-only";
import { createHash } from "node:crypto";
import { prefixedSecret } from "@/lib/prefixed-secret";

/** Every secret starts with this, so a leaked key is easy to find with grep and secret scanners. */
export const API_KEY_SECRET_PREFIX = "hbk_live_";
/** How much of the secret is kept in clear to recognise the key: the prefix and 8 characters. */
const SHOWN_LENGTH = API_KEY_SECRET_PREFIX.length + 8;

/** A new secret: the prefix and 32 random bytes (base64url). Shown once, never stored. */
export function generateApiKeySecret(): { secret: string; prefix: string; secretHash: string } {
  const secret = prefixedSecret(API_KEY_SECRET_PREFIX);
  return { secret, prefix: secret.slice(0, SHOWN_LENGTH), secretHash: hashApiKeySecret(secret) };
}

/**
 * SHA-256 (hex) of the whole secret. A slow password hash protects guessable secrets; these are 256 random
 * bits, so a fast hash is as safe and lets every API request be checked in one indexed lookup.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
