"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { DataTable, type DataTableFeatures } from "@/components/data-table/data-table";
import { DataTableColumnHeader } from "@/components/data-table/data-table-column-header";
import {
  DataTableDateFilter,
  DataTableSelectFilter,
  DataTableToolbar,
} from "@/components/data-table/data-table-toolbar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { AuditEventRow } from "@/lib/audit/types";
import { useI18n } from "@/lib/i18n/client";
import type { AuditListQuery } from "@/lib/validation/audit";
import { useActionLabel } from "./use-action-label";

const column = createColumnHelper<DataTableFeatures, AuditEventRow>();

export function ChangeSet({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useI18n();
  const show = (value: unknown) =>
    value === null || value === undefined ? "—" : JSON.stringify(value, null, 2);
  return (
    <div className="grid gap-3 md:grid-cols-2">
      {(
        [
          [t("audit.before"), before],
          [t("audit.after"), after],
        ] as const
      ).map(([label, value]) => (
        <div key={label}>
          <p className="mb-1 text-xs font-medium text-gray-500 uppercase">{label}</p>
          <pre className="overflow-x-auto rounded-md bg-white p-3 text-xs text-gray-800 ring-1 ring-gray-200">
            {show(value)}
          </pre>
        </div>
      ))}
    </div>
  );
}

export function AuditTable({
  rows,
  total,
  query,
  facets,
}: {
  rows: AuditEventRow[];
  total: number;
  query: AuditListQuery;
  facets: { actions: string[]; entityTypes: string[] };
}) {
  const { t, formatDateTime } = useI18n();
  const actionLabel = useActionLabel();
  const [expanded, setExpanded] = useState<string | null>(null);

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor("createdAt", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("audit.when")} />,
          cell: ({ row }) => (
            <span className="tabular whitespace-nowrap">
              {formatDateTime(row.original.createdAt, { seconds: true })}
            </span>
          ),
        }),
        column.accessor("actorLabel", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("audit.actor")} />,
          cell: ({ row }) =>
            row.original.actorType === "SYSTEM" ? (
              <span className="text-gray-500">
                {t("audit.system")} · {row.original.actorLabel}
              </span>
            ) : (
              row.original.actorLabel
            ),
        }),
        column.accessor("action", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("audit.action")} />,
          cell: ({ row }) => (
            <span title={row.original.action}>
              <Badge tone={row.original.action === "authz.denied" ? "red" : "gray"}>
                {actionLabel(row.original.action)}
              </Badge>
            </span>
          ),
        }),
        column.accessor("entityType", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("audit.entity")} />,
          cell: ({ row }) => (
            <span>
              {row.original.entityType}
              {row.original.entityId ? (
                <code className="ml-1 text-xs text-gray-500">{row.original.entityId}</code>
              ) : null}
            </span>
          ),
        }),
        column.accessor("ip", {
          header: t("audit.ip"),
          enableSorting: false,
          cell: ({ row }) => <code className="text-xs">{row.original.ip ?? "—"}</code>,
        }),
        column.display({
          id: "changes",
          header: () => <span className="sr-only">{t("common.details")}</span>,
          cell: ({ row }) =>
            row.original.before !== null || row.original.after !== null ? (
              <Button
                variant="ghost"
                size="sm"
                aria-expanded={expanded === row.id}
                onClick={() => setExpanded(expanded === row.id ? null : row.id)}
              >
                {expanded === row.id ? t("audit.hideChanges") : t("audit.showChanges")}
              </Button>
            ) : null,
        }),
      ]),
    [t, formatDateTime, actionLabel, expanded],
  );

  return (
    <DataTable
      label={t("audit.title")}
      columns={columns}
      rows={rows}
      rowCount={total}
      query={query}
      getRowId={(row) => row.id}
      expandedRowId={expanded}
      renderExpanded={(row) => <ChangeSet before={row.before} after={row.after} />}
      toolbar={
        <DataTableToolbar
          searchLabel={t("common.search")}
          filterKeys={["action", "entityType", "from", "to", "actor", "entityId"]}
        >
          <DataTableSelectFilter
            param="action"
            label={t("audit.filterAction")}
            options={facets.actions.map((a) => ({ value: a, label: actionLabel(a) }))}
          />
          <DataTableSelectFilter
            param="entityType"
            label={t("audit.filterEntity")}
            options={facets.entityTypes.map((e) => ({ value: e, label: e }))}
          />
          <DataTableDateFilter param="from" label={t("audit.filterFrom")} />
          <DataTableDateFilter param="to" label={t("audit.filterTo")} />
        </DataTableToolbar>
      }
    />
  );
}
