"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo, useState } from "react";
import { useEntityTypeLabel } from "@/components/audit/use-action-label";
import { DataTable, type DataTableFeatures } from "@/components/data-table/data-table";
import { DataTableColumnHeader } from "@/components/data-table/data-table-column-header";
import { DataTableSelectFilter, DataTableToolbar } from "@/components/data-table/data-table-toolbar";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { NotificationOutcome } from "@/generated/prisma/enums";
import { useI18n } from "@/lib/i18n/client";
import { isMessageKey } from "@/lib/i18n/messages";
import type { NotificationRow } from "@/lib/notifications/view";
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_OUTCOMES,
  type NotificationsListQuery,
} from "@/lib/validation/notifications";

const column = createColumnHelper<DataTableFeatures, NotificationRow>();

/** Refusals (forgeries, another app) stand out; deferred ones will come again; duplicates are routine. */
const TONE: Record<NotificationOutcome, BadgeTone> = {
  APPLIED: "green",
  DUPLICATE: "gray",
  IGNORED: "gray",
  REFUSED: "red",
  DEFERRED: "amber",
};

function EntityCell({ row, typeLabel }: { row: NotificationRow; typeLabel: string }) {
  if (!row.entityId) return <span className="text-gray-400">—</span>;
  return (
    <div className="min-w-0 text-xs">
      <span className="text-gray-500">{typeLabel}</span>{" "}
      {row.entityHref ? (
        <Link href={row.entityHref} prefetch={false} className="text-brand-700 hover:underline">
          <code translate="no">{row.entityId}</code>
        </Link>
      ) : (
        <code translate="no">{row.entityId}</code>
      )}
    </div>
  );
}

function Fields({ fields }: { fields: unknown }) {
  const { t } = useI18n();
  return (
    <div>
      <p className="mb-1 text-xs font-medium text-gray-500 uppercase">{t("notifications.fields")}</p>
      <pre
        className="max-h-96 overflow-auto rounded-md bg-white p-3 text-xs break-all whitespace-pre-wrap text-gray-800 ring-1 ring-gray-200"
        translate="no"
      >
        {JSON.stringify(fields, null, 2)}
      </pre>
    </div>
  );
}

export function NotificationsTable({
  rows,
  total,
  query,
}: {
  rows: NotificationRow[];
  total: number;
  query: NotificationsListQuery;
}) {
  const { t, formatDateTime } = useI18n();
  const entityTypeLabel = useEntityTypeLabel();
  const [expanded, setExpanded] = useState<string | null>(null);

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor("receivedAt", {
          header: ({ column: c }) => (
            <DataTableColumnHeader column={c} title={t("notifications.receivedAt")} />
          ),
          cell: ({ row }) => (
            <span className="whitespace-nowrap tabular">
              {formatDateTime(row.original.receivedAt, { seconds: true })}
            </span>
          ),
        }),
        column.accessor("channel", {
          header: t("notifications.channel"),
          enableSorting: false,
          cell: ({ row }) => t(`notifications.channel.${row.original.channel}`),
        }),
        column.accessor("type", {
          header: t("notifications.type"),
          enableSorting: false,
          cell: ({ row }) =>
            row.original.type ? (
              <code className="text-xs text-gray-900" translate="no">
                {row.original.type}
              </code>
            ) : (
              <span className="text-gray-400">{t("notifications.noType")}</span>
            ),
        }),
        column.accessor("notifyId", {
          header: t("notifications.notifyId"),
          enableSorting: false,
          cell: ({ row }) => (
            <code className="block max-w-48 truncate text-xs" title={row.original.notifyId ?? undefined}>
              {row.original.notifyId ?? "—"}
            </code>
          ),
        }),
        column.accessor("outcome", {
          header: t("notifications.outcome"),
          enableSorting: false,
          cell: ({ row }) => (
            <Badge tone={TONE[row.original.outcome]} data-outcome={row.original.outcome}>
              {t(`notifications.outcome.${row.original.outcome}`)}
            </Badge>
          ),
        }),
        column.accessor("reason", {
          header: t("notifications.reason"),
          enableSorting: false,
          cell: ({ row }) => {
            const { reason } = row.original;
            if (!reason) return <span className="text-gray-400">—</span>;
            // Appliers may record a reason this build has no words for: show it as recorded.
            return <span title={reason}>{isMessageKey(reason) ? t(reason) : reason}</span>;
          },
        }),
        column.accessor("entityId", {
          header: t("notifications.entity"),
          enableSorting: false,
          cell: ({ row }) => (
            <EntityCell
              row={row.original}
              typeLabel={row.original.entityType ? entityTypeLabel(row.original.entityType) : ""}
            />
          ),
        }),
        column.display({
          id: "fields",
          header: () => <span className="sr-only">{t("common.details")}</span>,
          cell: ({ row }) => (
            <Button
              variant="ghost"
              size="sm"
              aria-expanded={expanded === row.id}
              onClick={() => setExpanded(expanded === row.id ? null : row.id)}
            >
              {expanded === row.id ? t("notifications.hideFields") : t("notifications.showFields")}
            </Button>
          ),
        }),
      ]),
    [t, formatDateTime, entityTypeLabel, expanded],
  );

  return (
    <DataTable
      label={t("notifications.title")}
      columns={columns}
      rows={rows}
      rowCount={total}
      query={query}
      getRowId={(row) => row.id}
      expandedRowId={expanded}
      renderExpanded={(row) => <Fields fields={row.fields} />}
      rowTestId="notification-row"
      toolbar={
        <DataTableToolbar searchLabel={t("notifications.search")} filterKeys={["outcome", "channel"]}>
          <DataTableSelectFilter
            param="outcome"
            label={t("notifications.outcome")}
            options={NOTIFICATION_OUTCOMES.map((outcome) => ({
              value: outcome,
              label: t(`notifications.outcome.${outcome}`),
            }))}
          />
          <DataTableSelectFilter
            param="channel"
            label={t("notifications.channel")}
            options={NOTIFICATION_CHANNELS.map((channel) => ({
              value: channel,
              label: t(`notifications.channel.${channel}`),
            }))}
          />
        </DataTableToolbar>
      }
    />
  );
}
