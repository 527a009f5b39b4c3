"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { CampaignStatusBadge } from "@/components/campaigns/campaign-status-badge";
import { DataTable, type DataTableFeatures } from "@/components/data-table/data-table";
import { DataTableColumnHeader } from "@/components/data-table/data-table-column-header";
import { DataTableSelectFilter, DataTableToolbar } from "@/components/data-table/data-table-toolbar";
import { CopyableId } from "@/components/ui/copyable-id";
import { CAMPAIGN_STATUSES } from "@/lib/campaigns/status";
import { formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import type { UserPacketRow } from "@/lib/user-packets/types";
import type { UserPacketListQuery } from "@/lib/validation/user-packets";

const column = createColumnHelper<DataTableFeatures, UserPacketRow>();

/** Statuses a user-funded packet goes through (it is never created at Alipay as a campaign). */
const PACKET_STATUSES = CAMPAIGN_STATUSES.filter((s) =>
  ["AWAITING_FUNDING", "ACTIVE", "PAUSED", "CLOSED", "SETTLED"].includes(s),
);

/**
 * User-funded packets (C2C) on the one table component: each row opens its campaign's page, which already shows
 * the packet's order, claims (payouts) and refunds.
 */
export function UserPacketsTable({
  rows,
  total,
  query,
}: {
  rows: UserPacketRow[];
  total: number;
  query: UserPacketListQuery;
}) {
  const { t, formatDateTime } = useI18n();
  const columns = useMemo(
    () =>
      column.columns([
        column.accessor("title", {
          header: t("userPackets.column.packet"),
          enableSorting: false,
          cell: ({ row }) => (
            <div className="min-w-48">
              <Link
                href={`/campaigns/${row.original.id}`}
                className="font-medium text-gray-900 hover:text-brand-700 hover:underline"
              >
                {row.original.title}
              </Link>
              <CopyableId
                value={row.original.orderNo}
                label={t("userPackets.orderNo.name")}
                description={t("userPackets.orderNo.help")}
                className="flex max-w-60"
              />
            </div>
          ),
        }),
        column.accessor("payerUserId", {
          header: t("userPackets.column.payer"),
          enableSorting: false,
          cell: ({ row }) => <span className="tabular">{row.original.payerUserId}</span>,
        }),
        column.accessor("amountFen", {
          header: t("userPackets.column.amount"),
          enableSorting: false,
          cell: ({ row }) => <span className="tabular">{formatFen(row.original.amountFen)}</span>,
        }),
        column.accessor("claimedFen", {
          header: t("userPackets.column.claimed"),
          enableSorting: false,
          cell: ({ row }) => (
            <div className="tabular">
              {formatFen(row.original.claimedFen)}
              <p className="text-xs text-gray-500">
                {t("userPackets.claimedOf", {
                  count: row.original.claimedCount,
                  total: row.original.packetCount,
                })}
              </p>
            </div>
          ),
        }),
        column.accessor("refundedFen", {
          header: t("userPackets.column.refunded"),
          enableSorting: false,
          cell: ({ row }) => <span className="tabular">{formatFen(row.original.refundedFen)}</span>,
        }),
        column.accessor("status", {
          header: ({ column: c }) => (
            <DataTableColumnHeader column={c} title={t("userPackets.column.status")} />
          ),
          cell: ({ row }) => <CampaignStatusBadge status={row.original.status} alipayStatus={null} />,
        }),
        column.accessor("createdAt", {
          header: ({ column: c }) => (
            <DataTableColumnHeader column={c} title={t("userPackets.column.created")} />
          ),
          cell: ({ row }) => (
            <span className="whitespace-nowrap tabular">{formatDateTime(row.original.createdAt)}</span>
          ),
        }),
        column.accessor("endsAt", {
          header: ({ column: c }) => (
            <DataTableColumnHeader column={c} title={t("userPackets.column.ends")} />
          ),
          cell: ({ row }) => (
            <span className="whitespace-nowrap tabular">{formatDateTime(row.original.endsAt)}</span>
          ),
        }),
      ]),
    [t, formatDateTime],
  );
  return (
    <DataTable
      label={t("userPackets.title")}
      columns={columns}
      rows={rows}
      rowCount={total}
      query={query}
      getRowId={(row) => row.id}
      toolbar={
        <DataTableToolbar searchLabel={t("userPackets.searchPlaceholder")} filterKeys={["status"]}>
          <DataTableSelectFilter
            param="status"
            label={t("userPackets.filter.status")}
            options={PACKET_STATUSES.map((s) => ({ value: s, label: t(`campaigns.status.${s}`) }))}
          />
        </DataTableToolbar>
      }
    />
  );
}
