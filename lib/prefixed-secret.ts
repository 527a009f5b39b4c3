import "server-only";
import { randomBytes } from "node:crypto";

/** 256 random bits: beyond guessing, which is what lets API keys be checked by a fast hash (lib/api-keys). */
const SECRET_BYTES = 32;

/**
 * A new secret the console hands out (an API key, a webhook signing secret): `prefix`, so a leaked one is easy
 * to recognise with grep and secret scanners, then 32 random bytes as base64url.
 */
export function prefixedSecret(prefix: string): string {
  return `${prefix}${randomBytes(SECRET_BYTES).toString("base64url")}`;
}
