"use client";

import { useDataTableUrl } from "@/components/data-table/use-url-state";
import { Button } from "@/components/ui/button";
import { useI18n } from "@/lib/i18n/client";

/** Paging is not part of what is exported: the download holds every row the filters match. */
const NOT_FILTERS = new Set(["page", "pageSize"]);

/**
 * Downloads the filtered view as CSV. A plain GET form rather than a link: the browser saves the attachment
 * and stays on the page, and nothing prefetches (and so runs) the export ahead of a click.
 */
export function AuditExportButton() {
  const { t } = useI18n();
  const { params } = useDataTableUrl();
  const filters = [...params].filter(([name]) => !NOT_FILTERS.has(name));
  return (
    <form method="get" action="/api/audit/export">
      {filters.map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" variant="secondary">
        {t("audit.exportCsv")}
      </Button>
    </form>
  );
}
