import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { getI18n } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("approvals.title") };
}

export default async function ApprovalsPage() {
  await requirePagePermission("approval:read", "/approvals");
  const { t } = await getI18n();
  return (
    <>
      <PageHeader title={t("approvals.title")} />
      <EmptyState title={t("approvals.empty")} description={t("common.comingSoon")} />
    </>
  );
}
