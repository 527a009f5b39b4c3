import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { WebhookEndpointsTable } from "@/components/webhooks/webhook-endpoints-table";
import { requirePagePermission } from "@/lib/auth/session";
import { getI18n } from "@/lib/i18n/server";
import { firstValues } from "@/lib/validation/list-query";
import { webhookEndpointsListQuerySchema } from "@/lib/validation/webhooks";
import { listWebhookEndpoints } from "@/lib/webhooks/service";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("webhooks.title") };
}

export default async function WebhooksPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const actor = await requirePagePermission("settings:manage", "/settings/webhooks");
  const query = webhookEndpointsListQuerySchema.parse(firstValues(await searchParams));
  const { rows, total, page } = await listWebhookEndpoints(actor, query);
  const { t } = await getI18n();
  return (
    <>
      <PageHeader title={t("webhooks.title")} description={t("webhooks.description")} />
      <WebhookEndpointsTable rows={rows} total={total} query={{ ...query, page }} />
    </>
  );
}
