import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { getI18n } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("payouts.title") };
}

export default async function PayoutsPage() {
  await requirePagePermission("payout:read", "/payouts");
  const { t } = await getI18n();
  return (
    <>
      <PageHeader title={t("payouts.title")} />
      <EmptyState title={t("payouts.empty")} description={t("common.comingSoon")} />
    </>
  );
}
