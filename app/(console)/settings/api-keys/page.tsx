import type { Metadata } from "next";
import { ApiKeysTable } from "@/components/api-keys/api-keys-table";
import { PageHeader } from "@/components/ui/page-header";
import { listApiKeyPage } from "@/lib/api-keys/service";
import { requirePagePermission } from "@/lib/auth/session";
import { listCampaigns } from "@/lib/campaigns/queries";
import { getI18n } from "@/lib/i18n/server";
import { apiKeysListQuerySchema } from "@/lib/validation/api-keys";
import { campaignListQuerySchema } from "@/lib/validation/campaigns";
import { firstValues } from "@/lib/validation/list-query";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("apiKeys.title") };
}

/** The campaigns a new key can be limited to: the newest page of the campaign list (its largest page size). */
const CAMPAIGN_OPTIONS_QUERY = { pageSize: "100", sort: "createdAt.desc" };

export default async function ApiKeysPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const actor = await requirePagePermission("apikey:manage", "/settings/api-keys");
  const { t, timeZone } = await getI18n();
  const query = apiKeysListQuerySchema.parse(firstValues(await searchParams));
  const [{ rows, total, page }, campaigns] = await Promise.all([
    listApiKeyPage(actor, query),
    listCampaigns(actor, campaignListQuerySchema().parse(CAMPAIGN_OPTIONS_QUERY), timeZone),
  ]);
  return (
    <>
      <PageHeader title={t("apiKeys.title")} description={t("apiKeys.description")} />
      <ApiKeysTable
        rows={rows}
        total={total}
        query={{ ...query, page }}
        campaignOptions={campaigns.rows.map((c) => ({ id: c.id, name: c.name }))}
      />
    </>
  );
}
