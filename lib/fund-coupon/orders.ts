import "server-only";
import type { Campaign, FundOrder, FundOrderStatus } from "@/generated/prisma/client";
import type { AlipayClient } from "@/lib/alipay/client";
import {
  agreementPay,
  pagePayForm,
  queryOperation,
  type FundingOrder,
  type FundOperation,
} from "@/lib/alipay/fund-coupon";
import { yuanToFen } from "@/lib/alipay/money";
import { verifyNotification } from "@/lib/alipay/notify";
import type { AlipayResult } from "@/lib/alipay/result";
import {
  actorId,
  actorLabel,
  assertCampaignInScope,
  assertCan,
  systemActor,
  type Actor,
} from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/service";
import { addFunding } from "@/lib/budget/service";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { DomainError, domainError, fieldError } from "@/lib/errors";
import { formatFen } from "@/lib/format/money";
import type { NotificationResult } from "@/lib/notifications/types";
import { crashPoint } from "@/lib/runtime/crash-point";
import { newKey, STALE_AFTER_MS } from "./balances";

/**
 * Funding a FUND_COUPON campaign with red-packet orders (REFERENCE.md §3.2). Every order follows the campaign
 * pattern: a short transaction records it with its keys (CREATING / AWAITING_PAYMENT) → the Alipay call outside
 * any transaction → a short transaction records the answer with a guarded status move. A paid order adds its
 * amount to the budget in the transaction that marks it PAID, whichever path learnt it first (the agreement
 * answer, the cashier's return, the notification or the sweep's query).
 */

const AMOUNT_MIN_FEN = 1;
/** Alipay: 0.01 – 100,000,000.00 yuan per order. */
const AMOUNT_MAX_FEN = 10_000_000_000;
const EXPIRES_MIN_MINUTES = 5;
/** orderExpiredTime is written in minutes; 30 days is far beyond any campaign we expect. */
const EXPIRES_MAX_MINUTES = 30 * 24 * 60;
/** page.pay: the cashier closes an unpaid order after this (sent as pay_timeout). */
const PAGE_PAY_TIMEOUT_MINUTES = 30;
const SWEEP_BATCH = 50;

/** What Alipay reports about an order is credited to Alipay; what the sweeper decides, to the sweeper. */
const ALIPAY: Actor = systemActor("alipay");
const SWEEPER: Actor = systemActor("in-flight-sweeper");

/** Statuses in which a campaign may receive money. */
const FUNDABLE = new Set(["AWAITING_FUNDING", "ACTIVE", "PAUSED"]);

/** ≤ 100 ASCII characters or 50 Chinese ones (REFERENCE §3.2): anything outside ASCII counts double. */
export function titleWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.charCodeAt(0) > 0x7f ? 2 : 1;
  return width;
}

function validateOrderInput(input: { amountFen: number; title: string }): void {
  if (
    !Number.isSafeInteger(input.amountFen) ||
    input.amountFen < AMOUNT_MIN_FEN ||
    input.amountFen > AMOUNT_MAX_FEN
  )
    throw fieldError("VALIDATION", "amountFen", "fundCoupon.errors.amountOutOfRange", {
      min: formatFen(AMOUNT_MIN_FEN),
      max: formatFen(AMOUNT_MAX_FEN),
    });
  const title = input.title.trim();
  if (title.length === 0 || titleWidth(title) > 100)
    throw fieldError("VALIDATION", "title", "fundCoupon.errors.titleInvalid");
}

/** The campaign, read in the order's transaction: a fund-coupon campaign that can still receive money. */
async function fundableCampaign(tx: Tx, campaignId: string): Promise<Campaign> {
  const campaign = await tx.campaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw fieldError("NOT_FOUND", "campaignId", "payouts.errors.campaignNotFound");
  if (campaign.rail !== "FUND_COUPON")
    throw fieldError("CONFLICT", "campaignId", "fundCoupon.errors.notFundCoupon");
  if (!FUNDABLE.has(campaign.status))
    throw fieldError("CONFLICT", "campaignId", "fundCoupon.errors.notFundable", { status: campaign.status });
  return campaign;
}

function merchantPid(): string {
  const pid = env.ALIPAY_MERCHANT_PID;
  // The message names the variable: an operator must set it before agreement pay can work at all.
  if (!pid) throw new DomainError("CONFLICT", { key: "fundCoupon.errors.merchantPidMissing" });
  return pid;
}

/** What the audit log keeps of an order. */
function orderSnapshot(order: FundOrder) {
  return {
    campaignId: order.campaignId,
    method: order.method,
    status: order.status,
    outOrderNo: order.outOrderNo,
    amountFen: order.amountFen,
    authNo: order.authNo,
    failureCode: order.failureCode,
  };
}

/** Moves an order from `from` to `to` with a guarded update and its audit event; null when it had moved on. */
async function moveOrder(
  tx: Tx,
  actor: Actor,
  order: FundOrder,
  from: FundOrderStatus,
  to: FundOrderStatus,
  action: string,
  data: Partial<Pick<FundOrder, "failureCode" | "failureMessage" | "unknownLookups" | "attemptedAt">> = {},
): Promise<FundOrder | null> {
  const changed = await tx.fundOrder.updateMany({
    where: { id: order.id, status: from },
    data: { ...data, status: to },
  });
  if (changed.count !== 1) return null;
  const updated = await tx.fundOrder.findUniqueOrThrow({ where: { id: order.id } });
  await recordAudit(tx, actor, {
    action,
    entityType: "FundOrder",
    entityId: order.id,
    before: { status: from },
    after: orderSnapshot(updated),
  });
  return updated;
}

export type PaidFacts = { authNo: string; operationId: string; paidAt: Date; amountFen: number };

/**
 * Marks an order PAID and adds its amount to the campaign's budget, in the caller's transaction; the campaign
 * becomes ACTIVE on its first paid order. Idempotent: guarded on the order not being PAID yet, so the agreement
 * answer, the cashier return, the notification and the sweep can all report the same payment and only the first
 * changes anything. Alipay saying it was paid is the truth even for an order we had given up on (CLOSED/FAILED).
 * Returns whether this call made the change.
 */
export async function markOrderPaid(
  tx: Tx,
  order: FundOrder,
  paid: PaidFacts,
  actor: Actor = ALIPAY,
): Promise<boolean> {
  if (paid.amountFen !== order.amountFen)
    throw new Error(`fund order ${order.id}: paid ${paid.amountFen} fen, ordered ${order.amountFen}`);
  const changed = await tx.fundOrder.updateMany({
    where: { id: order.id, status: { not: "PAID" } },
    data: {
      status: "PAID",
      authNo: paid.authNo,
      operationId: paid.operationId,
      paidAt: paid.paidAt,
      failureCode: null,
      failureMessage: null,
    },
  });
  if (changed.count !== 1) return false;
  await addFunding(tx, order.campaignId, order.amountFen);
  await recordAudit(tx, actor, {
    action: "fund_order.paid",
    entityType: "FundOrder",
    entityId: order.id,
    before: { status: order.status },
    after: { ...orderSnapshot(order), status: "PAID", authNo: paid.authNo, operationId: paid.operationId },
  });
  const activated = await tx.campaign.updateMany({
    where: { id: order.campaignId, status: "AWAITING_FUNDING" },
    data: { status: "ACTIVE" },
  });
  if (activated.count === 1) {
    await recordAudit(tx, actor, {
      action: "campaign.funded",
      entityType: "Campaign",
      entityId: order.campaignId,
      before: { status: "AWAITING_FUNDING" },
      after: { status: "ACTIVE", fundOrderId: order.id, amountFen: order.amountFen },
    });
  }
  return true;
}

function orderMinutes(order: FundOrder): number | undefined {
  // The agreement request must be identical on every resend: its orderExpiredTime is recovered from the stored
  // expiry, which was set from the same instant as createdAt.
  if (!order.expiresAt) return undefined;
  return Math.round((order.expiresAt.getTime() - order.createdAt.getTime()) / 60_000);
}

function agreementRequest(order: FundOrder, payerUserId: string): FundingOrder & { payerUserId: string } {
  return {
    outOrderNo: order.outOrderNo,
    outRequestNo: order.outRequestNo,
    title: order.title,
    amountFen: order.amountFen,
    expireAfterMinutes: orderMinutes(order),
    payerUserId,
  };
}

/**
 * Records what an agreement pay (or a lookup of one) answered, for an order in `from`: ok → PAID, a refusal →
 * FAILED, unknown → UNKNOWN (looked up later, never re-created with new keys).
 */
async function recordPayAnswer(
  order: FundOrder,
  from: FundOrderStatus,
  result: AlipayResult<FundOperation>,
): Promise<FundOrder> {
  await db.$transaction(async (tx) => {
    switch (result.kind) {
      case "ok": {
        const amountFen = result.data.amountFen ?? order.amountFen;
        if (amountFen !== order.amountFen) {
          // Alipay reports another amount for our key: not something to add to a budget; a person looks.
          await moveOrder(tx, ALIPAY, order, from, "UNKNOWN", "fund_order.unknown", {
            failureCode: "amountMismatch",
            failureMessage: `Alipay reported ${amountFen} fen`,
          });
          return;
        }
        await markOrderPaid(tx, order, {
          authNo: result.data.authNo,
          operationId: result.data.operationId,
          paidAt: result.data.at ?? result.meta.at,
          amountFen,
        });
        return;
      }
      case "rejected":
        await moveOrder(tx, ALIPAY, order, from, "FAILED", "fund_order.failed", {
          failureCode: result.subCode || result.code,
          failureMessage: result.subMsg.slice(0, 500) || null,
        });
        return;
      case "unknown":
        if (from === "UNKNOWN") {
          await tx.fundOrder.updateMany({
            where: { id: order.id, status: "UNKNOWN" },
            data: { unknownLookups: { increment: 1 }, failureCode: result.reason },
          });
          return;
        }
        await moveOrder(tx, ALIPAY, order, from, "UNKNOWN", "fund_order.unknown", {
          failureCode: result.reason,
          failureMessage: result.detail.slice(0, 500) || null,
        });
    }
  });
  return db.fundOrder.findUniqueOrThrow({ where: { id: order.id } });
}

/**
 * Records a new order of a campaign that can be funded, with both its keys, before any call to Alipay (audited
 * in the same transaction).
 */
async function createOrder(
  actor: Actor,
  input: { campaignId: string; amountFen: number; title: string },
  now: Date,
  how: {
    method: "AGREEMENT" | "PAGE";
    status: "CREATING" | "AWAITING_PAYMENT";
    expiresAt?: Date;
    payTimeoutAt?: Date;
    auditExtra?: Record<string, unknown>;
  },
): Promise<FundOrder> {
  return db.$transaction(async (tx) => {
    await fundableCampaign(tx, input.campaignId);
    const created = await tx.fundOrder.create({
      data: {
        campaignId: input.campaignId,
        method: how.method,
        status: how.status,
        outOrderNo: newKey("FO", now),
        outRequestNo: newKey("FP", now),
        title: input.title.trim(),
        amountFen: input.amountFen,
        expiresAt: how.expiresAt ?? null,
        payTimeoutAt: how.payTimeoutAt ?? null,
        attemptedAt: now,
        createdAt: now,
        requestedById: actor.type === "USER" ? actorId(actor) : null,
        requestedByLabel: actorLabel(actor),
      },
    });
    await recordAudit(tx, actor, {
      action: "fund_order.create",
      entityType: "FundOrder",
      entityId: created.id,
      after: { ...orderSnapshot(created), ...how.auditExtra },
    });
    return created;
  });
}

/**
 * Funds a campaign from the merchant's own Alipay account (agreement pay, no password): the order is stored with
 * its keys before the call, the call is made outside any transaction, and its answer is recorded. Left over
 * money is auto-refunded by Alipay `expiresInMinutes` after payment (orderExpiredTime).
 */
export async function fundByAgreement(
  alipay: AlipayClient,
  actor: Actor,
  input: { campaignId: string; amountFen: number; title: string; expiresInMinutes: number },
): Promise<FundOrder> {
  assertCan(actor, "campaign:fund");
  assertCampaignInScope(actor, input.campaignId);
  validateOrderInput(input);
  if (
    !Number.isSafeInteger(input.expiresInMinutes) ||
    input.expiresInMinutes < EXPIRES_MIN_MINUTES ||
    input.expiresInMinutes > EXPIRES_MAX_MINUTES
  )
    throw fieldError("VALIDATION", "expiresInMinutes", "fundCoupon.errors.expiresInOutOfRange", {
      min: EXPIRES_MIN_MINUTES,
      max: EXPIRES_MAX_MINUTES,
    });
  const payer = merchantPid();
  const now = new Date();
  const order = await createOrder(actor, input, now, {
    method: "AGREEMENT",
    status: "CREATING",
    // Conservative: Alipay counts orderExpiredTime from its payment, which is no earlier than this.
    expiresAt: new Date(now.getTime() + input.expiresInMinutes * 60_000),
    auditExtra: { expiresInMinutes: input.expiresInMinutes },
  });
  crashPoint("fund_order.pay.before-alipay");
  const result = await agreementPay(alipay, agreementRequest(order, payer));
  crashPoint("fund_order.pay.after-alipay");
  return recordPayAnswer(order, "CREATING", result);
}

/**
 * Starts a payment at Alipay's PC cashier: the order waits in AWAITING_PAYMENT (until payTimeoutAt) and `form` is
 * the signed HTML form the browser auto-submits. The outcome comes back by the return URL, the notification or
 * the sweep's query.
 */
export async function startPagePay(
  alipay: AlipayClient,
  actor: Actor,
  input: { campaignId: string; amountFen: number; title: string },
  returnUrl: string,
): Promise<{ order: FundOrder; form: string }> {
  assertCan(actor, "campaign:fund");
  assertCampaignInScope(actor, input.campaignId);
  validateOrderInput(input);
  const now = new Date();
  const order = await createOrder(actor, input, now, {
    method: "PAGE",
    status: "AWAITING_PAYMENT",
    payTimeoutAt: new Date(now.getTime() + PAGE_PAY_TIMEOUT_MINUTES * 60_000),
  });
  const form = pagePayForm(
    alipay,
    {
      outOrderNo: order.outOrderNo,
      outRequestNo: order.outRequestNo,
      title: order.title,
      amountFen: order.amountFen,
      payTimeout: `${PAGE_PAY_TIMEOUT_MINUTES}m`,
    },
    returnUrl,
  );
  return { order, form };
}

/** Records that Alipay's notification or return disagreed with our order, for a person to look at. */
async function refuseReport(order: FundOrder, reason: string, fields: Record<string, string>): Promise<void> {
  await recordAudit(db, ALIPAY, {
    action: "fund_order.notification_refused",
    entityType: "FundOrder",
    entityId: order.id,
    after: {
      reason,
      amount: fields.amount ?? null,
      authNo: fields.auth_no ?? null,
      status: fields.status ?? null,
    },
  });
}

/**
 * Applies a verified report that an order was paid (the cashier's return or a trade_status_sync notification):
 * the amount must be the order's; then the order is marked PAID (idempotently).
 */
export async function applyPaidReport(
  order: FundOrder,
  fields: Record<string, string>,
): Promise<{ order: FundOrder; result: NotificationResult }> {
  const entity = { entityType: "FundOrder", entityId: order.id };
  if (yuanToFen(fields.amount ?? "") !== order.amountFen) {
    await refuseReport(order, "notifications.reason.amountMismatch", fields);
    return {
      order,
      result: { outcome: "REFUSED", reason: "notifications.reason.amountMismatch", ...entity },
    };
  }
  if (fields.status !== "SUCCESS" || !fields.auth_no || !fields.operation_id)
    return { order, result: { outcome: "IGNORED", reason: "notifications.reason.notPaid", ...entity } };
  const authNo = fields.auth_no;
  const operationId = fields.operation_id;
  await db.$transaction((tx) =>
    markOrderPaid(tx, order, { authNo, operationId, paidAt: new Date(), amountFen: order.amountFen }),
  );
  return {
    order: await db.fundOrder.findUniqueOrThrow({ where: { id: order.id } }),
    result: { outcome: "APPLIED", ...entity },
  };
}

/**
 * The browser came back from the cashier (return_url with Alipay's signed parameters). Verified like a
 * notification (signature, app_id), then checked against the order (amount) and applied idempotently: the
 * notification may have been first.
 */
export async function confirmPagePayReturn(
  alipay: AlipayClient,
  params: Record<string, string>,
): Promise<{ order: FundOrder | null; result: NotificationResult }> {
  const check = verifyNotification(alipay, params);
  if (check.kind === "invalid")
    return {
      order: null,
      result: {
        outcome: "REFUSED",
        reason:
          check.reason === "other-app"
            ? "notifications.reason.wrongAppId"
            : "notifications.reason.badSignature",
      },
    };
  const order = params.out_order_no
    ? await db.fundOrder.findUnique({ where: { outOrderNo: params.out_order_no } })
    : null;
  if (!order)
    return { order: null, result: { outcome: "IGNORED", reason: "notifications.reason.unknownOrder" } };
  return applyPaidReport(order, check.fields);
}

/** Resends the identical agreement pay (same keys, same parameters): Alipay never saw it, or de-duplicates it. */
async function resendAgreement(alipay: AlipayClient, order: FundOrder): Promise<FundOrder> {
  const payer = env.ALIPAY_MERCHANT_PID;
  if (!payer) return order; // cannot resend without it; the order stays UNKNOWN for a person
  await db.fundOrder.updateMany({
    where: { id: order.id, status: "UNKNOWN" },
    data: { attemptedAt: new Date() },
  });
  const result = await agreementPay(alipay, agreementRequest(order, payer));
  return recordPayAnswer(order, "UNKNOWN", result);
}

/** Looks an UNKNOWN order up by our keys and follows what Alipay says. */
async function resolveUnknownOrder(alipay: AlipayClient, order: FundOrder): Promise<void> {
  const result = await queryOperation(alipay, {
    outOrderNo: order.outOrderNo,
    outRequestNo: order.outRequestNo,
  });
  if (result.kind === "ok") {
    await recordPayAnswer(order, "UNKNOWN", result);
    return;
  }
  if (result.kind === "rejected" && result.subCode === "CLOSED") {
    await db.$transaction((tx) =>
      moveOrder(tx, SWEEPER, order, "UNKNOWN", "CLOSED", "fund_order.closed", { failureCode: "CLOSED" }),
    );
    return;
  }
  if (result.kind === "rejected" && result.subCode === "ORDER_NOT_EXIST") {
    if (order.method === "AGREEMENT") await resendAgreement(alipay, order);
    else
      await db.$transaction((tx) =>
        moveOrder(tx, SWEEPER, order, "UNKNOWN", "CLOSED", "fund_order.closed", {
          failureCode: "ORDER_NOT_EXIST",
        }),
      );
    return;
  }
  // Still not known (the query itself failed or Alipay is processing): asked again on the next sweep.
  await db.fundOrder.updateMany({
    where: { id: order.id, status: "UNKNOWN" },
    data: { unknownLookups: { increment: 1 } },
  });
}

/** A cashier order past its pay deadline: paid after all, or closed. */
async function resolveExpiredPagePay(alipay: AlipayClient, order: FundOrder): Promise<void> {
  const result = await queryOperation(alipay, {
    outOrderNo: order.outOrderNo,
    outRequestNo: order.outRequestNo,
  });
  if (result.kind === "ok") {
    await recordPayAnswer(order, "AWAITING_PAYMENT", result);
    return;
  }
  // Never submitted to the cashier (ORDER_NOT_EXIST) or closed by Alipay: not paid. INIT (Alipay's own deadline
  // not reached yet) and failed lookups wait for the next sweep.
  if (result.kind === "rejected" && (result.subCode === "CLOSED" || result.subCode === "ORDER_NOT_EXIST")) {
    await db.$transaction((tx) =>
      moveOrder(tx, SWEEPER, order, "AWAITING_PAYMENT", "CLOSED", "fund_order.closed", {
        failureCode: result.subCode,
      }),
    );
  }
}

/**
 * The in-flight sweep for orders: CREATING rows older than a call can take (a dead process) become UNKNOWN;
 * UNKNOWN orders are looked up (SUCCESS → PAID, CLOSED → CLOSED, never seen → the identical request again);
 * cashier orders past their deadline are looked up and closed when unpaid.
 */
export async function resolveFundOrders(
  alipay: AlipayClient,
  options: { now?: Date; staleAfterMs?: number } = {},
): Promise<{ interrupted: number; looked: number }> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - (options.staleAfterMs ?? STALE_AFTER_MS));
  const stale = await db.fundOrder.findMany({
    where: { status: "CREATING", attemptedAt: { lte: cutoff } },
    orderBy: { attemptedAt: "asc" },
    take: SWEEP_BATCH,
  });
  for (const order of stale) {
    await db.$transaction((tx) =>
      moveOrder(tx, SWEEPER, order, "CREATING", "UNKNOWN", "fund_order.unknown", {
        failureCode: "interrupted",
        unknownLookups: 0,
      }),
    );
  }
  const unknown = await db.fundOrder.findMany({
    where: { status: "UNKNOWN" },
    orderBy: { updatedAt: "asc" },
    take: SWEEP_BATCH,
  });
  for (const order of unknown) await resolveUnknownOrder(alipay, order);
  const overdue = await db.fundOrder.findMany({
    where: { status: "AWAITING_PAYMENT", payTimeoutAt: { lte: now } },
    orderBy: { payTimeoutAt: "asc" },
    take: SWEEP_BATCH,
  });
  for (const order of overdue) await resolveExpiredPagePay(alipay, order);
  return { interrupted: stale.length, looked: unknown.length + overdue.length };
}

/** For callers that must not act on an order of another campaign (a refund naming one). */
export async function orderOfCampaign(campaignId: string, fundOrderId: string): Promise<FundOrder> {
  const order = await db.fundOrder.findUnique({ where: { id: fundOrderId } });
  if (!order || order.campaignId !== campaignId) throw domainError("NOT_FOUND");
  return order;
}
