"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo, type ReactNode } from "react";
import { DataTable, type DataTableFeatures } from "@/components/data-table/data-table";
import { DataTableColumnHeader } from "@/components/data-table/data-table-column-header";
import {
  DataTableColumnToggle,
  DataTableDateRangeFilter,
  DataTableSelectFilter,
  DataTableTextFilter,
  DataTableToolbar,
} from "@/components/data-table/data-table-toolbar";
import { CopyableId } from "@/components/ui/copyable-id";
import { EmptyState } from "@/components/ui/empty-state";
import { PAYOUT_SOURCES, PAYOUT_STATUSES, SCENES } from "@/lib/enums";
import { formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import type { PayoutCampaignOption, PayoutRow } from "@/lib/payouts/types";
import { PAYOUT_FILTER_PARAMS } from "@/lib/payouts/view";
import type { PayoutListQuery } from "@/lib/validation/payouts";
import { PayoutBatchFilter } from "./payout-batch-filter";
import { PayoutStatusBadge } from "./payout-status-badge";
import { PayoutsExportButton } from "./payouts-export-button";

const column = createColumnHelper<DataTableFeatures, PayoutRow>();

/**
 * The payout history: server-side pages, sort and filters from the URL, the filtered view's totals above the
 * rows, and the CSV export of the same view. On a campaign's page (`campaignId`) it is scoped to that campaign:
 * no campaign column or filter, and the export says which campaign.
 */
export function PayoutsTable({
  rows,
  total,
  totalIsEstimate,
  query,
  campaigns = [],
  campaignId,
  canExport,
  totals,
  empty,
}: {
  rows: PayoutRow[];
  total: number;
  totalIsEstimate: boolean;
  query: PayoutListQuery;
  /** The campaign filter's options (not needed when scoped to one campaign). */
  campaigns?: PayoutCampaignOption[];
  campaignId?: string;
  canExport: boolean;
  /** The filtered view's totals, streamed in their own Suspense boundary. */
  totals?: ReactNode;
  /** No payouts at all (nothing filtered out): an empty state instead of an empty table. */
  empty: boolean;
}) {
  const { t, formatDateTime } = useI18n();
  const scoped = campaignId !== undefined;

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor("createdAt", {
          header: ({ column: c }) => (
            <DataTableColumnHeader column={c} title={t("payouts.history.column.time")} />
          ),
          cell: ({ row }) => (
            <Link
              href={`/payouts/${row.original.id}`}
              prefetch={false}
              className="whitespace-nowrap text-brand-700 tabular hover:underline"
            >
              {formatDateTime(row.original.createdAt)}
            </Link>
          ),
        }),
        ...(scoped
          ? []
          : [
              column.accessor("campaignName", {
                id: "campaign",
                header: t("payouts.history.column.campaign"),
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
            ]),
        column.accessor("recipient", {
          header: t("payouts.history.column.recipient"),
          enableSorting: false,
          cell: ({ row }) => (
            <span className="font-mono text-xs whitespace-nowrap" translate="no">
              {row.original.recipient}
            </span>
          ),
        }),
        column.accessor("amountFen", {
          header: ({ column: c }) => (
            <DataTableColumnHeader column={c} title={t("payouts.history.column.amount")} />
          ),
          cell: ({ row }) => (
            <span className="whitespace-nowrap tabular">{formatFen(row.original.amountFen)}</span>
          ),
        }),
        column.accessor("status", {
          header: ({ column: c }) => (
            <DataTableColumnHeader column={c} title={t("payouts.history.column.status")} />
          ),
          cell: ({ row }) => <PayoutStatusBadge status={row.original.status} />,
        }),
        column.accessor("scene", {
          header: t("payouts.history.column.scene"),
          enableSorting: false,
          cell: ({ row }) => (
            <span className="whitespace-nowrap text-gray-600">
              {t(`campaigns.scene.${row.original.scene}`)}
            </span>
          ),
        }),
        column.accessor("source", {
          header: t("payouts.history.column.source"),
          enableSorting: false,
          cell: ({ row }) => (
            <span className="whitespace-nowrap text-gray-600">
              {t(`payouts.history.source.${row.original.source}`)}
            </span>
          ),
        }),
        column.accessor("outBizNo", {
          header: t("payouts.history.column.outBizNo"),
          enableSorting: false,
          cell: ({ row }) => (
            <CopyableId
              value={row.original.outBizNo}
              label={t("payouts.history.outBizNo.name")}
              description={t("payouts.history.outBizNo.help")}
              className="flex max-w-48"
            />
          ),
        }),
        column.accessor("requestedByLabel", {
          id: "requestedBy",
          header: t("payouts.history.column.requestedBy"),
          enableSorting: false,
          cell: ({ row }) => (
            <span className="block max-w-48 truncate text-gray-600" title={row.original.requestedByLabel}>
              {row.original.requestedByLabel}
            </span>
          ),
        }),
      ]),
    [t, formatDateTime, scoped],
  );

  if (empty) {
    return <EmptyState title={t("payouts.empty")} description={t("payouts.history.emptyDescription")} />;
  }

  const hideable = [
    ...(scoped ? [] : [{ id: "campaign", label: t("payouts.history.column.campaign") }]),
    { id: "recipient", label: t("payouts.history.column.recipient") },
    { id: "scene", label: t("payouts.history.column.scene") },
    { id: "source", label: t("payouts.history.column.source") },
    { id: "outBizNo", label: t("payouts.history.column.outBizNo") },
    { id: "requestedBy", label: t("payouts.history.column.requestedBy") },
  ];

  return (
    <DataTable
      label={t("payouts.title")}
      columns={columns}
      rows={rows}
      rowCount={total}
      rowCountIsEstimate={totalIsEstimate}
      query={query}
      getRowId={(row) => row.id}
      summary={totals}
      toolbar={
        <DataTableToolbar
          searchLabel={t("payouts.history.searchPlaceholder")}
          filterKeys={PAYOUT_FILTER_PARAMS.filter((param) => !(scoped && param === "campaign"))}
          actions={
            <>
              <DataTableColumnToggle label={t("payouts.history.columns")} columns={hideable} />
              {canExport ? <PayoutsExportButton campaignId={campaignId} /> : null}
            </>
          }
        >
          <DataTableSelectFilter
            param="status"
            label={t("payouts.history.filter.status")}
            options={PAYOUT_STATUSES.map((s) => ({
              value: s,
              label: s === "UNKNOWN" ? t("payouts.history.badge.UNKNOWN") : t(`payouts.status.${s}`),
            }))}
          />
          {scoped ? null : (
            <DataTableSelectFilter
              param="campaign"
              label={t("payouts.history.filter.campaign")}
              options={campaigns.map((c) => ({ value: c.id, label: c.name }))}
            />
          )}
          <DataTableSelectFilter
            param="scene"
            label={t("payouts.history.filter.scene")}
            options={SCENES.map((s) => ({ value: s, label: t(`campaigns.scene.${s}`) }))}
          />
          <DataTableSelectFilter
            param="source"
            label={t("payouts.history.filter.source")}
            options={PAYOUT_SOURCES.map((s) => ({ value: s, label: t(`payouts.history.source.${s}`) }))}
          />
          <DataTableDateRangeFilter
            label={t("payouts.history.filter.requested")}
            from={{ param: "from", label: t("payouts.history.filter.from") }}
            to={{ param: "to", label: t("payouts.history.filter.to") }}
          />
          <DataTableTextFilter
            param="recipient"
            label={t("payouts.history.filter.recipient")}
            placeholder={t("payouts.history.filter.exact")}
          />
          <DataTableTextFilter
            param="outBizNo"
            label={t("payouts.history.filter.outBizNo")}
            placeholder={t("payouts.history.filter.exact")}
          />
          <PayoutBatchFilter />
        </DataTableToolbar>
      }
    />
  );
}
