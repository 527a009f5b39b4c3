"use client";

import { Button } from "@/components/ui/button";
import { useI18n } from "@/lib/i18n/client";
import { PAGE_SIZES } from "@/lib/validation/list-query";

export function DataTablePagination({
  page,
  pageCount,
  pageSize,
  rowCount,
  rowCountIsEstimate = false,
  onPage,
  onPageSize,
}: {
  page: number;
  pageCount: number;
  pageSize: number;
  rowCount: number;
  /** `rowCount` is a lower bound: "10,000+ rows", "Page 3 of 500+", and "next" stays available. */
  rowCountIsEstimate?: boolean;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
}) {
  const { t, locale } = useI18n();
  const more = rowCountIsEstimate ? "+" : "";
  return (
    <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-3 text-sm text-gray-600">
      <p>
        {t("table.totalRows", {
          count: rowCountIsEstimate ? `${rowCount.toLocaleString(locale)}${more}` : rowCount,
        })}
      </p>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-3">
        <label className="flex items-center gap-2">
          {t("table.rowsPerPage")}
          <select
            value={pageSize}
            onChange={(e) => onPageSize(Number(e.target.value))}
            className="rounded-md border-0 py-1 pr-7 pl-2 ring-1 ring-gray-300"
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        {/* The page number stays beside the buttons that change it when the row wraps on a phone. */}
        <div className="flex items-center gap-3">
          <span aria-live="polite" className="whitespace-nowrap">
            {t("table.pageOf", { page, pages: `${pageCount}${more}` })}
          </span>
          <div className="flex gap-1">
            <Button
              variant="secondary"
              size="sm"
              onClick={() => onPage(1)}
              disabled={page <= 1}
              aria-label={t("table.firstPage")}
            >
              «
            </Button>
            <Button
              variant="secondary"
              size="sm"
              onClick={() => onPage(page - 1)}
              disabled={page <= 1}
              aria-label={t("table.previousPage")}
            >
              ‹
            </Button>
            <Button
              variant="secondary"
              size="sm"
              onClick={() => onPage(page + 1)}
              disabled={page >= pageCount && !rowCountIsEstimate}
              aria-label={t("table.nextPage")}
            >
              ›
            </Button>
            <Button
              variant="secondary"
              size="sm"
              onClick={() => onPage(pageCount)}
              disabled={page >= pageCount}
              aria-label={t("table.lastPage")}
            >
              »
            </Button>
          </div>
        </div>
      </div>
    </div>
  );
}
