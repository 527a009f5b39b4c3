"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo, useState } from "react";
import { DataTable, type DataTableFeatures } from "@/components/data-table/data-table";
import { DataTableColumnHeader } from "@/components/data-table/data-table-column-header";
import {
  DataTableDateRangeFilter,
  DataTableSelectFilter,
  DataTableToolbar,
} from "@/components/data-table/data-table-toolbar";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { auditActorText } from "@/lib/audit/labels";
import type { AuditLogRow } from "@/lib/audit/types";
import { useI18n } from "@/lib/i18n/client";
import type { AuditListQuery } from "@/lib/validation/audit";
import { AuditExportButton } from "./audit-export-button";
import { useActionLabel, useEntityTypeLabel } from "./use-action-label";

const column = createColumnHelper<DataTableFeatures, AuditLogRow>();

/** Menu options in the order of what people read, not of the recorded names. */
function byLabel<T extends { label: string }>(options: T[], locale: string): T[] {
  return options.sort((a, b) => a.label.localeCompare(b.label, locale));
}

/** Refusals stand out; failed and locked-out sign-ins are worth a look. */
function actionTone(action: string): BadgeTone {
  if (action === "authz.denied") return "red";
  if (action === "auth.sign_in_failed" || action === "auth.lockout") return "amber";
  return "gray";
}

/**
 * The entity by name, linked when the reader may open it; the raw id stays beside it (and in the tooltip) for
 * support, unless the id is the name (refused actions, pages).
 */
function EntityCell({ row, typeLabel }: { row: AuditLogRow; typeLabel: string }) {
  const { entity, entityId } = row;
  return (
    <div className="min-w-0">
      <span className="text-xs text-gray-500">{typeLabel}</span>
      {entity ? (
        <>
          {" "}
          {entity.href ? (
            <Link
              href={entity.href}
              prefetch={false}
              title={entityId ?? undefined}
              className="font-medium text-brand-700 hover:underline"
            >
              {entity.name}
            </Link>
          ) : (
            <span title={entityId ?? undefined} className="font-medium text-gray-900">
              {entity.name}
            </span>
          )}
          {entityId !== null && entityId !== entity.name ? (
            <code className="block text-xs text-gray-400">{entityId}</code>
          ) : null}
        </>
      ) : entityId !== null ? (
        <code className="ml-1 text-xs text-gray-500">{entityId}</code>
      ) : null}
    </div>
  );
}

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
  totalIsEstimate,
  query,
  facets,
}: {
  rows: AuditLogRow[];
  total: number;
  /** `total` is a lower bound ("10,000+"): the log counts at most so many events. */
  totalIsEstimate: boolean;
  query: AuditListQuery;
  facets: { actions: string[]; entityTypes: string[] };
}) {
  const { t, locale, formatDateTime } = useI18n();
  const actionLabel = useActionLabel();
  const entityTypeLabel = useEntityTypeLabel();
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
            row.original.actorType === "USER" ? (
              row.original.actorLabel
            ) : (
              <span className="text-gray-500">{auditActorText(t, row.original)}</span>
            ),
        }),
        column.accessor("action", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("audit.action")} />,
          cell: ({ row }) => (
            <span title={row.original.action}>
              <Badge tone={actionTone(row.original.action)}>{actionLabel(row.original.action)}</Badge>
            </span>
          ),
        }),
        column.accessor("entityType", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("audit.entity")} />,
          cell: ({ row }) => (
            <EntityCell row={row.original} typeLabel={entityTypeLabel(row.original.entityType)} />
          ),
        }),
        column.accessor("ip", {
          header: t("audit.ip"),
          enableSorting: false,
          cell: ({ row }) => (
            <code className="text-xs" title={row.original.userAgent ?? undefined}>
              {row.original.ip ?? "—"}
            </code>
          ),
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
    [t, formatDateTime, actionLabel, entityTypeLabel, expanded],
  );

  return (
    <DataTable
      label={t("audit.title")}
      columns={columns}
      rows={rows}
      rowCount={total}
      rowCountIsEstimate={totalIsEstimate}
      query={query}
      getRowId={(row) => row.id}
      expandedRowId={expanded}
      renderExpanded={(row) => <ChangeSet before={row.before} after={row.after} />}
      toolbar={
        <DataTableToolbar
          searchLabel={t("common.search")}
          filterKeys={["action", "entityType", "from", "to", "actor", "entityId"]}
          actions={<AuditExportButton />}
        >
          <DataTableSelectFilter
            param="action"
            label={t("audit.filterAction")}
            options={byLabel(
              facets.actions.map((a) => ({ value: a, label: actionLabel(a) })),
              locale,
            )}
          />
          <DataTableSelectFilter
            param="entityType"
            label={t("audit.filterEntity")}
            options={byLabel(
              facets.entityTypes.map((e) => ({ value: e, label: entityTypeLabel(e) })),
              locale,
            )}
          />
          <DataTableDateRangeFilter
            label={t("audit.when")}
            from={{ param: "from", label: t("audit.filterFrom") }}
            to={{ param: "to", label: t("audit.filterTo") }}
          />
        </DataTableToolbar>
      }
    />
  );
}
