import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePagePermission } from "@/lib/auth/session";
import { getCampaignDetail } from "@/lib/campaigns/queries";
import { formatFen } from "@/lib/format/money";
import { confirmFundReturn } from "@/lib/fund-coupon/page-return";
import { orNotFound } from "@/lib/http/not-found";
import { getI18n } from "@/lib/i18n/server";
import { firstValues } from "@/lib/validation/list-query";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("campaigns.fundReturn.title") };
}

/**
 * Where Alipay's PC cashier sends the payer back after paying a fund-coupon campaign's red-packet order (the
 * return_url fundCampaignAction gave startPagePay): paid, still waiting for Alipay's confirmation, or refused,
 * with a link back to the campaign.
 */
export default async function FundReturnPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const { id } = await params;
  const query = firstValues(await searchParams);
  const actor = await requirePagePermission("campaign:fund", `/campaigns/${id}/fund-return`);
  const campaign = await orNotFound(getCampaignDetail(actor, id));
  const { t } = await getI18n();
  const view = await confirmFundReturn(actor, campaign.id, query);
  const message =
    view.outcome === "paid"
      ? t("campaigns.fundReturn.paid", { amount: formatFen(view.amountFen) })
      : view.outcome === "refused"
        ? t("campaigns.fundReturn.refused", { reason: view.reason ? t(view.reason) : "—" })
        : t("campaigns.fundReturn.waiting");
  return (
    <EmptyState
      title={t("campaigns.fundReturn.title")}
      description={<span data-testid="fund-return-result">{message}</span>}
      action={
        <Link
          href={`/campaigns/${campaign.id}`}
          className="text-sm font-medium text-brand-700 hover:underline"
        >
          ← {t("campaigns.fundReturn.back")}
        </Link>
      }
    />
  );
}
