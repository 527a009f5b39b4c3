"use client";

import Link from "next/link";
import { useDataTableUrl } from "@/components/data-table/use-url-state";
import { Icons } from "@/components/ui/icons";
import { useI18n } from "@/lib/i18n/client";

/**
 * The history narrowed to one batch's rows (`?batch=…`, from the batch's page): there is no select for it, so
 * it shows as a chip naming the batch (a link back to it) with a button that removes it.
 */
export function PayoutBatchFilter() {
  const { t } = useI18n();
  const { params, update } = useDataTableUrl();
  const batchId = params.get("batch");
  if (!batchId) return null;
  return (
    <span
      className="inline-flex h-9 items-center gap-1 rounded-md bg-brand-50 pr-1 pl-3 text-sm text-brand-800 ring-1 ring-brand-200 ring-inset"
      data-testid="payouts-batch-filter"
    >
      <span className="text-brand-700">{t("payouts.history.filter.batch")}:</span>
      <Link
        href={`/batches/${batchId}`}
        className="max-w-40 truncate font-mono text-xs hover:underline"
        title={batchId}
        translate="no"
      >
        {batchId}
      </Link>
      <button
        type="button"
        onClick={() => update({ batch: null })}
        aria-label={t("payouts.history.filter.batchRemove")}
        title={t("payouts.history.filter.batchRemove")}
        className="rounded p-1 text-brand-700 hover:bg-brand-100"
      >
        <Icons.close width={14} height={14} />
      </button>
    </span>
  );
}
