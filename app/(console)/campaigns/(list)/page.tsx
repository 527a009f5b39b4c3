import type { Metadata } from "next";
import { CampaignsTable } from "@/components/campaigns/campaigns-table";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { roleHasPermission } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { listCampaigns } from "@/lib/campaigns/queries";
import { getI18n } from "@/lib/i18n/server";
import { campaignListQuerySchema } from "@/lib/validation/campaigns";
import { firstValues } from "@/lib/validation/list-query";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("campaigns.title") };
}

export default async function CampaignsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const actor = await requirePagePermission("campaign:read", "/campaigns");
  const { t, timeZone } = await getI18n();
  const query = campaignListQuerySchema().parse(firstValues(await searchParams));
  const { rows, total, page } = await listCampaigns(actor, query, timeZone);
  const canCreate = roleHasPermission(actor.role, "campaign:create");
  return (
    <>
      <PageHeader
        title={t("campaigns.title")}
        actions={canCreate ? <ButtonLink href="/campaigns/new">{t("campaigns.new")}</ButtonLink> : null}
      />
      <CampaignsTable rows={rows} total={total} query={{ ...query, page }} />
    </>
  );
}
