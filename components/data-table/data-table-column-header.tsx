"use client";

import type { Column, RowData } from "@tanstack/react-table";
import { useI18n } from "@/lib/i18n/client";
import type { DataTableFeatures } from "./data-table";

/** A column title that sorts the (server-side) table when clicked. */
export function DataTableColumnHeader<Row extends RowData, Value>({
  column,
  title,
}: {
  column: Column<DataTableFeatures, Row, Value>;
  title: string;
}) {
  const { t } = useI18n();
  if (!column.getCanSort()) return <span>{title}</span>;
  const sorted = column.getIsSorted();
  return (
    <button
      type="button"
      onClick={() => column.toggleSorting(sorted === "asc")}
      className="-mx-1 inline-flex items-center gap-1 rounded px-1 hover:bg-gray-200/60 hover:text-gray-900"
      aria-label={t("table.sortBy", { column: title })}
    >
      {title}
      <span aria-hidden="true" className="text-xs text-gray-400">
        {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
      </span>
    </button>
  );
}
