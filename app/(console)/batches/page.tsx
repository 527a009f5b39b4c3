import type { Metadata } from "next";
import { BatchesTable } from "@/components/batches/batches-table";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { roleHasPermission } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { listBatches } from "@/lib/batches/queries";
import { getI18n } from "@/lib/i18n/server";
import { listCampaignOptions } from "@/lib/payouts/queries";
import { batchListQuerySchema } from "@/lib/validation/batches";
import { firstValues } from "@/lib/validation/list-query";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("batches.title") };
}

export default async function BatchesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const actor = await requirePagePermission("batch:read", "/batches");
  const { t } = await getI18n();
  const query = batchListQuerySchema().parse(firstValues(await searchParams));
  const [{ rows, total, page }, campaigns] = await Promise.all([
    listBatches(actor, query),
    listCampaignOptions(actor, query.campaign),
  ]);
  const canUpload = roleHasPermission(actor.role, "batch:create");
  const upload = canUpload ? <ButtonLink href="/batches/new">{t("batches.list.upload")}</ButtonLink> : null;
  // No batches at all (nothing filtered out): an empty state that says how to make one, not an empty table.
  const empty = total === 0 && query.q === "" && !query.status && !query.campaign;
  return (
    <>
      <PageHeader title={t("batches.title")} description={t("batches.list.description")} actions={upload} />
      {empty ? (
        <EmptyState
          title={t("batches.empty")}
          description={t("batches.list.emptyDescription")}
          action={upload}
        />
      ) : (
        <BatchesTable rows={rows} total={total} query={{ ...query, page }} campaigns={campaigns} />
      )}
    </>
  );
}
