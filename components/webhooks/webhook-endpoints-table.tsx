"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable, type DataTableFeatures } from "@/components/data-table/data-table";
import { DataTableColumnHeader } from "@/components/data-table/data-table-column-header";
import { DataTableSelectFilter, DataTableToolbar } from "@/components/data-table/data-table-toolbar";
import { Badge } from "@/components/ui/badge";
import { useI18n } from "@/lib/i18n/client";
import type { WebhookEndpointsListQuery } from "@/lib/validation/webhooks";
import type { WebhookEndpointListRow } from "@/lib/webhooks/types";
import { AddWebhookEndpointDialog } from "./add-webhook-endpoint-dialog";
import { WebhookDeliveryStatusBadge } from "./webhook-delivery-status-badge";
import { WebhookEndpointActiveButton } from "./webhook-endpoint-active-button";

const column = createColumnHelper<DataTableFeatures, WebhookEndpointListRow>();

function HealthCell({ health }: { health: WebhookEndpointListRow["health"] }) {
  const { t, formatDateTime } = useI18n();
  if (!health.last) return <span className="text-gray-400">{t("webhooks.healthNone")}</span>;
  return (
    <div className="space-y-1 text-xs">
      <p className={health.failed > 0 ? "text-red-700" : "text-gray-700"}>
        {t("webhooks.healthCounts", {
          delivered: health.delivered,
          failed: health.failed,
          pending: health.pending,
        })}{" "}
        <span className="text-gray-500">{t("webhooks.healthWindow", { hours: health.windowHours })}</span>
      </p>
      <p className="flex items-center gap-1.5 text-gray-500">
        <WebhookDeliveryStatusBadge status={health.last.status} />
        <span className="tabular">
          {t("webhooks.healthLast", { time: formatDateTime(health.last.createdAt) })}
        </span>
      </p>
    </div>
  );
}

function useEndpointColumns() {
  const { t, formatDateTime } = useI18n();
  return useMemo(
    () =>
      column.columns([
        column.accessor("url", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("webhooks.url")} />,
          cell: ({ row }) => (
            <div className="max-w-sm min-w-0">
              <Link
                href={`/settings/webhooks/${encodeURIComponent(row.original.id)}`}
                className="font-medium break-all text-brand-700 hover:underline"
                aria-label={t("webhooks.open", { url: row.original.url })}
                translate="no"
              >
                {row.original.url}
              </Link>
              {row.original.description ? (
                <p className="text-xs text-gray-500">{row.original.description}</p>
              ) : null}
            </div>
          ),
        }),
        column.accessor("events", {
          header: t("webhooks.events"),
          enableSorting: false,
          cell: ({ row }) => (
            <div className="flex max-w-xs flex-wrap gap-1">
              {row.original.events.map((type) => (
                <Badge key={type} tone="blue" translate="no">
                  {type}
                </Badge>
              ))}
            </div>
          ),
        }),
        column.accessor("createdAt", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("webhooks.createdAt")} />,
          cell: ({ row }) => (
            <div className="text-xs">
              <p className="tabular">{formatDateTime(row.original.createdAt)}</p>
              <p className="text-gray-500">
                {t("webhooks.createdBy", { name: row.original.createdByLabel })}
              </p>
            </div>
          ),
        }),
        column.accessor("active", {
          header: t("webhooks.status"),
          enableSorting: false,
          cell: ({ row }) =>
            row.original.active ? (
              <Badge tone="green">{t("webhooks.statusActive")}</Badge>
            ) : (
              <Badge tone="red">{t("webhooks.statusDisabled")}</Badge>
            ),
        }),
        column.accessor("health", {
          header: t("webhooks.health"),
          enableSorting: false,
          cell: ({ row }) => <HealthCell health={row.original.health} />,
        }),
        column.display({
          id: "actions",
          header: () => <span className="sr-only">{t("common.actions")}</span>,
          cell: ({ row }) => (
            <div className="flex justify-end">
              <WebhookEndpointActiveButton endpoint={row.original} />
            </div>
          ),
        }),
      ]),
    [t, formatDateTime],
  );
}

export function WebhookEndpointsTable({
  rows,
  total,
  query,
}: {
  rows: WebhookEndpointListRow[];
  total: number;
  query: WebhookEndpointsListQuery;
}) {
  const { t } = useI18n();
  const columns = useEndpointColumns();
  return (
    <DataTable
      label={t("webhooks.tableLabel")}
      columns={columns}
      rows={rows}
      rowCount={total}
      query={query}
      getRowId={(row) => row.id}
      toolbar={
        <DataTableToolbar
          searchLabel={t("webhooks.searchPlaceholder")}
          filterKeys={["status"]}
          actions={<AddWebhookEndpointDialog />}
        >
          <DataTableSelectFilter
            param="status"
            label={t("webhooks.status")}
            options={[
              { value: "active", label: t("webhooks.statusActive") },
              { value: "disabled", label: t("webhooks.statusDisabled") },
            ]}
          />
        </DataTableToolbar>
      }
    />
  );
}
