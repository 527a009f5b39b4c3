import type { Metadata } from "next";
import { Suspense } from "react";
import { PayoutTotals, PayoutTotalsFallback } from "@/components/payouts/payout-totals";
import { PayoutsTable } from "@/components/payouts/payouts-table";
import { PageHeader } from "@/components/ui/page-header";
import { roleHasPermission } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { getI18n } from "@/lib/i18n/server";
import { listCampaignOptions, listPayouts, payoutTotals } from "@/lib/payouts/queries";
import { hasPayoutFilters, payoutTotalsKey } from "@/lib/payouts/view";
import { firstValues } from "@/lib/validation/list-query";
import { payoutListQuerySchema } from "@/lib/validation/payouts";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("payouts.title") };
}

export default async function PayoutsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const actor = await requirePagePermission("payout:read", "/payouts");
  const { t, timeZone } = await getI18n();
  const query = payoutListQuerySchema(timeZone).parse(firstValues(await searchParams));
  const [{ rows, total, totalIsEstimate, page }, campaigns] = await Promise.all([
    listPayouts(actor, query),
    listCampaignOptions(actor, query.campaign),
  ]);
  const empty = total === 0 && !hasPayoutFilters(query);
  return (
    <>
      <PageHeader title={t("payouts.title")} description={t("payouts.history.description")} />
      <PayoutsTable
        rows={rows}
        total={total}
        totalIsEstimate={totalIsEstimate}
        query={{ ...query, page }}
        campaigns={campaigns}
        canExport={roleHasPermission(actor.role, "payout:export")}
        empty={empty}
        totals={
          empty ? null : (
            <Suspense key={payoutTotalsKey(query)} fallback={<PayoutTotalsFallback />}>
              <PayoutTotals totals={payoutTotals(actor, query)} />
            </Suspense>
          )
        }
      />
    </>
  );
}
