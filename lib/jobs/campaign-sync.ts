import "server-only";
import { alipay } from "@/lib/alipay";
import { syncDueCampaigns } from "@/lib/campaigns/sync";

/** `campaign.sync` (every CAMPAIGN_SYNC_MINUTES): follows open campaigns at Alipay. */
export async function runCampaignSync(): Promise<void> {
  const result = await syncDueCampaigns(alipay());
  if (result.failed > 0)
    console.warn(`[jobs] campaign sync: ${result.synced} synced, ${result.failed} failed`);
}
