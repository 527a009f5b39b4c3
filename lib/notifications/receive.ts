import "server-only";
import { Prisma, type AlipayNotification } from "@/generated/prisma/client";
import { alipay, type AlipayClient } from "@/lib/alipay";
import { parseFormBody, verifyGatewayMessage, verifyNotification } from "@/lib/alipay/notify";
import { NO_REQUEST, systemActor, type RequestMeta } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { applyFundCouponNotification } from "@/lib/fund-coupon/notified";
import { log } from "@/lib/log";
import { applyTransferOrderChanged } from "@/lib/payouts/rails/transfer-messages";
import { UNSTORABLE_CHARACTERS } from "@/lib/validation/text";
import type { NotificationResult } from "./types";

/**
 * The one receiver of what Alipay POSTs to /api/alipay/notify: v2 notify_url notifications (fund coupon pay,
 * disburse, refund) and 应用网关 messages (alipay.fund.trans.order.changed) share the URL, told apart by
 * `msg_method`. Every POST is stored (refused ones too, so an operator can see forgeries and misconfigured
 * app ids), and the answer is `success` only once what it says is durably reflected in our records: Alipay
 * redelivers (same notify_id) until it reads exactly `success`.
 */

export type ReceiveAnswer = "success" | "fail";
export type ReceivedNotification = { answer: ReceiveAnswer; notification: AlipayNotification };

export const NOTIFICATION_REASONS = {
  badSignature: "notifications.reason.badSignature",
  wrongAppId: "notifications.reason.wrongAppId",
  malformed: "notifications.reason.malformed",
  unknownType: "notifications.reason.unknownType",
  applyFailed: "notifications.reason.applyFailed",
} as const;

/** Routing: notify_type (NOTIFY) or msg_method (GATEWAY) → the applier. Anything else is IGNORED. */
const FUND_COUPON_NOTIFY_TYPES = new Set(["trade_status_sync", "fund_stdtrustee_refund.success"]);
const TRANSFER_ORDER_CHANGED = "alipay.fund.trans.order.changed";

const REFUSER = "alipay-notify";
// Hostile bodies are capped by the route (64 KB), but an indexed column must stay far below Postgres's btree
// row limit (~2.7 KB), or the INSERT of a refused notification would fail and leave no trace of it.
const MAX_INDEXED = 128;

type Channel = "NOTIFY" | "GATEWAY";
type Envelope = {
  channel: Channel;
  type: string;
  notifyId: string | null;
  appId: string | null;
  /** The form fields without `sign` (kept: it is Alipay's, and worthless without the rest). */
  stored: Record<string, string>;
};
type Stored = Omit<NotificationResult, "outcome"> & {
  outcome: NotificationResult["outcome"] | "DUPLICATE";
  signatureValid: boolean;
  /**
   * Refused here, before any applier saw it (forged, another app, unreadable): audited with the stored row. An
   * applier that refuses (amount disagrees) audits that itself, on the payout or order it found.
   */
  refusedByReceiver?: boolean;
};

// Hostile bodies carrying what the database cannot store would make the INSERT fail, and the refusal would
// leave no trace. Only what is stored is cleaned; the signature is checked on the fields as received.
function storable(value: string): string {
  return value.replace(UNSTORABLE_CHARACTERS, "\uFFFD");
}

function clip(value: string | undefined): string | null {
  return value === undefined || value === "" ? null : storable(value.slice(0, MAX_INDEXED));
}

function envelopeOf(fields: Record<string, string>): Envelope {
  const stored = Object.fromEntries(
    Object.entries(fields)
      .filter(([key]) => key !== "sign")
      .map(([key, value]) => [storable(key), storable(value)]),
  );
  const channel: Channel = fields.msg_method !== undefined ? "GATEWAY" : "NOTIFY";
  return {
    channel,
    type: clip(channel === "GATEWAY" ? fields.msg_method : fields.notify_type) ?? "",
    notifyId: clip(fields.notify_id),
    appId: clip(fields.app_id),
    stored,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

function answerFor(outcome: Stored["outcome"]): ReceiveAnswer {
  return outcome === "APPLIED" || outcome === "DUPLICATE" || outcome === "IGNORED" ? "success" : "fail";
}

/**
 * Writes the row; one refused by the receiver with its audit event in the same transaction (the event exists
 * exactly when the row does). Throws when the database does: the caller must then answer `fail`, never `success`.
 */
async function store(envelope: Envelope, result: Stored, meta: RequestMeta): Promise<AlipayNotification> {
  const data = {
    channel: envelope.channel,
    type: envelope.type,
    notifyId: envelope.notifyId,
    appId: envelope.appId,
    fields: envelope.stored,
    signatureValid: result.signatureValid,
    outcome: result.outcome,
    reason: result.reason ?? null,
    entityType: result.entityType ?? null,
    entityId: result.entityId ?? null,
  };
  if (!result.refusedByReceiver) return db.alipayNotification.create({ data });
  return db.$transaction(async (tx) => {
    const row = await tx.alipayNotification.create({ data });
    await recordAudit(
      tx,
      { ...systemActor(REFUSER), ...meta },
      {
        action: "alipay.notification_refused",
        entityType: "AlipayNotification",
        entityId: row.id,
        after: {
          channel: row.channel,
          type: row.type,
          notifyId: row.notifyId,
          appId: row.appId,
          reason: row.reason,
        },
      },
    );
    return row;
  });
}

async function finish(envelope: Envelope, result: Stored, meta: RequestMeta): Promise<ReceivedNotification> {
  const notification = await store(envelope, result, meta);
  return { answer: answerFor(result.outcome), notification };
}

async function apply(
  envelope: Envelope,
  run: () => Promise<NotificationResult>,
): Promise<NotificationResult> {
  try {
    return await run();
  } catch (error) {
    // The appliers' own transactions rolled back: nothing half-done to record, and redelivery retries it.
    log.error("alipay.notification_apply_failed", {
      channel: envelope.channel,
      type: envelope.type,
      notifyId: envelope.notifyId,
      error: error instanceof Error ? error.message : String(error),
    });
    return { outcome: "DEFERRED", reason: NOTIFICATION_REASONS.applyFailed };
  }
}

/**
 * Verifies, de-duplicates, applies and stores one POST from Alipay, and says what to answer.
 *
 * Replays: a notify_id that already has an APPLIED row is stored as DUPLICATE and answered `success` without
 * applying again. Two concurrent redeliveries can both pass that check; the partial unique index (one APPLIED
 * row per notify_id) then lets exactly one APPLIED row in and the other is stored as DUPLICATE.
 *
 * Ordering: apply first, then insert the APPLIED row. The appliers run their own transactions on `db` and are
 * idempotent (they compare with our records), so applying twice is harmless, whereas inserting APPLIED first
 * would, after a crash between the two, answer every redelivery DUPLICATE/`success` while nothing was applied
 * — the notification would be lost. A crash after applying but before the insert leaves no row: Alipay
 * redelivers, the applier finds its work done and answers APPLIED again.
 *
 * Never throws for what Alipay (or anyone) sends: unparseable, unsigned, forged or other-app bodies are stored
 * REFUSED. It throws only when the database write fails, and the caller then answers `fail`.
 */
export async function receiveAlipayNotification(
  rawBody: string,
  client: AlipayClient,
  meta: RequestMeta = NO_REQUEST,
): Promise<ReceivedNotification> {
  let fields: Record<string, string>;
  try {
    fields = parseFormBody(rawBody);
  } catch {
    fields = {};
  }
  const envelope = envelopeOf(fields);
  const refuse = (reason: string, signatureValid: boolean) =>
    finish(envelope, { outcome: "REFUSED", reason, signatureValid, refusedByReceiver: true }, meta);

  // A body naming no notify_type or msg_method is not a notification at all (empty, JSON, garbage).
  if (envelope.type === "") return refuse(NOTIFICATION_REASONS.malformed, false);

  let run: () => Promise<NotificationResult>;
  if (envelope.channel === "GATEWAY") {
    const check = verifyGatewayMessage(client, fields);
    if (check.kind === "malformed") return refuse(NOTIFICATION_REASONS.malformed, true);
    if (check.kind === "invalid")
      return check.reason === "other-app"
        ? refuse(NOTIFICATION_REASONS.wrongAppId, true)
        : refuse(NOTIFICATION_REASONS.badSignature, false);
    const { message } = check;
    run =
      message.msgMethod === TRANSFER_ORDER_CHANGED
        ? () => applyTransferOrderChanged(message.bizContent)
        : async () => ({ outcome: "IGNORED", reason: NOTIFICATION_REASONS.unknownType });
  } else {
    const check = verifyNotification(client, fields);
    if (check.kind === "invalid")
      return check.reason === "other-app"
        ? refuse(NOTIFICATION_REASONS.wrongAppId, true)
        : refuse(NOTIFICATION_REASONS.badSignature, false);
    run = FUND_COUPON_NOTIFY_TYPES.has(envelope.type)
      ? () => applyFundCouponNotification(check.fields)
      : async () => ({ outcome: "IGNORED", reason: NOTIFICATION_REASONS.unknownType });
  }

  if (envelope.notifyId !== null) {
    const applied = await db.alipayNotification.findFirst({
      where: { notifyId: envelope.notifyId, outcome: "APPLIED" },
      select: { entityType: true, entityId: true },
    });
    if (applied) return duplicate(envelope, applied, meta);
  }

  const result = await apply(envelope, run);
  try {
    return await finish(envelope, { ...result, signatureValid: true }, meta);
  } catch (error) {
    // Another delivery of the same notify_id stored its APPLIED row between our check and our insert.
    if (result.outcome !== "APPLIED" || !isUniqueViolation(error)) throw error;
    return duplicate(envelope, result, meta);
  }
}

function duplicate(
  envelope: Envelope,
  applied: { entityType?: string | null; entityId?: string | null },
  meta: RequestMeta,
): Promise<ReceivedNotification> {
  return finish(
    envelope,
    {
      outcome: "DUPLICATE",
      signatureValid: true,
      entityType: applied.entityType ?? undefined,
      entityId: applied.entityId ?? undefined,
    },
    meta,
  );
}

/** The route's entry: the process's Alipay client (app/ may not import lib/alipay itself). */
export function receiveAlipayNotificationBody(
  rawBody: string,
  meta: RequestMeta,
): Promise<ReceivedNotification> {
  return receiveAlipayNotification(rawBody, alipay(), meta);
}
