import "server-only";
import type { Tx } from "@/lib/db";
import { beijingDay } from "@/lib/time/beijing";
import { decideApproval, type ApprovalPolicy } from "./policy-rules";

export { decideApproval, type ApprovalPolicy };

/**
 * Applies the campaign's approval policy to a payout holding `amountFen`, in the request's transaction. When
 * the rules allow auto-approval, the day's auto-approved total grows by `amountFen` in ONE guarded upsert that
 * refuses to pass the cap, so concurrent requests cannot auto-approve past it together.
 */
export async function autoApprove(
  tx: Tx,
  campaign: { id: string } & ApprovalPolicy,
  amountFen: number,
  now: Date,
): Promise<boolean> {
  if (decideApproval(campaign, amountFen, 0) !== "auto") return false;
  const rows = await tx.$queryRaw<unknown[]>`
    INSERT INTO "CampaignDailyUsage" ("campaignId", day, "autoApprovedFen")
    VALUES (${campaign.id}, ${beijingDay(now)}, ${amountFen})
    ON CONFLICT ("campaignId", day) DO UPDATE
       SET "autoApprovedFen" = "CampaignDailyUsage"."autoApprovedFen" + EXCLUDED."autoApprovedFen"
     WHERE "CampaignDailyUsage"."autoApprovedFen" + EXCLUDED."autoApprovedFen" <= ${campaign.autoApproveDailyCapFen}
    RETURNING 1`;
  return rows.length === 1;
}

/** The campaign's auto-approved total on the Beijing day of `now`. */
export async function autoApprovedToday(
  tx: Pick<Tx, "campaignDailyUsage">,
  campaignId: string,
  now: Date,
): Promise<number> {
  const row = await tx.campaignDailyUsage.findUnique({
    where: { campaignId_day: { campaignId, day: beijingDay(now) } },
  });
  return row?.autoApprovedFen ?? 0;
}
