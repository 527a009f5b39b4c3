import type { Metadata } from "next";
import { NotificationsTable } from "@/components/notifications/notifications-table";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { getI18n } from "@/lib/i18n/server";
import { listAlipayNotifications } from "@/lib/notifications/queries";
import { firstValues } from "@/lib/validation/list-query";
import { notificationsListQuerySchema } from "@/lib/validation/notifications";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("notifications.title") };
}

export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const actor = await requirePagePermission("settings:manage", "/settings/notifications");
  const query = notificationsListQuerySchema.parse(firstValues(await searchParams));
  const { rows, total, page } = await listAlipayNotifications(actor, query);
  const { t } = await getI18n();
  return (
    <>
      <PageHeader title={t("notifications.title")} description={t("notifications.description")} />
      <NotificationsTable rows={rows} total={total} query={{ ...query, page }} />
    </>
  );
}
