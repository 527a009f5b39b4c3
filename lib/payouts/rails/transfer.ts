import "server-only";
import type { Campaign } from "@/generated/prisma/client";
import type { AlipayClient } from "@/lib/alipay/client";
import type { AlipayResult } from "@/lib/alipay/result";
import {
  queryTransfer,
  transferRedPacket,
  type TransferReceipt,
  type TransferStatus,
} from "@/lib/alipay/transfer";
import { env } from "@/lib/env";
import { fieldError } from "@/lib/errors";
import { formatFen } from "@/lib/format/money";
import { attemptOf } from "./attempt";
import type { PayoutRail, RailPayout, SendOutcome } from "./types";

/**
 * Same out_biz_no, different parameters (REFERENCE §6.2): something else was paid, or is being paid, under this
 * payout's key. No retry can fix it and guessing could pay twice, so a person must look (an alarm).
 */
export const PAYMENT_INFO_INCONSISTENCY = "PAYMENT_INFO_INCONSISTENCY";

/** The merchant balance was short: a person's retry (same key) can pay once it is topped up. */
const RETRYABLE_SUB_CODES = new Set(["PAYER_BALANCE_NOT_ENOUGH", "BALANCE_IS_NOT_ENOUGH"]);

/**
 * Alipay's throttling refusals, not processed: sending the same key again later is harmless (idempotent on
 * out_biz_no). 40005 already arrives as a retryable rejection from the client; RESOURCE_LIMIT_EXCEED is the
 * business-level one.
 */
const RATE_LIMIT_SUB_CODES = new Set(["RESOURCE_LIMIT_EXCEED"]);

/** Query answers meaning "Alipay has no such transfer": nothing was paid, so the original request is resent. */
const ORDER_NOT_EXIST = "ORDER_NOT_EXIST";

/** A refusal in the rail's terms. Branches on sub_code only, never on the message. */
function refusalOutcome(result: Extract<AlipayResult<unknown>, { kind: "rejected" }>): SendOutcome {
  const attempt = attemptOf(result);
  if (result.subCode === PAYMENT_INFO_INCONSISTENCY)
    return {
      kind: "attention",
      code: PAYMENT_INFO_INCONSISTENCY,
      message: result.subMsg || PAYMENT_INFO_INCONSISTENCY,
      attempt,
    };
  if (result.retryable || RATE_LIMIT_SUB_CODES.has(result.subCode)) return { kind: "deferred", attempt };
  const code = result.subCode || result.code;
  return {
    kind: "refused",
    code,
    message: result.subMsg || code,
    retryable: RETRYABLE_SUB_CODES.has(result.subCode),
    attempt,
  };
}

/** Alipay's answer to uni.transfer in the rail's terms. */
export function transferOutcome(result: AlipayResult<TransferReceipt>, payout: RailPayout): SendOutcome {
  switch (result.kind) {
    case "ok":
      // A red packet pays exactly what was asked: uni.transfer has no random amounts.
      return {
        kind: "paid",
        awardedFen: payout.amountFen,
        repeat: false,
        reference: result.data.orderId,
        attempt: attemptOf(result),
      };
    case "rejected":
      return refusalOutcome(result);
    case "unknown":
      return { kind: "unknown", reason: result.reason, attempt: attemptOf(result) };
  }
}

/**
 * Alipay's answer to common.query in the rail's terms, or "resend" when Alipay has no such transfer (the
 * original request was never processed, REFERENCE §6.3).
 */
export function queryOutcome(
  result: AlipayResult<TransferStatus>,
  payout: RailPayout,
): SendOutcome | "resend" {
  const attempt = attemptOf(result);
  switch (result.kind) {
    case "ok": {
      const found = result.data;
      switch (found.status) {
        case "SUCCESS":
          if (found.amountFen !== null && found.amountFen !== payout.amountFen)
            // Paid under this key, but not this payout's amount: the key was used for something else.
            return {
              kind: "attention",
              code: PAYMENT_INFO_INCONSISTENCY,
              message: `paid ${found.amountFen} fen under this out_biz_no, payout is ${payout.amountFen} fen`,
              attempt,
            };
          return {
            kind: "paid",
            awardedFen: payout.amountFen,
            repeat: true,
            reference: found.orderId,
            attempt,
          };
        case "FAIL":
        case "REFUND":
        case "CLOSED": {
          const code = found.failCode ?? found.status;
          return {
            kind: "refused",
            code,
            message: found.failReason ?? code,
            retryable: RETRYABLE_SUB_CODES.has(code),
            attempt,
          };
        }
        case "DEALING":
        case "WAIT_PAY":
          return { kind: "unknown", reason: `transfer is ${found.status}`, attempt };
      }
      return { kind: "unknown", reason: "unexpected status", attempt };
    }
    case "rejected":
      if (result.subCode === ORDER_NOT_EXIST) return "resend";
      if (result.retryable || RATE_LIMIT_SUB_CODES.has(result.subCode)) return { kind: "deferred", attempt };
      // A query that was refused says nothing about the transfer: still unknown, asked again later.
      return {
        kind: "unknown",
        reason: `query refused: ${result.subCode || result.code}`,
        attempt,
      };
    case "unknown":
      return { kind: "unknown", reason: result.reason, attempt };
  }
}

/**
 * The request, built only from what never changes for a payout (its key, amount and payee; the campaign's name
 * and message), so a resend is identical to the first send and Alipay answers it from its idempotency record.
 */
async function send(client: AlipayClient, campaign: Campaign, payout: RailPayout): Promise<SendOutcome> {
  const result = await transferRedPacket(client, {
    outBizNo: payout.outBizNo,
    amountFen: payout.amountFen,
    recipient: {
      identityType: payout.identityType,
      identity: payout.identity,
      ...(payout.payeeName ? { name: payout.payeeName } : {}),
    },
    orderTitle: campaign.name,
    remark: campaign.prizeMessage,
  });
  return transferOutcome(result, payout);
}

async function resolve(client: AlipayClient, campaign: Campaign, payout: RailPayout): Promise<SendOutcome> {
  const outcome = queryOutcome(await queryTransfer(client, payout.outBizNo), payout);
  return outcome === "resend" ? send(client, campaign, payout) : outcome;
}

/** 现金红包 by uni.transfer: paid from the merchant's Alipay balance, each payout one transfer with our key. */
export const transferRail: PayoutRail = {
  rail: "TRANSFER",
  funding: "merchantBalance",
  canPay(campaign) {
    const now = Date.now();
    return (
      campaign.status === "ACTIVE" &&
      (campaign.startsAt === null || campaign.startsAt.getTime() <= now) &&
      now < campaign.endsAt.getTime()
    );
  },
  // Alipay quotes 10 TPS for B2C red packets (REFERENCE §4.2), below the app-wide limit one may configure.
  callsPerSecond: env.ALIPAY_TRANSFER_MAX_QPS,
  keyScope: "merchant",
  amountFromRequest: true,
  reservation(campaign, requestedFen) {
    const max = campaign.maxPacketFen;
    if (max === null) throw new Error(`transfer campaign ${campaign.id} has no maxPacketFen`);
    const amount = requestedFen ?? max;
    if (amount > max)
      throw fieldError("VALIDATION", "amountFen", "payouts.errors.amountAboveMax", {
        maximum: formatFen(max),
      });
    return { maxFen: amount, minFen: amount };
  },
  // Alipay checks a login id's real name and refuses a login id without one (REFERENCE §4.2, payee_info.name).
  payeeProblem: (identityType, payeeName) =>
    identityType === "LOGIN_ID" && !payeeName ? "payouts.errors.payeeNameRequired" : null,
  send,
  resolve,
};
