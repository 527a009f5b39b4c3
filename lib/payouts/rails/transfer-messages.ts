import "server-only";
import type { Payout, PayoutStatus } from "@/generated/prisma/client";
import { yuanToFen } from "@/lib/alipay/money";
import { systemActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import type { NotificationResult } from "@/lib/notifications/types";
import { nudgeDispatch } from "../dispatch/nudge";

/** Who the refusal of a message is credited to in the audit log. */
const MESSAGES = systemActor("alipay-message");

/** What a terminal payout says happened, in the message's terms. */
const TERMINAL_OUTCOME: Partial<Record<PayoutStatus, "SUCCESS" | "FAIL">> = {
  SUCCEEDED: "SUCCESS",
  FAILED: "FAIL",
};

/** Statuses waiting for the dispatcher: the message brings their next call forward. */
const WAITING: readonly PayoutStatus[] = ["UNKNOWN", "APPROVED"];

const text = (value: unknown): string | null =>
  typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : null;

/**
 * `alipay.fund.trans.order.changed` (REFERENCE §4.4), already verified by the receiver: a hint that a transfer
 * changed, never the truth (§6.4). A payout still waiting for its outcome is made due now and the dispatcher
 * nudged, so its resolver asks common.query by out_biz_no and settles it from the answer; this function moves no
 * payout and no money itself. Idempotent: Alipay resends a message until it is answered `success`.
 */
export async function applyTransferOrderChanged(biz: Record<string, unknown>): Promise<NotificationResult> {
  const outBizNo = text(biz.out_biz_no);
  if (!outBizNo) return { outcome: "IGNORED", reason: "notifications.reason.malformed" };
  // out_biz_no is unique per campaign only: every TRANSFER campaign's payout with it is a candidate.
  const candidates = await db.$queryRaw<Payout[]>`
    SELECT p.* FROM "Payout" p JOIN "Campaign" c ON c.id = p."campaignId"
     WHERE p."outBizNo" = ${outBizNo} AND c.rail = 'TRANSFER'::"CampaignRail"
     ORDER BY p."createdAt"`;
  const first = candidates[0];
  if (!first) return { outcome: "IGNORED", reason: "notifications.reason.unknownPayout" };

  const amountText = text(biz.trans_amount);
  const amountFen = amountText === null ? null : yuanToFen(amountText);
  const payout =
    amountText === null
      ? first
      : candidates.find((p) => amountFen !== null && (p.awardedFen ?? p.amountFen) === amountFen);
  if (!payout) {
    // Not what any payout of ours asked for: record it for a person, and answer `fail` (REFUSED).
    await recordAudit(db, MESSAGES, {
      action: "payout.notification_refused",
      entityType: "Payout",
      entityId: first.id,
      after: {
        reason: "amountMismatch",
        outBizNo,
        transAmount: amountText,
        amountFen: first.amountFen,
        status: text(biz.status),
        orderId: text(biz.order_id),
      },
    });
    return {
      outcome: "REFUSED",
      reason: "notifications.reason.amountMismatch",
      entityType: "Payout",
      entityId: first.id,
    };
  }

  const about = { entityType: "Payout", entityId: payout.id };
  if (WAITING.includes(payout.status)) {
    // Guarded: a dispatcher that claimed it meanwhile is already asking Alipay.
    await db.payout.updateMany({
      where: { id: payout.id, status: { in: [...WAITING] } },
      data: { nextAttemptAt: new Date() },
    });
    nudgeDispatch();
    return { outcome: "APPLIED", ...about };
  }
  const recorded = TERMINAL_OUTCOME[payout.status];
  const said = text(biz.status);
  if (recorded && said && said !== recorded && said !== "DEALING") {
    // A settled payout Alipay now describes otherwise: a person must compare (the query is the truth).
    await recordAudit(db, MESSAGES, {
      action: "payout.notification_refused",
      entityType: "Payout",
      entityId: payout.id,
      after: { reason: "outcomeMismatch", outBizNo, status: said, payoutStatus: payout.status },
    });
    return { outcome: "REFUSED", reason: "notifications.reason.outcomeMismatch", ...about };
  }
  // Settled the same way, in flight (SENDING: its answer is on the way) or with a person: nothing to do.
  return { outcome: "APPLIED", ...about };
}
