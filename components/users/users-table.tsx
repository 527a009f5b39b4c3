"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable, type DataTableFeatures } from "@/components/data-table/data-table";
import { DataTableColumnHeader } from "@/components/data-table/data-table-column-header";
import { DataTableSelectFilter, DataTableToolbar } from "@/components/data-table/data-table-toolbar";
import { Badge } from "@/components/ui/badge";
import { ROLES } from "@/lib/auth/permissions";
import { useI18n } from "@/lib/i18n/client";
import type { UserRow } from "@/lib/users/types";
import type { UsersListQuery } from "@/lib/validation/users";
import { CreateUserDialog } from "./create-user-dialog";
import { UserRowActions } from "./user-row-actions";

const column = createColumnHelper<DataTableFeatures, UserRow>();

function useUserColumns(currentUserId: string) {
  const { t, formatDateTime } = useI18n();
  return useMemo(
    () =>
      column.columns([
        column.accessor("email", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("users.email")} />,
          cell: ({ row }) => (
            <span className="font-medium text-gray-900">
              {row.original.email}
              {row.original.id === currentUserId ? (
                <span className="text-gray-500">{t("users.you")}</span>
              ) : null}
            </span>
          ),
        }),
        column.accessor("name", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("users.name")} />,
        }),
        column.accessor("role", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("users.role")} />,
          cell: ({ row }) => <Badge tone="blue">{t(`role.${row.original.role}`)}</Badge>,
        }),
        column.accessor("active", {
          header: t("users.status"),
          enableSorting: false,
          cell: ({ row }) =>
            row.original.active ? (
              <Badge tone="green">{t("users.statusActive")}</Badge>
            ) : (
              <Badge tone="red">{t("users.statusDisabled")}</Badge>
            ),
        }),
        column.accessor("createdAt", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("users.createdAt")} />,
          cell: ({ row }) => <span className="tabular">{formatDateTime(row.original.createdAt)}</span>,
        }),
        column.accessor("lastLoginAt", {
          header: ({ column: c }) => <DataTableColumnHeader column={c} title={t("users.lastLoginAt")} />,
          cell: ({ row }) =>
            row.original.lastLoginAt ? (
              <span className="tabular">{formatDateTime(row.original.lastLoginAt)}</span>
            ) : (
              <span className="text-gray-400">—</span>
            ),
        }),
        column.display({
          id: "actions",
          header: () => <span className="sr-only">{t("common.actions")}</span>,
          cell: ({ row }) =>
            row.original.id === currentUserId ? null : <UserRowActions user={row.original} />,
        }),
      ]),
    [t, formatDateTime, currentUserId],
  );
}

export function UsersTable({
  rows,
  total,
  query,
  currentUserId,
}: {
  rows: UserRow[];
  total: number;
  query: UsersListQuery;
  currentUserId: string;
}) {
  const { t } = useI18n();
  const columns = useUserColumns(currentUserId);
  return (
    <DataTable
      label={t("users.title")}
      columns={columns}
      rows={rows}
      rowCount={total}
      query={query}
      getRowId={(row) => row.id}
      toolbar={
        <DataTableToolbar
          searchLabel={t("users.searchPlaceholder")}
          filterKeys={["role", "status"]}
          actions={<CreateUserDialog />}
        >
          <DataTableSelectFilter
            param="role"
            label={t("users.role")}
            options={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))}
          />
          <DataTableSelectFilter
            param="status"
            label={t("users.status")}
            options={[
              { value: "active", label: t("users.statusActive") },
              { value: "disabled", label: t("users.statusDisabled") },
            ]}
          />
        </DataTableToolbar>
      }
    />
  );
}
