import "server-only";
import type { Campaign } from "@/generated/prisma/client";
import type { AlipayClient } from "@/lib/alipay/client";
import { disburse, queryOperation, type FundOperation } from "@/lib/alipay/fund-coupon";
import type { AlipayResult } from "@/lib/alipay/result";
import { db, QUEUED_TRANSACTION } from "@/lib/db";
import { fieldError } from "@/lib/errors";
import { formatFen } from "@/lib/format/money";
import { isUsable, lockFundOrders, orderBalances } from "@/lib/fund-coupon/balances";
import { attemptOf } from "./attempt";
import type { AttemptRecord, PayoutRail, RailPayout, SendOutcome } from "./types";

/**
 * 收发现金红包 (REFERENCE.md §3): the campaign's budget is the money of its paid orders; each payout disburses
 * from one of them (`alipay.fund.coupon.order.disburse`) under its own out_order_no (the payout's outBizNo) and a
 * request number derived from the payout, identical on every retry. The order is chosen once, before the first
 * call, in a short transaction of its own, and kept for every resend of the same disbursement.
 */

/** Refused before any call: none of the campaign's paid orders has this payout's amount left. */
export const REMAIN_NOT_ENOUGH = "FUND_ORDER_REMAIN_NOT_ENOUGH";
/** Refused before any call: disburse pays user ids and login ids only. */
export const IDENTITY_NOT_SUPPORTED = "IDENTITY_TYPE_NOT_SUPPORTED";

/**
 * Refusals a later retry can turn into a payment: the order chosen had too little left or had expired, and the
 * retry picks another one. Branches on sub_code only.
 */
const RETRYABLE_SUB_CODES = new Set(["REMAIN_AMOUNT_NOT_ENOUGH", "ORDER_STATUS_INVALID"]);

/** The disbursement's out_request_no: derived from the payout, so every resend is the identical request. */
export function disburseRequestNo(payout: Pick<RailPayout, "id">): string {
  return `D${payout.id.replace(/[^A-Za-z0-9_]/g, "")}`.slice(0, 64);
}

function localAttempt(subCode: string): AttemptRecord {
  return {
    startedAt: new Date(),
    latencyMs: 0,
    code: null,
    subCode,
    subMsg: null,
    traceId: null,
    reason: null,
    rawReply: null,
  };
}

/** Alipay's answer to a disbursement (or to the query for one) in the rail's terms. */
export function disburseOutcome(
  result: AlipayResult<FundOperation>,
  payout: Pick<RailPayout, "amountFen">,
): SendOutcome {
  const attempt = attemptOf(result);
  switch (result.kind) {
    case "ok":
      return {
        kind: "paid",
        awardedFen: result.data.amountFen ?? payout.amountFen,
        repeat: false,
        reference: result.data.operationId,
        attempt,
      };
    case "rejected":
      if (result.retryable) return { kind: "deferred", attempt };
      // The same out_order_no was used with other parameters: a retry cannot fix it, a person must look.
      if (result.subCode === "PAYMENT_INFO_INCONSISTENCY")
        return {
          kind: "attention",
          code: result.subCode,
          message: result.subMsg || result.subCode,
          attempt,
        };
      return {
        kind: "refused",
        code: result.subCode || result.code,
        message: result.subMsg || result.subCode || result.code,
        retryable: RETRYABLE_SUB_CODES.has(result.subCode),
        attempt,
      };
    case "unknown":
      return { kind: "unknown", reason: result.reason, attempt };
  }
}

/**
 * What a query for an earlier disbursement says: SUCCESS → paid (a repeat of that payment), CLOSED → refused,
 * never seen (ORDER_NOT_EXIST) → "resend" the identical request; anything else (INIT, a failed query) leaves the
 * outcome unknown — a query that did not answer says nothing about the payment.
 */
export function queryOutcome(
  result: AlipayResult<FundOperation>,
  payout: Pick<RailPayout, "amountFen">,
): SendOutcome | "resend" {
  const attempt = attemptOf(result);
  if (result.kind === "ok") {
    return {
      kind: "paid",
      awardedFen: result.data.amountFen ?? payout.amountFen,
      repeat: true,
      reference: result.data.operationId,
      attempt,
    };
  }
  if (result.kind === "rejected") {
    if (result.subCode === "ORDER_NOT_EXIST") return "resend";
    if (result.subCode === "CLOSED")
      // A closed disbursement keeps its out_order_no: retrying under the same key cannot pay.
      return { kind: "refused", code: "CLOSED", message: "CLOSED", retryable: false, attempt };
    if (result.retryable) return { kind: "deferred", attempt };
    return { kind: "unknown", reason: `query refused: ${result.subCode || result.code}`, attempt };
  }
  return { kind: "unknown", reason: result.reason, attempt };
}

/**
 * Chooses the order this payout disburses from, in a short transaction under the campaign's order lock (no
 * Alipay call inside): the one it already has while that still fits, else the paid order not about to expire
 * with enough left, earliest expiry first. Only a payout that has never reached Alipay is (re)allocated: send()
 * runs for APPROVED payouts, whose earlier calls, if any, were definitely not processed.
 */
async function allocateOrder(campaign: Campaign, payout: RailPayout): Promise<{ authNo: string } | null> {
  return db.$transaction(async (tx) => {
    await lockFundOrders(tx, campaign.id);
    const [current] = await tx.$queryRaw<{ fundOrderId: string | null }[]>`
      SELECT "fundOrderId" FROM "Payout" WHERE id = ${payout.id}`;
    if (!current) return null;
    const now = new Date();
    const fits = (
      await orderBalances(tx, { campaignId: campaign.id }, { excludePayoutId: payout.id })
    ).filter((order) => isUsable(order, now) && order.remainingFen >= payout.amountFen);
    const chosen = fits.find((order) => order.id === current.fundOrderId) ?? fits[0];
    if (!chosen?.authNo) return null;
    if (chosen.id !== current.fundOrderId) {
      const changed = await tx.$executeRaw`
        UPDATE "Payout" SET "fundOrderId" = ${chosen.id}, "updatedAt" = now()
         WHERE id = ${payout.id} AND "fundOrderId" IS NOT DISTINCT FROM ${current.fundOrderId}`;
      if (changed !== 1) return null;
    }
    return { authNo: chosen.authNo };
  }, QUEUED_TRANSACTION);
}

function payeeOf(payout: RailPayout): { userId: string } | { logonId: string } | null {
  if (payout.identityType === "USER_ID") return { userId: payout.identity };
  if (payout.identityType === "LOGIN_ID") return { logonId: payout.identity };
  return null;
}

async function disburseFrom(
  client: AlipayClient,
  campaign: Campaign,
  payout: RailPayout,
  authNo: string,
): Promise<SendOutcome> {
  const payee = payeeOf(payout);
  if (!payee)
    return {
      kind: "refused",
      code: IDENTITY_NOT_SUPPORTED,
      message: `disburse cannot pay ${payout.identityType}`,
      retryable: false,
      attempt: localAttempt(IDENTITY_NOT_SUPPORTED),
    };
  const result = await disburse(client, {
    outOrderNo: payout.outBizNo,
    outRequestNo: disburseRequestNo(payout),
    deductAuthNo: authNo,
    title: campaign.name,
    amountFen: payout.amountFen,
    payee,
  });
  return disburseOutcome(result, payout);
}

async function send(client: AlipayClient, campaign: Campaign, payout: RailPayout): Promise<SendOutcome> {
  if (!payeeOf(payout))
    return {
      kind: "refused",
      code: IDENTITY_NOT_SUPPORTED,
      message: `disburse cannot pay ${payout.identityType}`,
      retryable: false,
      attempt: localAttempt(IDENTITY_NOT_SUPPORTED),
    };
  const order = await allocateOrder(campaign, payout);
  if (!order)
    return {
      kind: "refused",
      code: REMAIN_NOT_ENOUGH,
      message: "no paid order of the campaign has this amount left",
      retryable: true,
      attempt: localAttempt(REMAIN_NOT_ENOUGH),
    };
  return disburseFrom(client, campaign, payout, order.authNo);
}

async function resolve(client: AlipayClient, campaign: Campaign, payout: RailPayout): Promise<SendOutcome> {
  // No order yet: the allocation never committed, so no disbursement was ever sent.
  if (!payout.fundOrderId) return send(client, campaign, payout);
  const result = await queryOperation(client, {
    outOrderNo: payout.outBizNo,
    outRequestNo: disburseRequestNo(payout),
  });
  const outcome = queryOutcome(result, payout);
  if (outcome !== "resend") return outcome;
  // Alipay never saw it: the identical request again (same keys, same order), never a new allocation.
  const order = await db.fundOrder.findUnique({
    where: { id: payout.fundOrderId },
    select: { authNo: true },
  });
  if (!order?.authNo)
    return { kind: "unknown", reason: "fund order has no auth_no", attempt: attemptOf(result) };
  return disburseFrom(client, campaign, payout, order.authNo);
}

/** 收发现金红包: each payout a disbursement from one of the campaign's paid orders. */
export const fundCouponRail: PayoutRail = {
  rail: "FUND_COUPON",
  funding: "couponOrder",
  canPay(campaign) {
    const now = Date.now();
    return (
      campaign.status === "ACTIVE" &&
      campaign.budgetFen > 0 &&
      (campaign.startsAt === null || campaign.startsAt.getTime() <= now) &&
      now < campaign.endsAt.getTime()
    );
  },
  // Alipay: disburse "fewer than 100 calls per second" (REFERENCE §3.3, §6.1); kept a little below.
  callsPerSecond: 90,
  keyScope: "merchant",
  amountFromRequest: true,
  reservation(campaign, requestedFen) {
    const max = campaign.maxPacketFen;
    if (max === null) throw new Error(`fund-coupon campaign ${campaign.id} has no maxPacketFen`);
    const amount = requestedFen ?? max;
    if (amount > max)
      throw fieldError("VALIDATION", "amountFen", "payouts.errors.amountAboveMax", {
        maximum: formatFen(max),
      });
    return { maxFen: amount, minFen: amount };
  },
  // disburse takes payee_user_id or payee_logon_id only (REFERENCE §3.3): an open id is refused at request time.
  payeeProblem: (identityType) =>
    identityType === "OPEN_ID" ? "payouts.errors.identityTypeNotOnRail" : null,
  send,
  resolve,
};
