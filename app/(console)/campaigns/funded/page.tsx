import Link from "next/link";
import { redirect } from "next/navigation";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePagePermission } from "@/lib/auth/session";
import { findCampaignIdByCrowdNo } from "@/lib/campaigns/queries";
import { getI18n } from "@/lib/i18n/server";
import { firstValues } from "@/lib/validation/list-query";

/**
 * Where Alipay sends the payer after paying a campaign's budget (its merchant_link, with `crowdNo` appended).
 * A GET only reads: it forwards to the campaign page, which asks Alipay for the new status through an explicit
 * POST (link prefetching and reloads of this URL never write anything).
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
  if (campaignId) redirect(`/campaigns/${campaignId}?funded=1`);
  const { t } = await getI18n();
  return (
    <EmptyState
      title={t("campaigns.funded.notFound", { crowdNo: crowdNo || "—" })}
      description={t("campaigns.funded.notFoundHint")}
      action={
        <Link href="/campaigns" className="text-sm font-medium text-brand-700 hover:underline">
          ← {t("campaigns.detail.back")}
        </Link>
      }
    />
  );
}
