"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable, type DataTableFeatures } from "@/components/data-table/data-table";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import type { FundingOrderRow, FundingSummary } from "@/lib/fund-coupon/queries";
import { Figure } from "@/components/campaigns/budget-tracker";
import { formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import { AddFundsDialog } from "./add-funds-dialog";
import { ReturnFundsDialog } from "./return-funds-dialog";

const STATUS_TONES: Readonly<Record<FundingOrderRow["status"], BadgeTone>> = {
  CREATING: "blue",
  AWAITING_PAYMENT: "amber",
  PAID: "green",
  CLOSED: "gray",
  FAILED: "red",
  UNKNOWN: "amber",
};

const column = createColumnHelper<DataTableFeatures, FundingOrderRow>();

function useOrderColumns(campaignId: string, canFund: boolean) {
  const { t, formatDateTime } = useI18n();
  return useMemo(() => {
    const amount = (fen: number) => <span className="tabular">{formatFen(fen)}</span>;
    const time = (iso: string | null) =>
      iso ? <span className="tabular">{formatDateTime(iso)}</span> : <span className="text-gray-400">—</span>;
    return column.columns([
      column.accessor("createdAt", {
        header: t("campaigns.funding.orders.createdAt"),
        enableSorting: false,
        cell: ({ row }) => time(row.original.createdAt),
      }),
      column.accessor("method", {
        header: t("campaigns.funding.orders.method"),
        enableSorting: false,
        cell: ({ row }) => t(`campaigns.funding.method.${row.original.method}`),
      }),
      column.accessor("status", {
        header: t("campaigns.funding.orders.status"),
        enableSorting: false,
        cell: ({ row }) => (
          <Badge tone={STATUS_TONES[row.original.status]}>
            {t(`campaigns.funding.orderStatus.${row.original.status}`)}
          </Badge>
        ),
      }),
      ...(
        [
          ["amountFen", "campaigns.funding.orders.amount"],
          ["disbursedFen", "campaigns.funding.orders.disbursed"],
          ["refundedFen", "campaigns.funding.orders.refunded"],
          ["refundableFen", "campaigns.funding.orders.refundable"],
        ] as const
      ).map(([key, header]) =>
        column.accessor(key, {
          header: t(header),
          enableSorting: false,
          cell: ({ row }) => amount(row.original[key]),
        }),
      ),
      column.accessor("expiresAt", {
        header: t("campaigns.funding.orders.expiresAt"),
        enableSorting: false,
        cell: ({ row }) => time(row.original.expiresAt),
      }),
      column.accessor("authNo", {
        header: t("campaigns.funding.orders.authNo"),
        enableSorting: false,
        cell: ({ row }) => (
          <span className="font-mono text-xs text-gray-700" title={row.original.outOrderNo}>
            {row.original.authNo ?? "—"}
          </span>
        ),
      }),
      column.display({
        id: "actions",
        header: () => <span className="sr-only">{t("common.actions")}</span>,
        cell: ({ row }) =>
          canFund && row.original.refundableFen > 0 ? (
            <ReturnFundsDialog
              campaignId={campaignId}
              order={{ id: row.original.id, outOrderNo: row.original.outOrderNo }}
              refundableFen={row.original.refundableFen}
              variant="ghost"
            />
          ) : null,
      }),
    ]);
  }, [t, formatDateTime, campaignId, canFund]);
}

/**
 * A fund-coupon campaign's money: what its red-packet orders brought, what was paid out and returned (or is
 * being returned), what is available, and every order; with "Add funds" and "Return unused funds" for people
 * who may fund campaigns.
 */
export function FundingPanel({
  campaignId,
  campaignName,
  summary,
  canFund,
  canAddFunds,
}: {
  campaignId: string;
  campaignName: string;
  summary: FundingSummary;
  /** The viewer may fund and return (campaign:fund). */
  canFund: boolean;
  /** The campaign's status takes money (awaiting funding, active or paused). */
  canAddFunds: boolean;
}) {
  const { t } = useI18n();
  const columns = useOrderColumns(campaignId, canFund);
  const refundableFen = summary.orders.reduce((sum, o) => sum + o.refundableFen, 0);
  const rows = summary.orders;
  return (
    <Card data-testid="funding-panel">
      <CardHeader title={t("campaigns.funding.title")} description={t("campaigns.funding.description")} />
      <CardContent className="space-y-5">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
          <Figure
            label={t("campaigns.funding.funded")}
            value={formatFen(summary.fundedFen)}
            testId="funding-funded"
          />
          <Figure
            label={t("campaigns.funding.disbursed")}
            value={formatFen(summary.disbursedFen)}
            testId="funding-disbursed"
          />
          <Figure
            label={t("campaigns.funding.refunded")}
            value={formatFen(summary.refundedFen)}
            testId="funding-refunded"
          />
          <Figure
            label={t("campaigns.funding.refunding")}
            value={formatFen(summary.refundingFen)}
            testId="funding-refunding"
          />
          <Figure
            label={t("campaigns.detail.available")}
            value={formatFen(summary.availableFen)}
            testId="funding-available"
            emphasis
          />
        </dl>
        {canFund ? (
          <div className="flex flex-wrap gap-2">
            {canAddFunds ? <AddFundsDialog campaignId={campaignId} campaignName={campaignName} /> : null}
            <ReturnFundsDialog campaignId={campaignId} order={null} refundableFen={refundableFen} />
          </div>
        ) : null}
        {rows.length === 0 ? (
          <p className="text-sm text-gray-500">{t("campaigns.funding.noOrders")}</p>
        ) : (
          <DataTable
            label={t("campaigns.funding.orders.label")}
            columns={columns}
            rows={rows}
            rowCount={rows.length}
            // Every order on one page, newest first as the service returns them: a campaign has a handful.
            query={{
              page: 1,
              pageSize: Math.max(rows.length, 1),
              sort: { field: "createdAt", direction: "desc" },
            }}
            getRowId={(row) => row.id}
            rowTestId="funding-order"
          />
        )}
      </CardContent>
    </Card>
  );
}
