import { redirect } from "next/navigation";
import { EmptyState } from "@/components/ui/empty-state";
import { alipay } from "@/lib/alipay";
import { roleHasPermission } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { findCampaignIdByCrowdNo } from "@/lib/campaigns/queries";
import { syncCampaign } from "@/lib/campaigns/service";
import { getI18n } from "@/lib/i18n/server";
import { firstValues } from "@/lib/validation/list-query";

/**
 * Where Alipay sends the payer after paying a campaign's budget (its merchant_link, with `crowdNo` appended):
 * reads the campaign's new status from Alipay at once and shows it.
 */
export default async function CampaignFundedPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const crowdNo = (firstValues(await searchParams).crowdNo ?? "").slice(0, 128);
  const actor = await requirePagePermission(
    "campaign:read",
    `/campaigns/funded?crowdNo=${encodeURIComponent(crowdNo)}`,
  );
  const campaignId = crowdNo ? await findCampaignIdByCrowdNo(actor, crowdNo) : null;
  if (campaignId) {
    // A viewer may land here too; only those who may fund campaigns trigger the sync (the job catches up otherwise).
    if (roleHasPermission(actor.role, "campaign:fund")) await syncCampaign(alipay(), actor, campaignId);
    redirect(`/campaigns/${campaignId}?funded=1`);
  }
  const { t } = await getI18n();
  return <EmptyState title={t("campaigns.funded.notFound", { crowdNo: crowdNo || "—" })} />;
}
