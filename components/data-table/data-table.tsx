"use client";

import {
  columnVisibilityFeature,
  rowPaginationFeature,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type ColumnVisibilityState,
  type PaginationState,
  type RowSelectionState,
  type SortingState,
  type Updater,
  type RowData,
} from "@tanstack/react-table";
import { createContext, useState, type ReactNode } from "react";
import { cn } from "@/lib/cn";
import { useI18n } from "@/lib/i18n/client";
import { lastPage, type Sort } from "@/lib/validation/list-query";
import { DataTablePagination } from "./data-table-pagination";
import { UrlStateContext, useUrlState } from "./use-url-state";

/** Server-side sorting and pagination: the table only renders the page the server sent. */
export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  rowPaginationFeature,
  columnVisibilityFeature,
  rowSelectionFeature,
});
export type DataTableFeatures = typeof dataTableFeatures;

/**
 * Row selection kept by the feature table (bulk actions): the selected row ids, and which rows may be selected
 * at all. Columns render the checkboxes with the rows' own selection API (`row.getToggleSelectedHandler()`).
 */
export type RowSelectionControl<Row> = {
  selected: RowSelectionState;
  onChange: (next: RowSelectionState) => void;
  canSelect?: (row: Row) => boolean;
};

const NO_SELECTION: RowSelectionState = {};

/** Which columns the reader has hidden (kept while they page and filter), for <DataTableColumnToggle>. */
export type ColumnVisibilityControl = {
  isVisible: (columnId: string) => boolean;
  setVisible: (columnId: string, visible: boolean) => void;
};
export const ColumnVisibilityContext = createContext<ColumnVisibilityControl | null>(null);

function resolve<T>(updater: Updater<T>, current: T): T {
  return typeof updater === "function" ? (updater as (old: T) => T)(current) : updater;
}

export type DataTableProps<Row extends RowData> = {
  /** Accessible name of the table, e.g. "Users". */
  label: string;
  columns: ColumnDef<DataTableFeatures, Row, unknown>[];
  rows: Row[];
  rowCount: number;
  /** `rowCount` is a lower bound (a bounded count): shown as "10,000+", and "next" stays available. */
  rowCountIsEstimate?: boolean;
  /** The page, page size and sort the server used (from the URL). */
  query: { page: number; pageSize: number; sort: Sort<string> };
  getRowId: (row: Row) => string;
  toolbar?: ReactNode;
  /** Shown under a row when it is expanded (e.g. audit before/after). */
  renderExpanded?: (row: Row) => ReactNode;
  expandedRowId?: string | null;
  /** Shown between the toolbar and the table (e.g. totals of the filtered view). */
  summary?: ReactNode;
  /** Columns hidden until the reader shows them (column id → false). */
  initialColumnVisibility?: ColumnVisibilityState;
  /** Rows can be selected (checkbox column) for bulk actions. */
  selection?: RowSelectionControl<Row>;
  /** `data-testid` of every body row, so browser tests can find a row by what it shows. */
  rowTestId?: string;
};

export function DataTable<Row extends RowData>({
  label,
  columns,
  rows,
  rowCount,
  query,
  getRowId,
  toolbar,
  renderExpanded,
  expandedRowId,
  rowCountIsEstimate = false,
  summary,
  initialColumnVisibility,
  selection,
  rowTestId,
}: DataTableProps<Row>) {
  const { pageSize, sort } = query;
  const pageCount = lastPage(rowCount, pageSize);
  // The server shows the last page for a page past the end (findPage): the controls must say so too.
  const page = Math.min(query.page, pageCount);
  const urlState = useUrlState();
  const { t } = useI18n();
  const sorting: SortingState = [{ id: sort.field, desc: sort.direction === "desc" }];
  const pagination: PaginationState = { pageIndex: page - 1, pageSize };
  const [columnVisibility, setColumnVisibility] = useState<ColumnVisibilityState>(
    () => initialColumnVisibility ?? {},
  );
  const visibility: ColumnVisibilityControl = {
    isVisible: (columnId) => columnVisibility[columnId] !== false,
    setVisible: (columnId, visible) => setColumnVisibility((old) => ({ ...old, [columnId]: visible })),
  };

  const table = useTable({
    features: dataTableFeatures,
    columns,
    data: rows,
    getRowId,
    rowCount,
    manualSorting: true,
    manualPagination: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    state: { sorting, pagination, columnVisibility, rowSelection: selection?.selected ?? NO_SELECTION },
    enableRowSelection: selection ? (row) => selection.canSelect?.(row.original) ?? true : false,
    onRowSelectionChange: (updater) => selection?.onChange(resolve(updater, selection.selected)),
    onColumnVisibilityChange: (updater) => setColumnVisibility((old) => resolve(updater, old)),
    onSortingChange: (updater) => {
      const next = resolve(updater, sorting)[0];
      if (next) urlState.update({ sort: `${next.id}.${next.desc ? "desc" : "asc"}` });
    },
    onPaginationChange: (updater) => {
      const next = resolve(updater, pagination);
      urlState.update(
        next.pageSize !== pageSize ? { pageSize: next.pageSize } : { page: next.pageIndex + 1 },
      );
    },
  });

  const visibleColumnCount = table.getVisibleLeafColumns().length;

  return (
    <UrlStateContext.Provider value={urlState}>
      <ColumnVisibilityContext.Provider value={visibility}>
        <div className="space-y-3">
          {toolbar}
          {summary}
          {/* `relative`: visually hidden (absolute) cell text would otherwise escape the scroll box and widen the page. */}
          <div
            className={cn(
              "relative overflow-x-auto rounded-lg bg-white shadow-xs ring-1 ring-gray-200 transition-opacity",
              urlState.pending && "opacity-60",
            )}
            aria-busy={urlState.pending || undefined}
          >
            <table aria-label={label} className="min-w-full divide-y divide-gray-200 text-sm">
              <thead className="bg-gray-50">
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => (
                      <th
                        key={header.id}
                        scope="col"
                        aria-sort={
                          header.column.getIsSorted() === "asc"
                            ? "ascending"
                            : header.column.getIsSorted() === "desc"
                              ? "descending"
                              : undefined
                        }
                        className="px-4 py-2.5 text-left font-medium whitespace-nowrap text-gray-600"
                      >
                        {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                      </th>
                    ))}
                  </tr>
                ))}
              </thead>
              <tbody className="divide-y divide-gray-100">
                {rows.length === 0 ? (
                  <tr>
                    <td colSpan={visibleColumnCount} className="px-4 py-12 text-center text-gray-500">
                      {t("table.empty")}
                    </td>
                  </tr>
                ) : (
                  table.getRowModel().rows.flatMap((row) => {
                    const expanded = renderExpanded && expandedRowId === row.id;
                    const cells = (
                      <tr
                        key={row.id}
                        data-testid={rowTestId}
                        className={cn("hover:bg-gray-50", row.getIsSelected() && "bg-brand-50/60")}
                        aria-selected={selection ? row.getIsSelected() : undefined}
                      >
                        {row.getVisibleCells().map((cell) => (
                          <td key={cell.id} className="px-4 py-2.5 align-top text-gray-800">
                            <table.FlexRender cell={cell} />
                          </td>
                        ))}
                      </tr>
                    );
                    if (!expanded) return [cells];
                    return [
                      cells,
                      <tr key={`${row.id}-expanded`} className="bg-gray-50">
                        <td colSpan={visibleColumnCount} className="px-4 py-3">
                          {renderExpanded(row.original)}
                        </td>
                      </tr>,
                    ];
                  })
                )}
              </tbody>
            </table>
          </div>
          <DataTablePagination
            page={page}
            pageCount={pageCount}
            pageSize={pageSize}
            rowCount={rowCount}
            rowCountIsEstimate={rowCountIsEstimate}
            onPage={(next) => table.setPageIndex(next - 1)}
            onPageSize={(size) => table.setPageSize(size)}
          />
        </div>
      </ColumnVisibilityContext.Provider>
    </UrlStateContext.Provider>
  );
}
