"use client";

import { useDataTableUrl } from "@/components/data-table/use-url-state";
import { Button } from "@/components/ui/button";
import { useI18n } from "@/lib/i18n/client";
import { PAYOUT_FILTER_PARAMS } from "@/lib/payouts/view";

/** What the export takes from the URL: the filters, the search and the sort (paging is not part of it). */
const EXPORTED = new Set<string>([...PAYOUT_FILTER_PARAMS, "q", "sort"]);

/**
 * Downloads the filtered history as CSV. A plain GET form rather than a link: the browser saves the attachment
 * and stays on the page, and nothing prefetches (and so runs) the export ahead of a click. On a campaign's page
 * the table is scoped to that campaign, and so is the download.
 */
export function PayoutsExportButton({ campaignId }: { campaignId?: string }) {
  const { t } = useI18n();
  const { params } = useDataTableUrl();
  const filters = [...params].filter(([name]) => EXPORTED.has(name) && !(campaignId && name === "campaign"));
  return (
    <form method="get" action="/api/payouts/export">
      {filters.map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {campaignId ? <input type="hidden" name="campaign" value={campaignId} /> : null}
      <Button type="submit" variant="secondary">
        {t("payouts.history.exportCsv")}
      </Button>
    </form>
  );
}
