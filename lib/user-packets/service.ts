import "server-only";
import { Prisma, type Campaign, type FundOrder } from "@/generated/prisma/client";
import type { AlipayClient } from "@/lib/alipay/client";
import { appPayOrderString, verifyAppPayResult } from "@/lib/alipay/fund-coupon";
import {
  actorId,
  actorLabel,
  assertCampaignInScope,
  assertCan,
  systemActor,
  type Actor,
} from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/service";
import { assertMayCreateCampaigns, closeCampaign } from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import { DomainError, fieldError, type FieldErrors } from "@/lib/errors";
import { newKey } from "@/lib/fund-coupon/balances";
import { markOrderPaid, titleWidth } from "@/lib/fund-coupon/orders";
import { formatFen } from "@/lib/format/money";
import { log } from "@/lib/log";
import { requestPayout, type RequestedPayout } from "@/lib/payouts/request";
import { RESERVING_STATUSES } from "@/lib/payouts/transitions";
import { OUT_BIZ_NO_PATTERN } from "@/lib/validation/payouts";
import { OUT_ORDER_NO_PATTERN, PAYER_USER_ID_PATTERN, USER_PACKET_LIMITS } from "./limits";

/**
 * User-funded red packets (the C2C flow, docs/rails.md): a person pays a packet inside the company's app with
 * `alipay.fund.coupon.order.app.pay`, other users claim pieces of it, and what nobody claimed goes back to them
 * when it ends. It is built entirely on the FUND_COUPON rail: the packet is a FUND_COUPON campaign
 * (Campaign.payerUserId set) funded by one APP order, every claim is a payout through the one request path, and
 * the expiry is the campaign's close, whose refundOnClose returns the remainder. Nothing here sends money itself.
 */

/**
 * How long the payer has to pay (pay_timeout). At most the packet's life, so an unpaid order has closed at Alipay
 * by the time the expiry sweep closes its packet; and at most 30 minutes, the cashier's own deadline.
 */
const PAY_TIMEOUT_MAX_MINUTES = 30;

/** The packet expiry is decided by the console: credited to its sweep, which holds every permission by construction. */
const EXPIRY: Actor = systemActor("user-packet-expiry");
const SWEEP_BATCH = 50;

export type AppPayOrderInput = {
  outOrderNo: string;
  payerUserId: string;
  amountFen: number;
  packetCount: number;
  title: string;
  greeting: string;
  expiresInMinutes: number;
};

export type AppPayOrder = {
  campaign: Campaign;
  order: FundOrder;
  /** Signed `sdkExec` string for the Alipay client SDK; built anew on every call (its timestamp is fresh). */
  orderString: string;
  replayed: boolean;
};

function between(field: string, value: number, min: number, max: number, money = false): void {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw fieldError("VALIDATION", field, "userPackets.errors.between", {
      min: money ? formatFen(min) : min,
      max: money ? formatFen(max) : max,
    });
}

/** The service's own checks (the API's schema states the same ones), in the API's field names. */
function validateInput(input: AppPayOrderInput): AppPayOrderInput {
  const L = USER_PACKET_LIMITS;
  if (!OUT_ORDER_NO_PATTERN.test(input.outOrderNo))
    throw fieldError("VALIDATION", "outOrderNo", "userPackets.errors.outOrderNo");
  if (!PAYER_USER_ID_PATTERN.test(input.payerUserId))
    throw fieldError("VALIDATION", "payerUserId", "userPackets.errors.payerUserId");
  between("amountFen", input.amountFen, L.amountMinFen, L.amountMaxFen, true);
  between("packetCount", input.packetCount, L.packetCountMin, L.packetCountMax);
  between("expiresInMinutes", input.expiresInMinutes, L.expiresMinMinutes, L.expiresMaxMinutes);
  const title = input.title.trim();
  // order_title: ≤ 100 ASCII characters or 50 Chinese ones (REFERENCE §3.2).
  if (title.length === 0 || title.length > L.titleMax || titleWidth(title) > 100)
    throw fieldError("VALIDATION", "title", "fundCoupon.errors.titleInvalid");
  const greeting = input.greeting.trim();
  if (greeting.length === 0) throw fieldError("VALIDATION", "greeting", "validation.required");
  if (greeting.length > L.greetingMax) throw fieldError("VALIDATION", "greeting", "validation.tooLong");
  return { ...input, title, greeting };
}

function minutesBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / 60_000);
}

/** The order's pay_timeout, recovered from what was stored, so every order string of one order says the same. */
function payTimeoutOf(order: FundOrder): string {
  const minutes = order.payTimeoutAt ? minutesBetween(order.createdAt, order.payTimeoutAt) : 0;
  return `${Math.max(1, minutes)}m`;
}

function orderStringOf(alipay: AlipayClient, order: FundOrder): string {
  return appPayOrderString(alipay, {
    outOrderNo: order.outOrderNo,
    outRequestNo: order.outRequestNo,
    title: order.title,
    amountFen: order.amountFen,
    payTimeout: payTimeoutOf(order),
  });
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/**
 * A create with an outOrderNo seen before: the same values are the same packet (its order again, with a fresh
 * order string); other values are a conflict naming each field that differs; a key that belongs to an order of
 * something else (a company campaign's funding) is a conflict on outOrderNo.
 */
async function replayOf(input: AppPayOrderInput): Promise<{ campaign: Campaign; order: FundOrder } | null> {
  const order = await db.fundOrder.findUnique({
    where: { outOrderNo: input.outOrderNo },
    include: { campaign: true },
  });
  if (!order) return null;
  const { campaign, ...plain } = order;
  if (order.method !== "APP" || campaign.payerUserId === null)
    throw fieldError("CONFLICT", "outOrderNo", "userPackets.errors.outOrderNoTaken");
  const stored = {
    payerUserId: campaign.payerUserId,
    amountFen: order.amountFen,
    packetCount: campaign.packetCount,
    title: campaign.name,
    greeting: campaign.prizeMessage,
    expiresInMinutes: minutesBetween(order.createdAt, campaign.endsAt),
  };
  const differing = (Object.keys(stored) as (keyof typeof stored)[]).filter((f) => stored[f] !== input[f]);
  if (differing.length > 0) {
    const ref = {
      key: "userPackets.errors.replayConflict" as const,
      params: { fields: differing.join(", ") },
    };
    const fieldErrors: FieldErrors = Object.fromEntries(differing.map((f) => [f, [ref]]));
    throw new DomainError("CONFLICT", ref, fieldErrors);
  }
  return { campaign, order: plain };
}

/**
 * Starts a user-funded packet: in ONE transaction its FUND_COUPON campaign (waiting for funding, budget 0,
 * one claim per claimer, everything within the packet approved automatically, ending when the packet expires) and
 * its APP order (AWAITING_PAYMENT under the app's outOrderNo); then the signed order string the app hands to the
 * Alipay SDK. No Alipay call is made: app.pay is submitted by the payer's phone. Replaying the same outOrderNo
 * with the same values returns the same packet and order.
 */
export async function createAppPayOrder(
  alipay: AlipayClient,
  actor: Actor,
  raw: AppPayOrderInput,
): Promise<AppPayOrder> {
  // Creating the packet creates a campaign: the same rule as any campaign (no background job, no scoped key).
  assertMayCreateCampaigns(actor);
  const input = validateInput(raw);
  const earlier = await replayOf(input);
  if (earlier) return { ...earlier, orderString: orderStringOf(alipay, earlier.order), replayed: true };
  const now = new Date();
  const payTimeoutMinutes = Math.min(PAY_TIMEOUT_MAX_MINUTES, input.expiresInMinutes);
  let created: { campaign: Campaign; order: FundOrder };
  try {
    created = await db.$transaction(async (tx) => {
      const campaign = await tx.campaign.create({
        data: {
          name: input.title,
          prizeMessage: input.greeting,
          // The fund-coupon rail pays exactly what each claim names: a fixed amount per packet.
          prizeType: "FIXED",
          rail: "FUND_COUPON",
          status: "AWAITING_FUNDING",
          budgetFen: 0,
          // Informational on this rail (its CHECK allows it); claimUserPacket enforces it.
          packetCount: input.packetCount,
          startsAt: null,
          endsAt: new Date(now.getTime() + input.expiresInMinutes * 60_000),
          // One claim per claimer, ever.
          frequencyLifetime: 1,
          defaultScene: "OTHER",
          // The payer decided to give it away: no approver stands between a claim and the packet's own money.
          autoApproveMaxFen: input.amountFen,
          autoApproveDailyCapFen: input.amountFen,
          maxPacketFen: input.amountFen,
          payerUserId: input.payerUserId,
          createdById: actor.type === "USER" ? actor.userId : null,
          createdByLabel: actorLabel(actor),
          createdAt: now,
        },
      });
      const order = await tx.fundOrder.create({
        data: {
          campaignId: campaign.id,
          method: "APP",
          status: "AWAITING_PAYMENT",
          outOrderNo: input.outOrderNo,
          outRequestNo: newKey("FP", now),
          title: input.title,
          amountFen: input.amountFen,
          payTimeoutAt: new Date(now.getTime() + payTimeoutMinutes * 60_000),
          attemptedAt: now,
          createdAt: now,
          requestedById: actorId(actor),
          requestedByLabel: actorLabel(actor),
        },
      });
      await recordAudit(tx, actor, {
        action: "campaign.user_packet_create",
        entityType: "Campaign",
        entityId: campaign.id,
        after: {
          rail: campaign.rail,
          status: campaign.status,
          payerUserId: campaign.payerUserId,
          amountFen: order.amountFen,
          packetCount: campaign.packetCount,
          endsAt: campaign.endsAt,
        },
      });
      await recordAudit(tx, actor, {
        action: "fund_order.create",
        entityType: "FundOrder",
        entityId: order.id,
        after: {
          campaignId: campaign.id,
          method: order.method,
          status: order.status,
          outOrderNo: order.outOrderNo,
          amountFen: order.amountFen,
        },
      });
      return { campaign, order };
    });
  } catch (error) {
    // A concurrent create with the same outOrderNo committed first: answered as the replay it is.
    if (!isUniqueViolation(error)) throw error;
    const concurrent = await replayOf(input);
    if (!concurrent) throw error;
    return { ...concurrent, orderString: orderStringOf(alipay, concurrent.order), replayed: true };
  }
  return { ...created, orderString: orderStringOf(alipay, created.order), replayed: false };
}

/** A user-funded packet and its APP order; anything else (a company campaign, an unknown id) is not found. */
export async function loadUserPacket(campaignId: string): Promise<{ campaign: Campaign; order: FundOrder }> {
  const campaign = await db.campaign.findUnique({
    where: { id: campaignId },
    include: { fundOrders: { where: { method: "APP" }, orderBy: { createdAt: "asc" }, take: 1 } },
  });
  const { fundOrders, ...plain } = campaign ?? { fundOrders: [] };
  const order = fundOrders[0];
  if (!campaign || campaign.payerUserId === null || !order)
    throw fieldError("NOT_FOUND", "packetId", "userPackets.errors.notFound");
  return { campaign: plain as Campaign, order };
}

/**
 * The app reports what the Alipay SDK returned after the payer paid. It is believed only as far as Alipay signed
 * it: the signature is verified with Alipay's public key, then the signed out_order_no, amount and (when present)
 * app id must be this packet's order. A paid order is marked PAID by markOrderPaid, the very function the
 * notification uses, so whichever arrives first funds the packet and the other changes nothing.
 */
export async function confirmAppPayResult(
  alipay: AlipayClient,
  actor: Actor,
  campaignId: string,
  result: string,
): Promise<{ campaign: Campaign; order: FundOrder; changed: boolean }> {
  assertCan(actor, "campaign:fund");
  assertCampaignInScope(actor, campaignId);
  const { order } = await loadUserPacket(campaignId);
  const check = verifyAppPayResult(alipay, result);
  const problem =
    check.kind === "invalid"
      ? check.reason
      : check.operation.outOrderNo !== order.outOrderNo
        ? "other-order"
        : check.operation.amountFen !== order.amountFen
          ? "amount-mismatch"
          : check.appId !== null && check.appId !== alipay.appId
            ? "other-app"
            : null;
  if (problem !== null || check.kind !== "verified") {
    // Kept for a person to look at (a forged or mismatched result is worth knowing about); nothing else changes.
    await recordAudit(db, actor, {
      action: "fund_order.app_pay_refused",
      entityType: "FundOrder",
      entityId: order.id,
      after: { reason: problem, campaignId },
    });
    throw fieldError("VALIDATION", "result", "userPackets.errors.resultInvalid");
  }
  const { operation } = check;
  const changed = await db.$transaction((tx) =>
    markOrderPaid(tx, order, {
      authNo: operation.authNo,
      operationId: operation.operationId,
      paidAt: operation.at ?? new Date(),
      amountFen: order.amountFen,
    }),
  );
  return { ...(await loadUserPacket(campaignId)), changed };
}

export type ClaimInput = { outBizNo: string; recipientUserId: string; amountFen: number };

/**
 * A claim is a payout of the packet's campaign through the one request path (source API, scene OTHER): the
 * campaign's rules decide (one claim per user, the packet's money as the budget, automatic approval) and the
 * fund-coupon rail disburses it from the packet's order. The packet count is read first: a claim beyond it is
 * refused unless it replays one already made (its outBizNo), which requestPayout then answers.
 */
export async function claimUserPacket(
  actor: Actor,
  campaignId: string,
  input: ClaimInput,
): Promise<RequestedPayout> {
  assertCan(actor, "payout:request");
  assertCampaignInScope(actor, campaignId);
  if (!OUT_BIZ_NO_PATTERN.test(input.outBizNo))
    throw fieldError("VALIDATION", "outBizNo", "payouts.validation.outBizNo");
  const { campaign } = await loadUserPacket(campaignId);
  const [claims, replay] = await Promise.all([
    db.payout.count({
      where: { campaignId, status: { in: [...RESERVING_STATUSES, "SUCCEEDED"] } },
    }),
    db.payout.findUnique({
      where: { campaignId_outBizNo: { campaignId, outBizNo: input.outBizNo } },
      select: { id: true },
    }),
  ]);
  // Not atomic with the request (a read, then requestPayout's own transaction): two claims racing for the last
  // slot may both pass. The money cannot be over-claimed whatever happens: the budget is the guard for that.
  if (!replay && claims >= campaign.packetCount)
    throw fieldError("CONFLICT", "packetId", "userPackets.errors.allClaimed", {
      count: campaign.packetCount,
    });
  return requestPayout(actor, {
    campaignId,
    outBizNo: input.outBizNo,
    identityType: "USER_ID",
    identity: input.recipientUserId,
    amountFen: input.amountFen,
    scene: "OTHER",
    memo: null,
    source: "API",
  });
}

/**
 * The expiry sweep: user-funded packets past their end are closed like any campaign (closeCampaign, credited to
 * the sweep), so refundOnClose returns the unclaimed remainder to the payer; packets whose order was never paid
 * are closed with nothing to return. A remainder still held by claims in flight, or a refund that failed, is
 * returned later by refundClosedCampaigns in the same in-flight sweep.
 */
export async function expireUserPackets(
  alipay: AlipayClient,
  options: { now?: Date } = {},
): Promise<{ closed: number }> {
  const now = options.now ?? new Date();
  const due = await db.campaign.findMany({
    where: {
      payerUserId: { not: null },
      status: { in: ["AWAITING_FUNDING", "ACTIVE", "PAUSED"] },
      endsAt: { lte: now },
    },
    orderBy: { endsAt: "asc" },
    select: { id: true },
    take: SWEEP_BATCH,
  });
  let closed = 0;
  for (const { id } of due) {
    try {
      await closeCampaign(alipay, EXPIRY, id);
      closed += 1;
    } catch (error) {
      // Closed meanwhile by someone else (a CONFLICT), or a database fault: the next sweep looks again.
      log.error("user_packets.expire", { campaignId: id, error: (error as Error).message });
    }
  }
  return { closed };
}
