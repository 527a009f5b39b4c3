import "server-only";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { spendableFen } from "@/lib/budget/figures";
import { db } from "@/lib/db";
import { domainError } from "@/lib/errors";
import { autoApprovedToday } from "./policy";
import { railFor } from "./rails";
import type { SendContext } from "./send-preview";

export type { SendContext };

/**
 * What the "Send red packet" form needs to say before anything is sent: whether the campaign can pay now, the
 * packet (from the rail's reservation, exactly what a request would hold), the budget left and the approval
 * policy with today's auto-approved total. The request path decides again on its own; this only informs.
 */
export async function getSendContext(
  actor: Actor,
  campaignId: string,
  now: Date = new Date(),
): Promise<SendContext> {
  assertCan(actor, "payout:request");
  const campaign = await db.campaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw domainError("NOT_FOUND", "payouts.errors.campaignNotFound");
  const rail = railFor(campaign.rail);
  const { maxFen, minFen } = rail.reservation(campaign, null);
  const fixed = maxFen === minFen;
  return {
    campaignId: campaign.id,
    canSend: rail.canPay(campaign) && campaign.status === "ACTIVE",
    prizeType: campaign.prizeType,
    packetFen: fixed ? maxFen : null,
    maxPacketFen: maxFen,
    minPacketFen: minFen,
    spendableFen: spendableFen(campaign),
    autoApproveMaxFen: campaign.autoApproveMaxFen,
    autoApproveDailyCapFen: campaign.autoApproveDailyCapFen,
    autoApprovedTodayFen: await autoApprovedToday(db, campaign.id, now),
    defaultScene: campaign.defaultScene,
    amountFromRequest: rail.amountFromRequest,
    payeeNameForLoginId: rail.payeeProblem?.("LOGIN_ID", null) != null,
  };
}
