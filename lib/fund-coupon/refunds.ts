import "server-only";
import type { CampaignRefund, RefundKind, RefundStatus } from "@/generated/prisma/client";
import type { AlipayClient } from "@/lib/alipay/client";
import { queryOperation, refund, type FundOperation } from "@/lib/alipay/fund-coupon";
import type { AlipayResult } from "@/lib/alipay/result";
import { actorLabel, assertCampaignInScope, assertCan, systemActor, type Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/service";
import { availableFen } from "@/lib/budget/figures";
import { reserveForRefund, settleRefundReservation } from "@/lib/budget/service";
import { db, QUEUED_TRANSACTION, type Tx } from "@/lib/db";
import { domainError, fieldError } from "@/lib/errors";
import { formatFen } from "@/lib/format/money";
import { log } from "@/lib/log";
import { RESERVING_STATUSES } from "@/lib/payouts/transitions";
import { isUsable, lockFundOrders, newKey, orderBalances, STALE_AFTER_MS } from "./balances";

/**
 * Returning a FUND_COUPON campaign's unused money (alipay.fund.coupon.order.refund, REFERENCE.md §3.4). Each
 * refund is recorded PENDING with a FRESH out_request_no and its amount held from the budget (reservedFen),
 * committed, then sent outside any transaction; SUCCEEDED moves the hold to refundedFen (and the order's
 * refundedFen), FAILED releases it, an unknown answer is UNKNOWN and looked up by the in-flight sweep with the
 * same out_request_no (resending the identical refund only when Alipay never saw it).
 */

const ALIPAY: Actor = systemActor("alipay");
const SWEEPER: Actor = systemActor("in-flight-sweeper");
const CLOSING: Actor = systemActor("campaign-close");
const SWEEP_BATCH = 50;

type RefundPlan = { refund: CampaignRefund; authNo: string };

function refundSnapshot(r: CampaignRefund) {
  return {
    campaignId: r.campaignId,
    fundOrderId: r.fundOrderId,
    amountFen: r.amountFen,
    kind: r.kind,
    status: r.status,
    outRequestNo: r.outRequestNo,
    operationId: r.operationId,
    failureCode: r.failureCode,
  };
}

/**
 * In one transaction under the campaign's order lock: what each order can return (its remainder, never more than
 * the campaign has available), the refund rows (PENDING, fresh keys) and their holds. No Alipay call inside.
 */
async function planRefunds(
  tx: Tx,
  actor: Actor,
  campaignId: string,
  input: { fundOrderId: string | null; amountFen: number | null; kind: RefundKind },
): Promise<RefundPlan[]> {
  await lockFundOrders(tx, campaignId);
  const campaign = await tx.campaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw domainError("NOT_FOUND");
  if (campaign.rail !== "FUND_COUPON")
    throw fieldError("CONFLICT", "campaignId", "fundCoupon.errors.notFundCoupon");
  const now = new Date();
  let orders = await orderBalances(tx, { campaignId });
  if (input.fundOrderId !== null) {
    const named = orders.find((o) => o.id === input.fundOrderId);
    if (!named) throw fieldError("NOT_FOUND", "fundOrderId", "fundCoupon.errors.orderNotFound");
    if (!isUsable(named, now))
      throw fieldError("CONFLICT", "fundOrderId", "fundCoupon.errors.orderNotRefundable");
    orders = [named];
  }
  let available = availableFen(campaign);
  const portions: Array<{ orderId: string; authNo: string; amountFen: number }> = [];
  for (const order of orders) {
    if (!isUsable(order, now) || !order.authNo) continue;
    const refundable = Math.min(order.remainingFen, available);
    if (refundable <= 0) continue;
    portions.push({ orderId: order.id, authNo: order.authNo, amountFen: refundable });
    available -= refundable;
  }
  const refundableFen = portions.reduce((sum, p) => sum + p.amountFen, 0);
  if (input.amountFen !== null) {
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0 || input.amountFen > refundableFen)
      throw fieldError("VALIDATION", "amountFen", "fundCoupon.errors.refundAboveRefundable", {
        maximum: formatFen(Math.max(0, refundableFen)),
      });
    // A partial return takes from the orders in the same order (earliest expiry first) until it is covered.
    let left = input.amountFen;
    for (const portion of portions) {
      portion.amountFen = Math.min(portion.amountFen, left);
      left -= portion.amountFen;
    }
  }
  const plans: RefundPlan[] = [];
  for (const portion of portions) {
    if (portion.amountFen <= 0) continue;
    const created = await tx.campaignRefund.create({
      data: {
        campaignId,
        amountFen: portion.amountFen,
        kind: input.kind,
        status: "PENDING",
        fundOrderId: portion.orderId,
        // Fresh for every refund: Alipay treats a reused out_request_no as a repeat of the earlier refund.
        outRequestNo: newKey("RF", now),
        requestedByLabel: actorLabel(actor),
        attemptedAt: now,
      },
    });
    if (!(await reserveForRefund(tx, campaignId, portion.amountFen))) throw domainError("CONFLICT");
    await recordAudit(tx, actor, {
      action: "campaign.refund_requested",
      entityType: "CampaignRefund",
      entityId: created.id,
      after: refundSnapshot(created),
    });
    plans.push({ refund: created, authNo: portion.authNo });
  }
  return plans;
}

/**
 * Moves a refund from PENDING/UNKNOWN to its outcome with the budget, in one transaction. Idempotent: guarded on
 * the refund's status, so a notification and the call's own answer settle it once.
 */
export async function settleRefund(
  tx: Tx,
  actor: Actor,
  r: CampaignRefund,
  outcome:
    | { kind: "succeeded"; operationId: string | null }
    | { kind: "failed"; code: string }
    | { kind: "unknown"; code: string },
): Promise<boolean> {
  const from: RefundStatus[] = outcome.kind === "unknown" ? ["PENDING"] : ["PENDING", "UNKNOWN"];
  const to: RefundStatus =
    outcome.kind === "succeeded" ? "SUCCEEDED" : outcome.kind === "failed" ? "FAILED" : "UNKNOWN";
  const changed = await tx.campaignRefund.updateMany({
    where: { id: r.id, status: { in: from } },
    data: {
      status: to,
      ...(outcome.kind === "succeeded"
        ? { operationId: outcome.operationId, failureCode: null }
        : { failureCode: outcome.code.slice(0, 200) }),
    },
  });
  if (changed.count !== 1) return false;
  if (outcome.kind === "succeeded") {
    await settleRefundReservation(tx, r.campaignId, r.amountFen, "succeeded");
    if (r.fundOrderId) {
      const order = await tx.$executeRaw`
        UPDATE "FundOrder" SET "refundedFen" = "refundedFen" + ${r.amountFen}, "updatedAt" = now()
         WHERE id = ${r.fundOrderId} AND "refundedFen" + ${r.amountFen} <= "amountFen"`;
      if (order !== 1)
        throw new Error(`fund order ${r.fundOrderId}: refund of ${r.amountFen} fen exceeds it`);
    }
  } else if (outcome.kind === "failed") {
    await settleRefundReservation(tx, r.campaignId, r.amountFen, "failed");
  }
  await recordAudit(tx, actor, {
    action:
      outcome.kind === "succeeded"
        ? "campaign.refund_succeeded"
        : outcome.kind === "failed"
          ? "campaign.refund_failed"
          : "campaign.refund_unknown",
    entityType: "CampaignRefund",
    entityId: r.id,
    before: { status: r.status },
    after: { ...refundSnapshot(r), status: to, ...("code" in outcome ? { failureCode: outcome.code } : {}) },
  });
  return true;
}

/** Records a refund call's (or lookup's) answer: ok → SUCCEEDED, a refusal → FAILED, unknown → UNKNOWN. */
async function recordRefundAnswer(r: CampaignRefund, result: AlipayResult<FundOperation>): Promise<void> {
  await db.$transaction(async (tx) => {
    switch (result.kind) {
      case "ok":
        await settleRefund(tx, ALIPAY, r, { kind: "succeeded", operationId: result.data.operationId });
        return;
      case "rejected":
        // Rate limited: not processed, so the same request is sent again by the sweep (it looks it up first).
        if (result.retryable) {
          await settleRefund(tx, ALIPAY, r, { kind: "unknown", code: result.subCode || result.code });
          return;
        }
        await settleRefund(tx, ALIPAY, r, { kind: "failed", code: result.subCode || result.code });
        return;
      case "unknown":
        await settleRefund(tx, ALIPAY, r, { kind: "unknown", code: result.reason });
    }
  }, QUEUED_TRANSACTION);
}

/** The refund call: the same parameters every time for one refund row (resends must be identical). */
function sendRefund(alipay: AlipayClient, r: CampaignRefund, authNo: string) {
  return refund(alipay, { authNo, outRequestNo: r.outRequestNo ?? "", amountFen: r.amountFen });
}

async function requestRefunds(
  alipay: AlipayClient,
  actor: Actor,
  campaignId: string,
  input: { fundOrderId: string | null; amountFen: number | null; kind: RefundKind },
): Promise<CampaignRefund[]> {
  const plans = await db.$transaction((tx) => planRefunds(tx, actor, campaignId, input), QUEUED_TRANSACTION);
  for (const plan of plans) {
    const result = await sendRefund(alipay, plan.refund, plan.authNo);
    await recordRefundAnswer(plan.refund, result);
  }
  return db.campaignRefund.findMany({
    where: { id: { in: plans.map((p) => p.refund.id) } },
    orderBy: { createdAt: "asc" },
  });
}

/**
 * A person returns unused money: from one order (`fundOrderId`) or from every paid order with something left;
 * `amountFen` for part of it (at most what can be returned), or everything returnable. What payouts in flight
 * hold, and what the budget has reserved, is never returned.
 */
export async function returnUnusedFunds(
  alipay: AlipayClient,
  actor: Actor,
  input: { campaignId: string; fundOrderId?: string | null; amountFen?: number | null },
): Promise<CampaignRefund[]> {
  assertCan(actor, "campaign:fund");
  assertCampaignInScope(actor, input.campaignId);
  const refunds = await requestRefunds(alipay, actor, input.campaignId, {
    fundOrderId: input.fundOrderId ?? null,
    amountFen: input.amountFen ?? null,
    kind: "RETURNED",
  });
  if (refunds.length === 0) throw domainError("CONFLICT", "fundCoupon.errors.nothingToRefund");
  return refunds;
}

/**
 * Returns everything a closed fund-coupon campaign can return (called after the close, and by the sweep once
 * payouts in flight have settled and released their money). Nothing to return is not an error.
 */
export async function refundOnClose(alipay: AlipayClient, campaignId: string): Promise<CampaignRefund[]> {
  return requestRefunds(alipay, CLOSING, campaignId, { fundOrderId: null, amountFen: null, kind: "CLOSING" });
}

/**
 * The in-flight sweep for refunds: PENDING rows older than a call can take (a dead process) become UNKNOWN;
 * UNKNOWN refunds are looked up by auth_no + out_request_no: SUCCESS → SUCCEEDED, CLOSED → FAILED, never seen →
 * the identical refund again.
 */
export async function resolveRefunds(
  alipay: AlipayClient,
  options: { now?: Date; staleAfterMs?: number } = {},
): Promise<{ interrupted: number; looked: number }> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - (options.staleAfterMs ?? STALE_AFTER_MS));
  const stale = await db.campaignRefund.findMany({
    where: { status: "PENDING", attemptedAt: { lte: cutoff } },
    orderBy: { attemptedAt: "asc" },
    take: SWEEP_BATCH,
  });
  for (const r of stale)
    await db.$transaction((tx) => settleRefund(tx, SWEEPER, r, { kind: "unknown", code: "interrupted" }));
  const unknown = await db.campaignRefund.findMany({
    where: { status: "UNKNOWN", fundOrderId: { not: null }, outRequestNo: { not: null } },
    include: { fundOrder: { select: { authNo: true } } },
    orderBy: { updatedAt: "asc" },
    take: SWEEP_BATCH,
  });
  for (const { fundOrder, ...r } of unknown) {
    const authNo = fundOrder?.authNo;
    if (!authNo || !r.outRequestNo) continue;
    const result = await queryOperation(alipay, { authNo, outRequestNo: r.outRequestNo });
    if (result.kind === "ok") {
      await recordRefundAnswer(r, result);
    } else if (result.kind === "rejected" && result.subCode === "CLOSED") {
      await db.$transaction((tx) => settleRefund(tx, SWEEPER, r, { kind: "failed", code: "CLOSED" }));
    } else if (result.kind === "rejected" && result.subCode === "ORDER_NOT_EXIST") {
      await db.campaignRefund.updateMany({
        where: { id: r.id, status: "UNKNOWN" },
        data: { attemptedAt: new Date() },
      });
      await recordRefundAnswer(r, await sendRefund(alipay, r, authNo));
    } else {
      // Not known yet (the query failed or Alipay is processing): asked again on the next sweep.
      await db.campaignRefund.updateMany({
        where: { id: r.id, status: "UNKNOWN" },
        data: { updatedAt: new Date() },
      });
    }
  }
  return { interrupted: stale.length, looked: unknown.length };
}

/**
 * Closed fund-coupon campaigns that still have money and no payouts in flight: money released after the close
 * (a payout that failed, a refund that failed) goes back too.
 */
export async function refundClosedCampaigns(alipay: AlipayClient): Promise<{ campaigns: number }> {
  const reserving = RESERVING_STATUSES;
  const campaigns = await db.campaign.findMany({
    where: {
      rail: "FUND_COUPON",
      status: "CLOSED",
      fundOrders: { some: { status: "PAID" } },
      payouts: { none: { status: { in: [...reserving] } } },
      refunds: { none: { status: { in: ["PENDING", "UNKNOWN"] } } },
    },
    select: { id: true, budgetFen: true, reservedFen: true, spentFen: true, refundedFen: true },
    take: SWEEP_BATCH,
  });
  let refunded = 0;
  for (const campaign of campaigns) {
    if (availableFen(campaign) <= 0) continue;
    try {
      const made = await refundOnClose(alipay, campaign.id);
      if (made.length > 0) refunded += 1;
    } catch (error) {
      log.error("fund_coupon.refund_on_close", { campaignId: campaign.id, error: (error as Error).message });
    }
  }
  return { campaigns: refunded };
}
