import "server-only";
import type { AlipayClient } from "@/lib/alipay/client";
import { systemActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { syncCampaign } from "./service";
import { SYNCED_STATUSES } from "./status";

/** How many campaigns one sync run looks at (least recently synced first). */
const BATCH = 100;

/**
 * The background campaign sync: every campaign that is awaiting funding, running, closed-but-not-settled or
 * of unknown creation is brought up to date with Alipay, one at a time (the client's rate limiter spaces the
 * calls). A campaign cancelled before it was paid is left alone once its pay link has expired.
 */
export async function syncDueCampaigns(alipay: AlipayClient): Promise<{ synced: number; failed: number }> {
  const campaigns = await db.campaign.findMany({
    where: {
      rail: "CASH_CAMPAIGN",
      status: { in: [...SYNCED_STATUSES] },
      // A campaign cancelled before it was paid is followed while its pay link still works (someone may pay
      // it anyway: then Alipay holds money the console must show); after that Alipay can never settle it.
      NOT: {
        status: "CLOSED",
        OR: [{ alipayStatus: null }, { alipayStatus: "CREATED" }],
        AND: [{ OR: [{ payUrlExpiresAt: null }, { payUrlExpiresAt: { lt: new Date() } }] }],
      },
    },
    orderBy: [{ lastSyncedAt: { sort: "asc", nulls: "first" } }],
    take: BATCH,
    select: { id: true },
  });
  const actor = systemActor("campaign-sync");
  let failed = 0;
  for (const { id } of campaigns) {
    try {
      await syncCampaign(alipay, actor, id);
    } catch (error) {
      failed += 1;
      console.error(`[campaign-sync] ${id}:`, error instanceof Error ? error.message : error);
    }
  }
  return { synced: campaigns.length - failed, failed };
}
