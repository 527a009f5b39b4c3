import "server-only";
import type { AlipayClient } from "./client";

/**
 * Verifies what Alipay POSTs to us (REFERENCE.md §1.9): v2 notifications to notify_url, and 蚂蚁消息 messages
 * (e.g. alipay.fund.trans.order.changed) to the app gateway. Both are form-encoded and signed with Alipay's
 * key. Parse the raw body ONCE (URLSearchParams) and verify with checkNotifySignV2, which does not URL-decode
 * again (the SDK's older checkNotifySign breaks on values containing "%": alipay-sdk-nodejs-all#45).
 * A verified notification is still only a hint: callers check amounts against their records and answer
 * `success` only after their durable write.
 */

export type NotificationCheck =
  | { kind: "verified"; fields: Record<string, string> }
  | { kind: "invalid"; reason: "unsigned" | "bad-signature" | "other-app" };

export function parseFormBody(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

/**
 * The SDK throws, rather than answering false, for a `sign_type` it has no algorithm for (anything but RSA2 and
 * RSA): such a body cannot be Alipay's, and must be refused like any bad signature, not fail the receiver.
 */
function signatureVerifies(client: AlipayClient, fields: Record<string, string>): boolean {
  try {
    return client.sdk.checkNotifySignV2(fields);
  } catch {
    return false;
  }
}

export function verifyNotification(client: AlipayClient, fields: Record<string, string>): NotificationCheck {
  if (!fields.sign) return { kind: "invalid", reason: "unsigned" };
  if (!signatureVerifies(client, fields)) return { kind: "invalid", reason: "bad-signature" };
  if (fields.app_id !== client.appId) return { kind: "invalid", reason: "other-app" };
  return { kind: "verified", fields };
}

export type GatewayMessage = {
  msgMethod: string;
  notifyId: string | null;
  sentAt: Date | null;
  bizContent: Record<string, unknown>;
};

export type GatewayMessageCheck =
  | { kind: "verified"; message: GatewayMessage }
  | (NotificationCheck & { kind: "invalid" })
  | {
      kind: "malformed";
    };

export function verifyGatewayMessage(
  client: AlipayClient,
  fields: Record<string, string>,
): GatewayMessageCheck {
  const check = verifyNotification(client, fields);
  if (check.kind === "invalid") return check;
  let bizContent: unknown;
  try {
    bizContent = JSON.parse(fields.biz_content ?? "");
  } catch {
    return { kind: "malformed" };
  }
  if (!fields.msg_method || typeof bizContent !== "object" || bizContent === null)
    return { kind: "malformed" };
  const ms = Number(fields.utc_timestamp);
  return {
    kind: "verified",
    message: {
      msgMethod: fields.msg_method,
      notifyId: fields.notify_id ?? null,
      sentAt: Number.isFinite(ms) && ms > 0 ? new Date(ms) : null,
      bizContent: bizContent as Record<string, unknown>,
    },
  };
}

/** The only answers Alipay understands: `success` stops redelivery, anything else asks for it again. */
export const NOTIFY_ACK = "success";
export const NOTIFY_RETRY = "fail";
