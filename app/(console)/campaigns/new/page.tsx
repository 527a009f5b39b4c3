import type { Metadata } from "next";
import { CampaignForm } from "@/components/campaigns/campaign-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { newCampaignDefaults } from "@/lib/campaigns/form-defaults";
import { getI18n } from "@/lib/i18n/server";
import { requestOrigin } from "@/lib/request-origin";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("campaigns.form.title") };
}

export default async function NewCampaignPage() {
  await requirePagePermission("campaign:create", "/campaigns/new");
  const { t, timeZone } = await getI18n();
  const initial = newCampaignDefaults({ timeZone, now: new Date(), origin: await requestOrigin() });
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title={t("campaigns.form.title")} />
      <CampaignForm initial={initial} />
    </div>
  );
}
