import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { CampaignForm } from "@/components/campaigns/campaign-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { formStateFromCampaign } from "@/lib/campaigns/form-defaults";
import { getCampaignDetail } from "@/lib/campaigns/queries";
import { orNotFound } from "@/lib/http/not-found";
import { getI18n } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("campaigns.form.editTitle") };
}

/** Correct a campaign Alipay refused and submit it again (only FAILED campaigns can be edited). */
export default async function EditCampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePagePermission("campaign:create", `/campaigns/${id}/edit`);
  const { t, timeZone } = await getI18n();
  const campaign = await orNotFound(getCampaignDetail(actor, id));
  if (campaign.status !== "FAILED") redirect(`/campaigns/${id}`);
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title={t("campaigns.form.editTitle")} description={campaign.name} />
      <CampaignForm initial={formStateFromCampaign(campaign, timeZone)} campaignId={campaign.id} />
    </div>
  );
}
