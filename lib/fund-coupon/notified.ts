import "server-only";
import { Prisma, type FundOrder } from "@/generated/prisma/client";
import { yuanToFen } from "@/lib/alipay/money";
import { systemActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/service";
import { addReturnedFunds } from "@/lib/budget/service";
import { db, QUEUED_TRANSACTION } from "@/lib/db";
import type { NotificationResult } from "@/lib/notifications/types";
import { nudgeDispatch } from "@/lib/payouts/dispatch/nudge";
import { lockFundOrders } from "./balances";
import { applyPaidReport } from "./orders";
import { settleRefund } from "./refunds";

/**
 * Fund-coupon notifications (notify_url), already verified by the caller (signature and app_id). They are hints
 * checked against our records and applied idempotently: a pay of one of our orders marks it PAID; a disbursement
 * only wakes its payout's lookup (the query is the truth); a refund of ours settles it; a refund we did not ask
 * for is an order's expiry auto-refund, recorded once under Alipay's own key.
 */

const ALIPAY = systemActor("alipay");

/** Thrown inside the expiry transaction to roll it back when payouts still hold the money Alipay returned. */
class HeldByPayouts extends Error {}

async function refuse(entityType: string, entityId: string, reason: string, fields: Record<string, string>) {
  await recordAudit(db, ALIPAY, {
    action: "fund_order.notification_refused",
    entityType,
    entityId,
    after: {
      reason,
      notifyType: fields.notify_type ?? null,
      amount: fields.amount ?? null,
      outRequestNo: fields.out_request_no ?? null,
    },
  });
  return { outcome: "REFUSED" as const, reason, entityType, entityId };
}

async function applyTradeStatus(fields: Record<string, string>): Promise<NotificationResult> {
  const outOrderNo = fields.out_order_no;
  if (!outOrderNo) return { outcome: "IGNORED", reason: "notifications.reason.unknownOrder" };
  const order = await db.fundOrder.findUnique({ where: { outOrderNo } });
  if (order) return (await applyPaidReport(order, fields)).result;
  // A disbursement: its out_order_no is a payout's outBizNo on a fund-coupon campaign.
  const payouts = await db.payout.findMany({
    where: { outBizNo: outOrderNo, campaign: { rail: "FUND_COUPON" } },
    select: { id: true, status: true },
  });
  if (payouts.length === 0) return { outcome: "IGNORED", reason: "notifications.reason.unknownOrder" };
  const unknown = payouts.filter((p) => p.status === "UNKNOWN").map((p) => p.id);
  if (unknown.length > 0) {
    // The payout's lookup (operation.query) decides; the notification only makes it happen now.
    await db.payout.updateMany({
      where: { id: { in: unknown }, status: "UNKNOWN" },
      data: { nextAttemptAt: new Date() },
    });
    nudgeDispatch();
  }
  return { outcome: "APPLIED", entityType: "Payout", entityId: payouts[0]?.id ?? outOrderNo };
}

/** An expiry auto-refund of one of our orders: refunded at once, recorded once under Alipay's key. */
async function applyExpiryRefund(order: FundOrder, fields: Record<string, string>, amountFen: number) {
  const entity = { entityType: "FundOrder", entityId: order.id };
  const key = fields.out_request_no || (fields.operation_id ? `op_${fields.operation_id}` : "");
  if (!key) return refuse("FundOrder", order.id, "notifications.reason.malformed", fields);
  if (await db.campaignRefund.findUnique({ where: { outRequestNo: key } }))
    return { outcome: "APPLIED" as const, ...entity };
  if (amountFen > order.amountFen - order.refundedFen)
    return refuse("FundOrder", order.id, "notifications.reason.amountMismatch", fields);
  try {
    await db.$transaction(async (tx) => {
      await lockFundOrders(tx, order.campaignId);
      const created = await tx.campaignRefund.create({
        data: {
          campaignId: order.campaignId,
          amountFen,
          kind: "EXPIRED",
          status: "SUCCEEDED",
          fundOrderId: order.id,
          outRequestNo: key,
          operationId: fields.operation_id || null,
          requestedByLabel: "alipay",
        },
      });
      // Money our payouts still hold (in flight, outcome unknown) cannot have been returned in our books yet:
      // rolled back and answered fail, so Alipay redelivers once those payouts are resolved.
      if (!(await addReturnedFunds(tx, order.campaignId, amountFen))) throw new HeldByPayouts();
      const changed = await tx.$executeRaw`
        UPDATE "FundOrder" SET "refundedFen" = "refundedFen" + ${amountFen}, "updatedAt" = now()
         WHERE id = ${order.id} AND "refundedFen" + ${amountFen} <= "amountFen"`;
      if (changed !== 1) throw new HeldByPayouts();
      await recordAudit(tx, ALIPAY, {
        action: "campaign.refund_expired",
        entityType: "CampaignRefund",
        entityId: created.id,
        after: {
          campaignId: order.campaignId,
          fundOrderId: order.id,
          amountFen,
          outRequestNo: key,
          kind: "EXPIRED",
        },
      });
    }, QUEUED_TRANSACTION);
  } catch (error) {
    if (error instanceof HeldByPayouts)
      return {
        outcome: "DEFERRED" as const,
        reason: "notifications.reason.refundExceedsAvailable",
        ...entity,
      };
    // A concurrent delivery of the same notification recorded it first.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      return { outcome: "APPLIED" as const, ...entity };
    throw error;
  }
  return { outcome: "APPLIED" as const, ...entity };
}

async function applyRefundSuccess(fields: Record<string, string>): Promise<NotificationResult> {
  const amountFen = yuanToFen(fields.amount ?? "");
  const ours = fields.out_request_no
    ? await db.campaignRefund.findUnique({ where: { outRequestNo: fields.out_request_no } })
    : null;
  if (ours) {
    const entity = { entityType: "CampaignRefund", entityId: ours.id };
    if (amountFen !== ours.amountFen)
      return refuse("CampaignRefund", ours.id, "notifications.reason.amountMismatch", fields);
    if (ours.status === "SUCCEEDED") return { outcome: "APPLIED", ...entity };
    // FAILED came from a definite refusal: Alipay now claiming success needs a person, not an automatic undo.
    if (ours.status === "FAILED")
      return refuse("CampaignRefund", ours.id, "notifications.reason.refundStateConflict", fields);
    await db.$transaction(
      (tx) => settleRefund(tx, ALIPAY, ours, { kind: "succeeded", operationId: fields.operation_id || null }),
      QUEUED_TRANSACTION,
    );
    return { outcome: "APPLIED", ...entity };
  }
  const order = fields.auth_no
    ? await db.fundOrder.findUnique({ where: { authNo: fields.auth_no } })
    : fields.out_order_no
      ? await db.fundOrder.findUnique({ where: { outOrderNo: fields.out_order_no } })
      : null;
  if (!order) return { outcome: "IGNORED", reason: "notifications.reason.unknownOrder" };
  if (amountFen === null || amountFen <= 0)
    return refuse("FundOrder", order.id, "notifications.reason.amountMismatch", fields);
  return applyExpiryRefund(order, fields, amountFen);
}

/**
 * Applies one verified fund-coupon notification. The caller stores the notification with this result and
 * answers `success` for APPLIED and IGNORED, `fail` for REFUSED and DEFERRED (Alipay redelivers).
 */
export async function applyFundCouponNotification(
  fields: Record<string, string>,
): Promise<NotificationResult> {
  switch (fields.notify_type) {
    case "trade_status_sync":
      return applyTradeStatus(fields);
    case "fund_stdtrustee_refund.success":
      return applyRefundSuccess(fields);
    default:
      return { outcome: "IGNORED", reason: "notifications.reason.unknownType" };
  }
}
