import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { getI18n } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("batches.title") };
}

export default async function BatchesPage() {
  await requirePagePermission("batch:read", "/batches");
  const { t } = await getI18n();
  return (
    <>
      <PageHeader title={t("batches.title")} />
      <EmptyState title={t("batches.empty")} description={t("common.comingSoon")} />
    </>
  );
}
