"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable, type DataTableFeatures } from "@/components/data-table/data-table";
import { DataTableColumnHeader } from "@/components/data-table/data-table-column-header";
import { DataTableSelectFilter, DataTableToolbar } from "@/components/data-table/data-table-toolbar";
import { rowsSettled } from "@/lib/batches/progress";
import type { BatchListQuery, BatchSummaryRow } from "@/lib/batches/queries";
import { BATCH_STATUSES } from "@/lib/enums";
import { formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import type { PayoutCampaignOption } from "@/lib/payouts/types";
import { BatchPhaseBadge } from "./batch-phase-badge";
import { BatchProgressBar } from "./batch-progress";

const column = createColumnHelper<DataTableFeatures, BatchSummaryRow>();

/** The URL parameters of the list's filters (the reset button clears them; `q` is separate). */
const FILTER_PARAMS = ["status", "campaign"];

/** /batches: newest first, each batch's phase and how many of its rows have settled; server-side pages. */
export function BatchesTable({
  rows,
  total,
  query,
  campaigns,
}: {
  rows: BatchSummaryRow[];
  total: number;
  query: BatchListQuery;
  campaigns: PayoutCampaignOption[];
}) {
  const { t, locale, formatDateTime } = useI18n();
  const columns = useMemo(
    () =>
      column.columns([
        column.accessor("createdAt", {
          header: ({ column: c }) => (
            <DataTableColumnHeader column={c} title={t("batches.list.column.submitted")} />
          ),
          cell: ({ row }) => (
            <Link
              href={`/batches/${row.original.id}`}
              className="whitespace-nowrap text-brand-700 tabular hover:underline"
            >
              {formatDateTime(row.original.createdAt)}
            </Link>
          ),
        }),
        column.accessor("campaignName", {
          id: "campaign",
          header: t("batches.list.column.campaign"),
          enableSorting: false,
          cell: ({ row }) => (
            <Link
              href={`/campaigns/${row.original.campaignId}`}
              prefetch={false}
              className="block max-w-48 truncate text-gray-900 hover:text-brand-700 hover:underline"
              title={row.original.campaignName}
            >
              {row.original.campaignName}
            </Link>
          ),
        }),
        column.accessor("fileName", {
          header: t("batches.list.column.file"),
          enableSorting: false,
          cell: ({ row }) => (
            <Link
              href={`/batches/${row.original.id}`}
              className="block max-w-56 truncate font-medium text-gray-900 hover:text-brand-700 hover:underline"
              title={row.original.fileName}
            >
              {row.original.fileName}
            </Link>
          ),
        }),
        column.accessor("rowCount", {
          header: t("batches.list.column.rows"),
          enableSorting: false,
          cell: ({ row }) => <span className="tabular">{row.original.rowCount.toLocaleString(locale)}</span>,
        }),
        column.accessor("amountFen", {
          header: t("batches.list.column.amount"),
          enableSorting: false,
          cell: ({ row }) => (
            <span className="whitespace-nowrap tabular">{formatFen(row.original.amountFen)}</span>
          ),
        }),
        column.accessor("phase", {
          header: t("batches.list.column.status"),
          enableSorting: false,
          cell: ({ row }) => <BatchPhaseBadge phase={row.original.phase} />,
        }),
        column.display({
          id: "progress",
          header: t("batches.list.column.progress"),
          cell: ({ row }) => {
            const total = row.original.rowCount;
            const settled = rowsSettled(row.original.counts, total);
            const text = t("batches.detail.settled", { settled, total });
            return (
              <div className="w-32 space-y-1">
                <BatchProgressBar counts={row.original.counts} total={total} className="h-2" />
                <p className="text-xs whitespace-nowrap text-gray-500 tabular">{text}</p>
              </div>
            );
          },
        }),
        column.accessor("requestedByLabel", {
          id: "submittedBy",
          header: t("batches.list.column.submittedBy"),
          enableSorting: false,
          cell: ({ row }) => (
            <span className="block max-w-48 truncate text-gray-600" title={row.original.requestedByLabel}>
              {row.original.requestedByLabel}
            </span>
          ),
        }),
      ]),
    [t, locale, formatDateTime],
  );
  return (
    <DataTable
      label={t("batches.title")}
      columns={columns}
      rows={rows}
      rowCount={total}
      query={query}
      getRowId={(row) => row.id}
      rowTestId="batch-row"
      toolbar={
        <DataTableToolbar searchLabel={t("batches.list.searchPlaceholder")} filterKeys={FILTER_PARAMS}>
          <DataTableSelectFilter
            param="status"
            label={t("batches.list.filter.status")}
            options={BATCH_STATUSES.map((s) => ({ value: s, label: t(`batches.list.status.${s}`) }))}
          />
          <DataTableSelectFilter
            param="campaign"
            label={t("batches.list.filter.campaign")}
            options={campaigns.map((c) => ({ value: c.id, label: c.name }))}
          />
        </DataTableToolbar>
      }
    />
  );
}
