import "server-only";
import type { Campaign } from "@/generated/prisma/client";
import { NOT_AWARDED, triggerCashCampaign, type TriggeredPacket } from "@/lib/alipay/campaign";
import type { AlipayClient } from "@/lib/alipay/client";
import type { AlipayResult } from "@/lib/alipay/result";
import { isFunded } from "@/lib/budget/figures";
import { CAMPAIGN_LIMITS } from "@/lib/campaigns/limits";
import { fieldError } from "@/lib/errors";
import { largestRandomPacketFen } from "@/lib/campaigns/packet-preview";
import { attemptOf } from "./attempt";
import type { PayoutRail, RailPayout, SendOutcome } from "./types";

/**
 * Refusals that a later retry with the same key can turn into a payment: Alipay's campaign budget or packet
 * count was short at that moment. Everything else (the user does not exist, is over the campaign's limit, the
 * campaign ended) needs a new request. Branches on sub_code only, never on the message.
 */
const RETRYABLE_SUB_CODES = new Set(["CASH_CAMP_BUDGET_INSUFFICIENT", "CASH_CAMP_COUNT_INSUFFICIENT"]);

/** Alipay's answer to a trigger in the rail's terms. */
export function triggerOutcome(result: AlipayResult<TriggeredPacket>): SendOutcome {
  const attempt = attemptOf(result);
  switch (result.kind) {
    case "ok":
      return {
        kind: "paid",
        awardedFen: result.data.amountFen,
        repeat: result.data.repeat,
        reference: result.data.bizNo,
        attempt,
      };
    case "rejected":
      if (result.retryable) return { kind: "deferred", attempt };
      return {
        kind: "refused",
        code: result.subCode === NOT_AWARDED ? NOT_AWARDED : result.subCode || result.code,
        message: result.subMsg || result.subCode || result.code,
        retryable: RETRYABLE_SUB_CODES.has(result.subCode),
        attempt,
      };
    case "unknown":
      return { kind: "unknown", reason: result.reason, attempt };
  }
}

async function trigger(client: AlipayClient, campaign: Campaign, payout: RailPayout): Promise<SendOutcome> {
  if (!campaign.crowdNo) {
    // Cannot happen for a campaign that can pay; refused without a call so the payout does not wait forever.
    return {
      kind: "refused",
      code: "NO_CROWD_NO",
      message: "campaign has no Alipay crowd_no",
      retryable: false,
      attempt: {
        startedAt: new Date(),
        latencyMs: 0,
        code: null,
        subCode: "NO_CROWD_NO",
        subMsg: null,
        traceId: null,
        reason: null,
        rawReply: null,
      },
    };
  }
  const result = await triggerCashCampaign(client, {
    crowdNo: campaign.crowdNo,
    outBizNo: payout.outBizNo,
    recipient: { identityType: payout.identityType, identity: payout.identity },
  });
  return triggerOutcome(result);
}

/** 营销活动送红包: Alipay holds the campaign's budget; each payout is a `trigger` with our out_biz_no. */
export const cashCampaignRail: PayoutRail = {
  rail: "CASH_CAMPAIGN",
  funding: "alipayCampaign",
  canPay: (campaign) => isFunded(campaign) && campaign.status === "ACTIVE",
  // Alipay meters triggers itself; the app-wide limit is enough.
  callsPerSecond: null,
  keyScope: "campaign",
  amountFromRequest: false,
  reservation(campaign, requestedFen) {
    // Alipay sizes every packet from the campaign (fixed, or random within it): a request cannot name one.
    if (requestedFen !== null) throw fieldError("VALIDATION", "amountFen", "payouts.errors.amountNotOnRail");
    if (campaign.prizeType === "FIXED") {
      const each = Math.floor(campaign.budgetFen / campaign.packetCount);
      return { maxFen: each, minFen: each };
    }
    return {
      maxFen: largestRandomPacketFen(campaign.budgetFen, campaign.packetCount),
      minFen: CAMPAIGN_LIMITS.packetMinFen,
    };
  },
  send: trigger,
  // There is no query by out_biz_no for triggers (REFERENCE §2.3): the same trigger again answers with the
  // earlier result (repeat_trigger_flag) or pays now if the first never arrived.
  resolve: trigger,
};
