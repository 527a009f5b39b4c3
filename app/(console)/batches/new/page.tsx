import type { Metadata } from "next";
import Link from "next/link";
import { BatchFormatGuide } from "@/components/batches/batch-format-guide";
import { BatchUploadForm, type BatchCampaignOption } from "@/components/batches/batch-upload-form";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { listCampaigns } from "@/lib/campaigns/queries";
import { getI18n } from "@/lib/i18n/server";
import { campaignListQuerySchema } from "@/lib/validation/campaigns";
import { firstValues } from "@/lib/validation/list-query";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("batches.new.title") };
}

export default async function NewBatchPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const actor = await requirePagePermission("batch:create", "/batches/new");
  const query = firstValues(await searchParams);
  const { t, timeZone } = await getI18n();
  // Only active campaigns can pay; the largest page the list allows is far more than are ever active at once.
  const active = await listCampaigns(
    actor,
    campaignListQuerySchema().parse({ status: "ACTIVE", pageSize: "100", sort: "name.asc" }),
    timeZone,
  );
  const campaigns: BatchCampaignOption[] = active.rows.map((c) => ({
    id: c.id,
    name: c.name,
    availableFen: c.availableFen,
  }));
  // `?campaign=` comes from a campaign's "Send a batch"; with a single active campaign there is nothing to choose.
  const initialCampaignId = campaigns.some((c) => c.id === query.campaign)
    ? (query.campaign ?? "")
    : campaigns.length === 1
      ? (campaigns[0]?.id ?? "")
      : "";

  return (
    <div className="mx-auto max-w-5xl">
      <Link href="/batches" className="mb-2 inline-block text-sm text-gray-500 hover:text-gray-700">
        ← {t("batches.title")}
      </Link>
      <PageHeader title={t("batches.new.title")} description={t("batches.new.description")} />
      <div className="space-y-6">
        {campaigns.length === 0 ? (
          <EmptyState
            title={t("batches.new.noCampaigns.title")}
            description={t("batches.new.noCampaigns.description")}
            action={<ButtonLink href="/campaigns">{t("batches.new.noCampaigns.action")}</ButtonLink>}
          />
        ) : (
          <BatchUploadForm campaigns={campaigns} initialCampaignId={initialCampaignId} />
        )}
        <BatchFormatGuide />
      </div>
    </div>
  );
}
