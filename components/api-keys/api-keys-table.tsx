"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable, type DataTableFeatures } from "@/components/data-table/data-table";
import { DataTableColumnHeader } from "@/components/data-table/data-table-column-header";
import { DataTableSelectFilter, DataTableToolbar } from "@/components/data-table/data-table-toolbar";
import { Badge } from "@/components/ui/badge";
import type { ApiKeyRow } from "@/lib/api-keys/types";
import { useI18n } from "@/lib/i18n/client";
import { API_KEY_PERMISSIONS, type ApiKeyPermission, type ApiKeysListQuery } from "@/lib/validation/api-keys";
import { ApiKeyRowActions } from "./api-key-row-actions";
import { CreateApiKeyDialog, type CampaignOption } from "./create-api-key-dialog";

const column = createColumnHelper<DataTableFeatures, ApiKeyRow>();

function isApiKeyPermission(value: string): value is ApiKeyPermission {
  return (API_KEY_PERMISSIONS as readonly string[]).includes(value);
}

function useApiKeyColumns() {
  const { t, locale, formatDateTime } = useI18n();
  return useMemo(
    () =>
      column.columns([
        column.accessor("name", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("apiKeys.name")} />,
          cell: ({ row }) => <span className="font-medium text-gray-900">{row.original.name}</span>,
        }),
        column.accessor("prefix", {
          header: t("apiKeys.prefix"),
          enableSorting: false,
          cell: ({ row }) => (
            <span className="font-mono text-xs whitespace-nowrap text-gray-700" translate="no">
              {row.original.prefix}…
            </span>
          ),
        }),
        column.accessor("permissions", {
          header: t("apiKeys.permissions"),
          enableSorting: false,
          cell: ({ row }) => (
            <div className="flex max-w-64 flex-wrap gap-1">
              {row.original.permissions.map((permission) => (
                <Badge key={permission} tone="blue">
                  {/* A name this version does not know (kept from an older one) is shown as stored. */}
                  {isApiKeyPermission(permission) ? t(`apiKeys.permission.${permission}`) : permission}
                </Badge>
              ))}
            </div>
          ),
        }),
        column.accessor("campaigns", {
          header: t("apiKeys.campaigns"),
          enableSorting: false,
          cell: ({ row }) => {
            const campaigns = row.original.campaigns;
            if (campaigns === null) return <span className="text-gray-600">{t("apiKeys.allCampaigns")}</span>;
            return (
              <ul className="max-w-56 space-y-0.5">
                {campaigns.map((c) => (
                  <li key={c.id} className="truncate">
                    {c.name === null ? (
                      <span className="text-gray-400">{t("apiKeys.campaignMissing")}</span>
                    ) : (
                      <Link href={`/campaigns/${c.id}`} className="text-brand-700 hover:underline">
                        {c.name}
                      </Link>
                    )}
                  </li>
                ))}
              </ul>
            );
          },
        }),
        column.accessor("ratePerMinute", {
          header: t("apiKeys.rate"),
          enableSorting: false,
          cell: ({ row }) => (
            <span className="tabular">{row.original.ratePerMinute.toLocaleString(locale)}</span>
          ),
        }),
        column.accessor("createdAt", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("apiKeys.createdAt")} />,
          cell: ({ row }) => (
            <div>
              <span className="tabular whitespace-nowrap">{formatDateTime(row.original.createdAt)}</span>
              <span className="block text-xs text-gray-500">
                {t("apiKeys.createdBy", { label: row.original.createdByLabel })}
              </span>
            </div>
          ),
        }),
        column.accessor("lastUsedAt", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("apiKeys.lastUsed")} />,
          cell: ({ row }) =>
            row.original.lastUsedAt ? (
              <div>
                <span className="tabular whitespace-nowrap">{formatDateTime(row.original.lastUsedAt)}</span>
                {row.original.lastUsedIp ? (
                  <span className="block text-xs text-gray-500">
                    {t("apiKeys.lastUsedFrom", { ip: row.original.lastUsedIp })}
                  </span>
                ) : null}
              </div>
            ) : (
              <span className="text-gray-400">{t("apiKeys.never")}</span>
            ),
        }),
        column.accessor("revokedAt", {
          header: t("apiKeys.status"),
          enableSorting: false,
          cell: ({ row }) =>
            row.original.revokedAt ? (
              <div>
                <Badge tone="red">{t("apiKeys.statusRevoked")}</Badge>
                <span className="mt-0.5 block text-xs whitespace-nowrap text-gray-500">
                  {t("apiKeys.revokedAtBy", {
                    time: formatDateTime(row.original.revokedAt),
                    label: row.original.revokedByLabel ?? "—",
                  })}
                </span>
              </div>
            ) : (
              <Badge tone="green">{t("apiKeys.statusActive")}</Badge>
            ),
        }),
        column.display({
          id: "actions",
          header: () => <span className="sr-only">{t("common.actions")}</span>,
          cell: ({ row }) => (row.original.revokedAt ? null : <ApiKeyRowActions apiKey={row.original} />),
        }),
      ]),
    [t, locale, formatDateTime],
  );
}

export function ApiKeysTable({
  rows,
  total,
  query,
  campaignOptions,
}: {
  rows: ApiKeyRow[];
  total: number;
  query: ApiKeysListQuery;
  campaignOptions: CampaignOption[];
}) {
  const { t } = useI18n();
  const columns = useApiKeyColumns();
  return (
    <DataTable
      label={t("apiKeys.title")}
      columns={columns}
      rows={rows}
      rowCount={total}
      query={query}
      getRowId={(row) => row.id}
      toolbar={
        <DataTableToolbar
          searchLabel={t("apiKeys.searchPlaceholder")}
          filterKeys={["status"]}
          actions={<CreateApiKeyDialog campaignOptions={campaignOptions} />}
        >
          <DataTableSelectFilter
            param="status"
            label={t("apiKeys.status")}
            options={[
              { value: "active", label: t("apiKeys.statusActive") },
              { value: "revoked", label: t("apiKeys.statusRevoked") },
            ]}
          />
        </DataTableToolbar>
      }
    />
  );
}
