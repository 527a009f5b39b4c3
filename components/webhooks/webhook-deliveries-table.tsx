"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { DataTable, type DataTableFeatures } from "@/components/data-table/data-table";
import { DataTableColumnHeader } from "@/components/data-table/data-table-column-header";
import { DataTableSelectFilter, DataTableToolbar } from "@/components/data-table/data-table-toolbar";
import { useDataTableUrl } from "@/components/data-table/use-url-state";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { resendWebhookDeliveryAction } from "@/lib/actions/resend-webhook-delivery";
import { useAction } from "@/lib/actions/use-action";
import { useI18n } from "@/lib/i18n/client";
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveriesListQuery } from "@/lib/validation/webhooks";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import type { WebhookAttemptRow, WebhookDeliveryRow } from "@/lib/webhooks/types";
import { WebhookDeliveryStatusBadge } from "./webhook-delivery-status-badge";

const column = createColumnHelper<DataTableFeatures, WebhookDeliveryRow>();

/** The payout or campaign an event is about: its name with a link, the raw id beside it. */
function EntityCell({ row }: { row: WebhookDeliveryRow }) {
  const { t } = useI18n();
  const type = t(row.entityType === "Payout" ? "audit.entityType.Payout" : "audit.entityType.Campaign");
  return (
    <div className="min-w-0 text-xs">
      <span className="text-gray-500">{type}</span>{" "}
      {row.entity?.href ? (
        <Link href={row.entity.href} className="text-brand-700 hover:underline">
          {row.entity.name}
        </Link>
      ) : (
        <span>{row.entity?.name ?? "—"}</span>
      )}
      <code className="block truncate text-gray-400" translate="no">
        {row.entityId}
      </code>
    </div>
  );
}

function LastAnswer({ row }: { row: WebhookDeliveryRow }) {
  const { t } = useI18n();
  if (row.attemptCount === 0) return <span className="text-gray-400">—</span>;
  if (row.lastStatusCode !== null)
    return (
      <code className={row.lastStatusCode < 300 ? "text-green-700" : "text-red-700"}>
        {t("webhooks.attempts.statusCode", { code: row.lastStatusCode })}
      </code>
    );
  return (
    <span className="text-red-700" title={row.lastError ?? undefined}>
      {t("webhooks.deliveries.noAnswer")}
    </span>
  );
}

/** Opens or closes a delivery's attempts: `?delivery=` in the URL, so the server reads them (and the page). */
function AttemptsToggle({ deliveryId, page }: { deliveryId: string; page: number }) {
  const { t } = useI18n();
  const { params, update } = useDataTableUrl();
  const open = params.get("delivery") === deliveryId;
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-expanded={open}
      onClick={() => update({ delivery: open ? null : deliveryId, page })}
    >
      {open ? t("webhooks.deliveries.hideAttempts") : t("webhooks.deliveries.showAttempts")}
    </Button>
  );
}

function ResendButton({ row }: { row: WebhookDeliveryRow }) {
  const { t, tr, formatDateTime } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const { run, pending, failure } = useAction(resendWebhookDeliveryAction);
  return (
    <>
      {failure ? (
        <span role="alert" className="self-center text-xs text-red-700">
          {tr(failure.error.message)}
        </span>
      ) : null}
      <Button
        variant="ghost"
        size="sm"
        loading={pending}
        aria-label={t("webhooks.deliveries.resendFor", {
          event: row.eventType,
          time: formatDateTime(row.createdAt, { seconds: true }),
        })}
        onClick={() =>
          run({ deliveryId: row.id }, () => {
            toast(t("webhooks.deliveries.resent"));
            router.refresh();
          })
        }
      >
        {t("webhooks.deliveries.resend")}
      </Button>
    </>
  );
}

/** One delivery's attempts, in order: the answer or why there was none, how long it took, what came back. */
export function WebhookAttempts({ attempts }: { attempts: WebhookAttemptRow[] }) {
  const { t, formatDateTime } = useI18n();
  if (attempts.length === 0) return <p className="text-sm text-gray-500">{t("webhooks.attempts.none")}</p>;
  return (
    <ol className="space-y-2" aria-label={t("webhooks.deliveries.attempts")}>
      {attempts.map((a) => (
        <li key={a.id} className="rounded-md bg-white px-3 py-2 text-sm ring-1 ring-gray-200">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="font-medium text-gray-900">
              {t("webhooks.attempts.number", { number: a.number })}
            </span>
            <span className="text-gray-500 tabular">{formatDateTime(a.startedAt, { seconds: true })}</span>
            {a.statusCode !== null ? (
              <code className={a.statusCode < 300 ? "text-green-700" : "text-red-700"}>
                {t("webhooks.attempts.statusCode", { code: a.statusCode })}
              </code>
            ) : (
              <span className="text-red-700">{a.error ?? t("webhooks.deliveries.noAnswer")}</span>
            )}
            <span className="text-gray-500 tabular">
              {t("webhooks.attempts.latency", { ms: a.latencyMs })}
            </span>
          </div>
          {a.statusCode !== null ? (
            <div className="mt-1">
              <span className="text-xs text-gray-500">{t("webhooks.attempts.response")}</span>
              <pre className="mt-0.5 max-h-32 overflow-auto rounded bg-gray-50 p-2 text-xs break-all whitespace-pre-wrap text-gray-700">
                {a.responseExcerpt ?? t("webhooks.attempts.noResponse")}
              </pre>
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export function WebhookDeliveriesTable({
  rows,
  total,
  query,
  attempts,
  canResend,
}: {
  rows: WebhookDeliveryRow[];
  total: number;
  query: WebhookDeliveriesListQuery;
  /** The attempts of the delivery opened with `?delivery=` (null when none is open). */
  attempts: WebhookAttemptRow[] | null;
  /** Resending needs the endpoint enabled. */
  canResend: boolean;
}) {
  const { t, formatDateTime } = useI18n();
  const page = query.page;
  const columns = useMemo(
    () =>
      column.columns([
        column.accessor("createdAt", {
          header: ({ column: c }) => (
            <DataTableColumnHeader column={c} title={t("webhooks.deliveries.time")} />
          ),
          cell: ({ row }) => (
            <span className="whitespace-nowrap tabular">
              {formatDateTime(row.original.createdAt, { seconds: true })}
            </span>
          ),
        }),
        column.accessor("eventType", {
          header: t("webhooks.deliveries.event"),
          enableSorting: false,
          cell: ({ row }) => (
            <code className="text-xs font-medium text-gray-900" translate="no">
              {row.original.eventType}
            </code>
          ),
        }),
        column.accessor("entityId", {
          header: t("webhooks.deliveries.entity"),
          enableSorting: false,
          cell: ({ row }) => <EntityCell row={row.original} />,
        }),
        column.accessor("status", {
          header: t("webhooks.deliveries.status"),
          enableSorting: false,
          cell: ({ row }) => <WebhookDeliveryStatusBadge status={row.original.status} />,
        }),
        column.accessor("attemptCount", {
          header: t("webhooks.deliveries.attempts"),
          enableSorting: false,
          cell: ({ row }) => <span className="tabular">{row.original.attemptCount}</span>,
        }),
        column.accessor("lastStatusCode", {
          header: t("webhooks.deliveries.lastAnswer"),
          enableSorting: false,
          cell: ({ row }) => <LastAnswer row={row.original} />,
        }),
        column.display({
          id: "actions",
          header: () => <span className="sr-only">{t("common.actions")}</span>,
          cell: ({ row }) => (
            <div className="flex justify-end gap-1">
              <AttemptsToggle deliveryId={row.original.id} page={page} />
              {canResend ? <ResendButton row={row.original} /> : null}
            </div>
          ),
        }),
      ]),
    [t, formatDateTime, page, canResend],
  );
  return (
    <DataTable
      label={t("webhooks.deliveries.title")}
      columns={columns}
      rows={rows}
      rowCount={total}
      query={query}
      getRowId={(row) => row.id}
      expandedRowId={attempts ? (query.delivery ?? null) : null}
      renderExpanded={() => <WebhookAttempts attempts={attempts ?? []} />}
      toolbar={
        <DataTableToolbar searchLabel={t("webhooks.deliveries.search")} filterKeys={["status", "type"]}>
          <DataTableSelectFilter
            param="status"
            label={t("webhooks.deliveries.status")}
            options={WEBHOOK_DELIVERY_STATUSES.map((status) => ({
              value: status,
              label: t(`webhooks.deliveries.status.${status}`),
            }))}
          />
          <DataTableSelectFilter
            param="type"
            label={t("webhooks.deliveries.event")}
            options={WEBHOOK_EVENT_TYPES.map((type) => ({ value: type, label: type }))}
          />
        </DataTableToolbar>
      }
    />
  );
}
