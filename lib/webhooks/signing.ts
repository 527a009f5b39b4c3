import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { prefixedSecret } from "@/lib/prefixed-secret";

/**
 * How a webhook delivery is signed, and how a receiver checks it (docs/api.md#webhooks shows the same check
 * as a stand-alone snippet for receivers, and lib/api/openapi.test.ts runs that snippet against this module).
 *
 *   Hongbao-Webhook-Id:        the event's id (the same on every attempt and every resend: deduplicate on it)
 *   Hongbao-Webhook-Timestamp: unix seconds when this attempt was signed
 *   Hongbao-Webhook-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the endpoint secret>
 *
 * The timestamp is inside the signed text, so a captured request cannot be replayed with a fresh one; the
 * receiver refuses timestamps more than `toleranceSeconds` away from its clock.
 */

export const WEBHOOK_ID_HEADER = "Hongbao-Webhook-Id";
export const WEBHOOK_TIMESTAMP_HEADER = "Hongbao-Webhook-Timestamp";
export const WEBHOOK_SIGNATURE_HEADER = "Hongbao-Webhook-Signature";
/** The scheme before `=` in the signature header; a future scheme gets a new name beside it. */
export const WEBHOOK_SIGNATURE_SCHEME = "v1";
/** How far a timestamp may be from the receiver's clock, either way, by default. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** Every signing secret starts with this, so a leaked one is easy to recognise. */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

/** A new signing secret: the prefix and 32 random bytes (base64url). */
export function generateWebhookSecret(): string {
  return prefixedSecret(WEBHOOK_SECRET_PREFIX);
}

/** The body of every delivery: the event's id and type, when it happened, and the payout or campaign. */
export type WebhookBody = { id: string; type: string; createdAt: string; data: unknown };

export function webhookBody(event: { id: string; type: string; createdAt: Date; data: unknown }): string {
  const body: WebhookBody = {
    id: event.id,
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    data: event.data,
  };
  return JSON.stringify(body);
}

/** The hex HMAC-SHA256 of `<timestamp>.<raw body>` keyed with the whole secret (prefix included). */
export function webhookSignature(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac("sha256", secret).update(`${timestamp}.`, "utf8").update(rawBody).digest("hex");
}

/** The three headers of one attempt (the caller adds Content-Type). */
export function signWebhook(
  secret: string,
  eventId: string,
  rawBody: string,
  now: Date = new Date(),
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [WEBHOOK_ID_HEADER]: eventId,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: `${WEBHOOK_SIGNATURE_SCHEME}=${webhookSignature(secret, timestamp, rawBody)}`,
  };
}

export type WebhookVerification =
  | { ok: true; id: string; timestamp: number }
  | {
      ok: false;
      reason: "missing-header" | "bad-timestamp" | "timestamp-out-of-tolerance" | "bad-signature";
    };

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** A header by name whatever its case (Node lower-cases them; Fetch's Headers ignores case itself). */
function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/**
 * Checks a delivery as a receiver should, on the raw body exactly as received (before any JSON parsing):
 * the timestamp is a whole number of seconds within `toleranceSeconds` of `now`, and one of the `v1=`
 * signatures in the header (space- or comma-separated, so a secret can be rotated) matches, compared in
 * constant time.
 */
export function verifyWebhook(
  secret: string,
  headers: HeaderSource,
  rawBody: string | Buffer,
  options: { toleranceSeconds?: number; now?: Date } = {},
): WebhookVerification {
  const { toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS, now = new Date() } = options;
  const id = header(headers, WEBHOOK_ID_HEADER);
  const timestampText = header(headers, WEBHOOK_TIMESTAMP_HEADER);
  const signatures = header(headers, WEBHOOK_SIGNATURE_HEADER);
  if (!id || !timestampText || !signatures) return { ok: false, reason: "missing-header" };
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, reason: "bad-timestamp" };
  const timestamp = Number(timestampText);
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds)
    return { ok: false, reason: "timestamp-out-of-tolerance" };
  const expected = Buffer.from(webhookSignature(secret, timestamp, rawBody), "hex");
  const matches = signatures
    .split(/[\s,]+/)
    .filter((entry) => entry.startsWith(`${WEBHOOK_SIGNATURE_SCHEME}=`))
    .map((entry) => Buffer.from(entry.slice(WEBHOOK_SIGNATURE_SCHEME.length + 1), "hex"))
    // timingSafeEqual needs equal lengths; a length says nothing about the secret.
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
  return matches ? { ok: true, id, timestamp } : { ok: false, reason: "bad-signature" };
}
