import { formatFen } from "@/lib/format/money";
import { getI18n } from "@/lib/i18n/server";
import type { PayoutTotals as Totals } from "@/lib/payouts/types";

const LINE = "rounded-md bg-gray-50 px-3 py-2 text-sm text-gray-700 ring-1 ring-gray-200 ring-inset";

/**
 * The filtered view's count and amount (a server component). The page renders it inside a Suspense boundary
 * keyed by the filters: the exact figures read every matching row, and the table never waits for them.
 */
export async function PayoutTotals({ totals }: { totals: Promise<Totals> }) {
  const [{ count, amountFen }, { t, locale }] = await Promise.all([totals, getI18n()]);
  return (
    <p className={LINE} data-testid="payout-totals" aria-live="polite">
      {t("payouts.history.totals", { count: count.toLocaleString(locale), amount: formatFen(amountFen) })}
    </p>
  );
}

export async function PayoutTotalsFallback() {
  const { t } = await getI18n();
  return (
    <p className={`${LINE} animate-pulse text-gray-500`} aria-busy="true">
      {t("payouts.history.totalsLoading")}
    </p>
  );
}
