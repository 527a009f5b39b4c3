import "server-only";
import { Prisma, type Campaign, type IdentityType } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db";
import { beijingPeriodStart } from "@/lib/time/beijing";
import { COUNTED_STATUSES } from "./transitions";

/**
 * The advisory lock (transaction-scoped) over a campaign's frequency checks: single requests take it shared
 * (then their recipient's own lock), a batch submission takes it exclusive, so a batch's set-based check counts
 * every single request that committed before it and none can slip in while it runs. One lock per batch,
 * rather than one per recipient, which would exhaust the lock table at 50,000 rows.
 */
export function campaignFrequencyLockKey(campaignId: string): string {
  return `frequency:${campaignId}`;
}

/**
 * The mirror of the campaign's per-user limit (Alipay's send_freqency): refused here, before budget is held,
 * rather than by Alipay after approval. Counts the recipient's payouts that may still be or were paid, under a
 * transaction-scoped advisory lock per (campaign, recipient) so two concurrent requests for one person are
 * counted one after the other. Returns the limit broken, or null. The new payout is already inserted and counts.
 * The caller already holds the campaign's frequency lock, shared (requestPayout takes it first of all).
 */
export async function frequencyExceeded(
  tx: Tx,
  campaign: Pick<Campaign, "id" | "frequencyLifetime" | "frequencyPeriod" | "frequencyPeriodLimit">,
  recipient: { identityType: IdentityType; identity: string },
  now: Date,
): Promise<{ limit: number; period: "LIFETIME" | NonNullable<Campaign["frequencyPeriod"]> } | null> {
  const key = `${campaign.id}:${recipient.identityType}:${recipient.identity}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
  const counted = Prisma.join(COUNTED_STATUSES.map((s) => Prisma.sql`${s}::"PayoutStatus"`));
  const periodStart = campaign.frequencyPeriod ? beijingPeriodStart(now, campaign.frequencyPeriod) : now;
  const [row] = await tx.$queryRaw<{ lifetime: number; period: number }[]>`
    SELECT COUNT(*)::int AS lifetime, (COUNT(*) FILTER (WHERE "createdAt" >= ${periodStart}))::int AS period
      FROM "Payout"
     WHERE "campaignId" = ${campaign.id} AND "identityType" = ${recipient.identityType}::"IdentityType"
       AND identity = ${recipient.identity} AND status IN (${counted})`;
  if (!row) return null;
  if (row.lifetime > campaign.frequencyLifetime)
    return { limit: campaign.frequencyLifetime, period: "LIFETIME" };
  if (
    campaign.frequencyPeriod &&
    campaign.frequencyPeriodLimit !== null &&
    row.period > campaign.frequencyPeriodLimit
  )
    return { limit: campaign.frequencyPeriodLimit, period: campaign.frequencyPeriod };
  return null;
}

/**
 * The campaign's per-recipient daily amount (dailyAmountPerUserFen): what the recipient's payouts created this
 * Beijing day may still be or were paid (awarded where known, else held), plus `amountFen` for the payout being
 * requested (`payoutId`, inserted with a placeholder amount and so left out of the sum). Run after
 * frequencyExceeded, under the recipient's advisory lock it took, so concurrent requests are summed one after
 * the other. Returns the limit broken, or null.
 */
export async function dailyAmountExceeded(
  tx: Tx,
  campaign: Pick<Campaign, "id" | "dailyAmountPerUserFen">,
  recipient: { identityType: IdentityType; identity: string },
  payoutId: string,
  amountFen: number,
  now: Date,
): Promise<{ limitFen: number } | null> {
  const limitFen = campaign.dailyAmountPerUserFen;
  if (limitFen === null) return null;
  const counted = Prisma.join(COUNTED_STATUSES.map((s) => Prisma.sql`${s}::"PayoutStatus"`));
  const [row] = await tx.$queryRaw<{ fen: bigint | number }[]>`
    SELECT COALESCE(SUM(COALESCE("awardedFen", "amountFen")), 0)::bigint AS fen
      FROM "Payout"
     WHERE "campaignId" = ${campaign.id} AND "identityType" = ${recipient.identityType}::"IdentityType"
       AND identity = ${recipient.identity} AND status IN (${counted})
       AND "createdAt" >= ${beijingPeriodStart(now, "DAY")} AND id <> ${payoutId}`;
  return Number(row?.fen ?? 0) + amountFen > limitFen ? { limitFen } : null;
}
