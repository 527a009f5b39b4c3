import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { FactList } from "@/components/ui/fact-list";
import { WebhookDeliveriesTable } from "@/components/webhooks/webhook-deliveries-table";
import { WebhookEndpointActiveButton } from "@/components/webhooks/webhook-endpoint-active-button";
import { requirePagePermission } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format/date";
import { orNotFound } from "@/lib/http/not-found";
import { getI18n } from "@/lib/i18n/server";
import { firstValues } from "@/lib/validation/list-query";
import { webhookDeliveriesListQuerySchema } from "@/lib/validation/webhooks";
import { getWebhookEndpoint, listWebhookAttempts, listWebhookDeliveries } from "@/lib/webhooks/service";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("webhooks.title") };
}

export default async function WebhookEndpointPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const { id } = await params;
  const actor = await requirePagePermission("settings:manage", `/settings/webhooks/${id}`);
  const { t, timeZone } = await getI18n();
  const endpoint = await orNotFound(getWebhookEndpoint(actor, id));
  const query = webhookDeliveriesListQuerySchema.parse(firstValues(await searchParams));
  const [{ rows, total, page }, attempts] = await Promise.all([
    listWebhookDeliveries(actor, endpoint.id, query),
    query.delivery ? listWebhookAttempts(actor, endpoint.id, query.delivery) : Promise.resolve(null),
  ]);

  const facts: Array<[string, ReactNode]> = [
    [t("webhooks.descriptionLabel"), endpoint.description ?? "—"],
    [
      t("webhooks.events"),
      <span key="events" className="flex flex-wrap gap-1">
        {endpoint.events.map((type) => (
          <Badge key={type} tone="blue" translate="no">
            {type}
          </Badge>
        ))}
      </span>,
    ],
    [
      t("webhooks.createdAt"),
      `${formatDateTime(endpoint.createdAt, timeZone)} · ${t("webhooks.createdBy", { name: endpoint.createdByLabel })}`,
    ],
  ];

  return (
    <div className="space-y-6">
      <Link href="/settings/webhooks" className="text-sm text-gray-500 hover:text-gray-700">
        ← {t("webhooks.detail.back")}
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight break-all text-gray-900" translate="no">
              {endpoint.url}
            </h1>
            {endpoint.active ? (
              <Badge tone="green">{t("webhooks.statusActive")}</Badge>
            ) : (
              <Badge tone="red">{t("webhooks.statusDisabled")}</Badge>
            )}
          </div>
          <p className="max-w-3xl text-sm text-gray-500">{t("webhooks.detail.signing")}</p>
        </div>
        <WebhookEndpointActiveButton endpoint={endpoint} size="md" />
      </div>

      <Card>
        <CardHeader title={t("webhooks.detail.facts")} />
        <CardContent>
          <FactList facts={facts} columns />
        </CardContent>
      </Card>

      <section className="space-y-3">
        <h2 className="text-base font-semibold text-gray-900">{t("webhooks.deliveries.title")}</h2>
        <WebhookDeliveriesTable
          rows={rows}
          total={total}
          query={{ ...query, page }}
          attempts={attempts}
          canResend={endpoint.active}
        />
      </section>
    </div>
  );
}
