"use client";

import { createColumnHelper, type RowSelectionState } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, type InputHTMLAttributes } from "react";
import { DataTable, type DataTableFeatures } from "@/components/data-table/data-table";
import { DataTableColumnHeader } from "@/components/data-table/data-table-column-header";
import { DataTableToolbar } from "@/components/data-table/data-table-toolbar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { useToast } from "@/components/ui/toast";
import { RejectReasonDialog } from "./reject-reason-dialog";
import { decidePayoutsAction } from "@/lib/actions/decide-payouts";
import { useAction } from "@/lib/actions/use-action";
import { formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import { describeDecisionOutcome, type ApprovalRow } from "@/lib/payouts/approval-view";
import type { ApprovalListQuery } from "@/lib/validation/approvals";
import { payoutDecisionSchema } from "@/lib/validation/payouts";

const column = createColumnHelper<DataTableFeatures, ApprovalRow>();

/** A checkbox that can also show "some selected". */
function Checkbox({
  indeterminate = false,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { indeterminate?: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);
  return <input ref={ref} type="checkbox" className="size-4 accent-brand-600" {...props} />;
}

/**
 * The approval queue. Approvers select payouts (never their own: maker-checker) and approve or reject them in
 * bulk, or one by one; rejecting asks for a reason. What happened, including payouts skipped and why, is said
 * after each decision. Readers without payout:approve see the list without controls.
 */
export function ApprovalsTable({
  rows,
  total,
  query,
  canDecide,
}: {
  rows: ApprovalRow[];
  total: number;
  query: ApprovalListQuery;
  canDecide: boolean;
}) {
  const { t, tr, formatDateTime } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const [selected, setSelected] = useState<RowSelectionState>({});
  const [rejecting, setRejecting] = useState<string[] | null>(null);
  const [reason, setReason] = useState("");
  const [result, setResult] = useState<string | null>(null);
  const { run, pending, failure, fieldErrors, reset } = useAction(decidePayoutsAction, {
    schema: payoutDecisionSchema,
  });
  // Rows that left the page (decided, or another page) drop out of the selection by themselves.
  const selectedIds = rows.filter((r) => !r.isOwn && selected[r.id]).map((r) => r.id);

  const decideNow = useCallback(
    (payoutIds: string[], decision: "approve" | "reject", why?: string) =>
      run({ payoutIds, decision, reason: why }, (outcome) => {
        const text = describeDecisionOutcome(outcome, decision, t);
        toast(text, outcome.refused.length > 0 ? "info" : "success");
        setResult(text);
        setSelected({});
        setRejecting(null);
        setReason("");
        router.refresh();
      }),
    [run, t, toast, router],
  );
  const startReject = useCallback(
    (payoutIds: string[]) => {
      reset();
      setReason("");
      setRejecting(payoutIds);
    },
    [reset],
  );
  const closeReject = () => {
    setRejecting(null);
    setReason("");
    reset();
  };

  const columns = useMemo(() => {
    return column.columns([
      ...(canDecide
        ? [
            column.display({
              id: "select",
              header: ({ table }) => (
                <Checkbox
                  aria-label={t("approvals.selectPage")}
                  checked={table.getIsAllPageRowsSelected()}
                  indeterminate={table.getIsSomePageRowsSelected() && !table.getIsAllPageRowsSelected()}
                  disabled={!rows.some((r) => !r.isOwn)}
                  onChange={table.getToggleAllPageRowsSelectedHandler()}
                />
              ),
              cell: ({ row }) =>
                row.getCanSelect() ? (
                  <Checkbox
                    aria-label={t("approvals.select", { recipient: row.original.recipient })}
                    checked={row.getIsSelected()}
                    onChange={row.getToggleSelectedHandler()}
                  />
                ) : null,
            }),
          ]
        : []),
      column.accessor("createdAt", {
        header: ({ column: c }) => (
          <DataTableColumnHeader column={c} title={t("approvals.column.requested")} />
        ),
        cell: ({ row }) => (
          <div className="whitespace-nowrap">
            <span className="tabular">{formatDateTime(row.original.createdAt)}</span>
            <p className="text-xs text-gray-500">
              {t("approvals.by", { name: row.original.requestedByLabel })}
            </p>
          </div>
        ),
      }),
      column.accessor("recipient", {
        header: t("approvals.column.recipient"),
        enableSorting: false,
        cell: ({ row }) => (
          <div>
            <code className="text-xs text-gray-900">{row.original.recipient}</code>
            <p className="text-xs text-gray-500">
              {t(`payouts.send.identityType.${row.original.identityType}`)}
            </p>
          </div>
        ),
      }),
      column.accessor("amountFen", {
        header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("approvals.column.amount")} />,
        cell: ({ row }) => (
          <span className="font-medium whitespace-nowrap text-gray-900 tabular">
            {row.original.prizeType === "RANDOM"
              ? t("approvals.upTo", { amount: formatFen(row.original.amountFen) })
              : formatFen(row.original.amountFen)}
          </span>
        ),
      }),
      column.display({
        id: "campaign",
        header: t("approvals.column.campaign"),
        cell: ({ row }) => (
          <Link
            href={`/campaigns/${row.original.campaign.id}`}
            className="font-medium text-gray-900 hover:text-brand-700 hover:underline"
          >
            {row.original.campaign.name}
          </Link>
        ),
      }),
      column.accessor("budgetLeftFen", {
        header: t("approvals.column.budgetLeft"),
        enableSorting: false,
        cell: ({ row }) => <span className="tabular">{formatFen(row.original.budgetLeftFen)}</span>,
      }),
      column.accessor("autoApprovedTodayFen", {
        header: t("approvals.column.autoApprovedToday"),
        enableSorting: false,
        cell: ({ row }) => (
          <div className="whitespace-nowrap">
            <span className="tabular">{formatFen(row.original.autoApprovedTodayFen)}</span>
            <p className="text-xs text-gray-500 tabular">
              {t("approvals.ofCap", { cap: formatFen(row.original.autoApproveDailyCapFen) })}
            </p>
          </div>
        ),
      }),
      column.accessor("scene", {
        header: t("approvals.column.details"),
        enableSorting: false,
        cell: ({ row }) => (
          <div className="max-w-56">
            <span>{t(`campaigns.scene.${row.original.scene}`)}</span>
            {row.original.memo ? (
              <p className="truncate text-xs text-gray-500" title={row.original.memo}>
                {row.original.memo}
              </p>
            ) : null}
          </div>
        ),
      }),
      column.accessor("source", {
        header: t("approvals.column.source"),
        enableSorting: false,
        cell: ({ row }) => <Badge>{t(`approvals.source.${row.original.source}`)}</Badge>,
      }),
      ...(canDecide
        ? [
            column.display({
              id: "actions",
              header: () => <span className="sr-only">{t("common.actions")}</span>,
              cell: ({ row }) =>
                row.original.isOwn ? (
                  <p className="max-w-48 text-xs text-gray-500" data-testid="own-request">
                    {t("approvals.ownRequest")}
                  </p>
                ) : (
                  <div className="flex justify-end gap-1">
                    <Button
                      size="sm"
                      variant="secondary"
                      disabled={pending}
                      aria-label={t("approvals.approveOne", { recipient: row.original.recipient })}
                      onClick={() => decideNow([row.original.id], "approve")}
                    >
                      {t("approvals.approve")}
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      className="text-red-700"
                      disabled={pending}
                      aria-label={t("approvals.rejectOne", { recipient: row.original.recipient })}
                      onClick={() => startReject([row.original.id])}
                    >
                      {t("approvals.reject")}
                    </Button>
                  </div>
                ),
            }),
          ]
        : []),
    ]);
  }, [t, formatDateTime, canDecide, rows, pending, decideNow, startReject]);

  const failureText =
    failure && rejecting === null && failure.error.code !== "VALIDATION" ? tr(failure.error.message) : null;

  const summary =
    result || failureText ? (
      <p
        role="status"
        data-testid="decision-result"
        className={
          failureText
            ? "rounded-md bg-red-50 px-4 py-3 text-sm text-red-700"
            : "rounded-md bg-blue-50 px-4 py-3 text-sm text-blue-800"
        }
      >
        {failureText ?? result}
      </p>
    ) : null;

  if (total === 0 && query.q === "") {
    return (
      <div className="space-y-4">
        {summary}
        <EmptyState title={t("approvals.empty")} description={t("approvals.emptyDescription")} />
      </div>
    );
  }

  return (
    <>
      <DataTable
        label={t("approvals.title")}
        columns={columns}
        rows={rows}
        rowCount={total}
        query={query}
        getRowId={(row) => row.id}
        selection={
          canDecide
            ? { selected, onChange: setSelected, canSelect: (row: ApprovalRow) => !row.isOwn }
            : undefined
        }
        toolbar={
          <DataTableToolbar
            searchLabel={t("approvals.searchPlaceholder")}
            actions={
              canDecide ? (
                <div className="flex items-center gap-2">
                  <span className="text-sm text-gray-500" aria-live="polite">
                    {selectedIds.length > 0 ? t("approvals.selected", { count: selectedIds.length }) : null}
                  </span>
                  <Button
                    disabled={selectedIds.length === 0}
                    loading={pending && rejecting === null}
                    onClick={() => decideNow(selectedIds, "approve")}
                  >
                    {selectedIds.length > 0
                      ? t("approvals.approveSelected", { count: selectedIds.length })
                      : t("approvals.approve")}
                  </Button>
                  <Button
                    variant="secondary"
                    className="text-red-700"
                    disabled={selectedIds.length === 0 || pending}
                    onClick={() => startReject(selectedIds)}
                  >
                    {selectedIds.length > 0
                      ? t("approvals.rejectSelected", { count: selectedIds.length })
                      : t("approvals.reject")}
                  </Button>
                </div>
              ) : null
            }
          />
        }
        summary={summary}
      />
      <RejectReasonDialog
        open={rejecting !== null}
        onClose={closeReject}
        title={t("approvals.rejectTitle")}
        description={t("approvals.rejectDescription", { count: rejecting?.length ?? 0 })}
        hint={t("approvals.rejectReasonHint")}
        reason={reason}
        onReasonChange={setReason}
        onSubmit={() => {
          if (rejecting) decideNow(rejecting, "reject", reason);
        }}
        pending={pending}
        failureText={failure && failure.error.code !== "VALIDATION" ? tr(failure.error.message) : null}
        reasonErrors={fieldErrors.reason}
      />
    </>
  );
}
