import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { getI18n } from "@/lib/i18n/server";

export default async function DashboardPage() {
  const user = await requirePagePermission("dashboard:read", "/");
  const { t } = await getI18n();
  return (
    <>
      <PageHeader title={t("dashboard.title")} description={t("dashboard.welcome", { name: user.name })} />
      <EmptyState title={t("campaigns.empty")} description={t("dashboard.empty")} />
    </>
  );
}
