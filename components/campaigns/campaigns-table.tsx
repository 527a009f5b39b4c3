"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable, type DataTableFeatures } from "@/components/data-table/data-table";
import { DataTableColumnHeader } from "@/components/data-table/data-table-column-header";
import {
  DataTableDateRangeFilter,
  DataTableSelectFilter,
  DataTableToolbar,
} from "@/components/data-table/data-table-toolbar";
import { CopyableId } from "@/components/ui/copyable-id";
import { Progress } from "@/components/ui/progress";
import type { CampaignRow } from "@/lib/campaigns/types";
import { formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import { CAMPAIGN_STATUSES } from "@/lib/campaigns/status";
import { RAILS, SCENES, type CampaignListQuery } from "@/lib/validation/campaigns";
import { CampaignStatusBadge } from "./campaign-status-badge";

const column = createColumnHelper<DataTableFeatures, CampaignRow>();

function percentUsed(row: CampaignRow): number {
  return row.budgetFen > 0 ? Math.round(((row.spentFen + row.reservedFen) / row.budgetFen) * 100) : 0;
}

export function CampaignsTable({
  rows,
  total,
  query,
}: {
  rows: CampaignRow[];
  total: number;
  query: CampaignListQuery;
}) {
  const { t, formatDateTime } = useI18n();
  const columns = useMemo(
    () =>
      column.columns([
        column.accessor("name", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("campaigns.column.name")} />,
          cell: ({ row }) => (
            <div className="min-w-48">
              <Link
                href={`/campaigns/${row.original.id}`}
                className="font-medium text-gray-900 hover:text-brand-700 hover:underline"
              >
                {row.original.name}
              </Link>
              {row.original.crowdNo ? (
                <CopyableId
                  value={row.original.crowdNo}
                  label={t("campaigns.crowdNo.name")}
                  description={t("campaigns.crowdNo.help")}
                  className="flex max-w-60"
                />
              ) : null}
            </div>
          ),
        }),
        column.accessor("status", {
          header: ({ column: c }) => (
            <DataTableColumnHeader column={c} title={t("campaigns.column.status")} />
          ),
          cell: ({ row }) => (
            <CampaignStatusBadge status={row.original.status} alipayStatus={row.original.alipayStatus} />
          ),
        }),
        column.accessor("rail", {
          header: t("campaigns.column.rail"),
          enableSorting: false,
          cell: ({ row }) => (
            <span className="text-gray-600">{t(`campaigns.rail.${row.original.rail}`)}</span>
          ),
        }),
        column.accessor("budgetFen", {
          header: ({ column: c }) => (
            <DataTableColumnHeader column={c} title={t("campaigns.column.budget")} />
          ),
          cell: ({ row }) => <span className="tabular">{formatFen(row.original.budgetFen)}</span>,
        }),
        column.accessor("spentFen", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("campaigns.column.used")} />,
          cell: ({ row }) => {
            const percent = percentUsed(row.original);
            return (
              <div className="w-36 space-y-1">
                <Progress
                  value={row.original.spentFen + row.original.reservedFen}
                  max={row.original.budgetFen}
                  label={t("campaigns.usedOfBudget", { percent })}
                  tone={percent >= 90 ? "red" : percent >= 75 ? "amber" : "brand"}
                />
                <p className="text-xs text-gray-500 tabular">
                  {formatFen(row.original.spentFen)} · {t("campaigns.usedOfBudget", { percent })}
                </p>
              </div>
            );
          },
        }),
        column.accessor("endsAt", {
          header: ({ column: c }) => (
            <DataTableColumnHeader column={c} title={t("campaigns.column.window")} />
          ),
          cell: ({ row }) => (
            <span className="text-xs whitespace-nowrap text-gray-600 tabular">
              {row.original.startsAt ? formatDateTime(row.original.startsAt) : t("campaigns.startNow")}
              <br />→ {formatDateTime(row.original.endsAt)}
            </span>
          ),
        }),
        column.accessor("createdAt", {
          header: ({ column: c }) => (
            <DataTableColumnHeader column={c} title={t("campaigns.column.created")} />
          ),
          cell: ({ row }) => (
            <span className="whitespace-nowrap tabular">{formatDateTime(row.original.createdAt)}</span>
          ),
        }),
      ]),
    [t, formatDateTime],
  );
  return (
    <DataTable
      label={t("campaigns.title")}
      columns={columns}
      rows={rows}
      rowCount={total}
      query={query}
      getRowId={(row) => row.id}
      toolbar={
        <DataTableToolbar
          searchLabel={t("campaigns.searchPlaceholder")}
          filterKeys={["status", "rail", "scene", "from", "to"]}
        >
          <DataTableSelectFilter
            param="status"
            label={t("campaigns.filter.status")}
            options={CAMPAIGN_STATUSES.filter((s) => s !== "DRAFT").map((s) => ({
              value: s,
              label: t(`campaigns.status.${s}`),
            }))}
          />
          <DataTableSelectFilter
            param="rail"
            label={t("campaigns.filter.rail")}
            options={RAILS.map((r) => ({ value: r, label: t(`campaigns.rail.${r}`) }))}
          />
          <DataTableSelectFilter
            param="scene"
            label={t("campaigns.filter.scene")}
            options={SCENES.map((s) => ({ value: s, label: t(`campaigns.scene.${s}`) }))}
          />
          <DataTableDateRangeFilter
            label={t("campaigns.filter.created")}
            from={{ param: "from", label: t("campaigns.filter.from") }}
            to={{ param: "to", label: t("campaigns.filter.to") }}
          />
        </DataTableToolbar>
      }
    />
  );
}
