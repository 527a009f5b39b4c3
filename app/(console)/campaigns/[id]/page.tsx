import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { BudgetTracker } from "@/components/campaigns/budget-tracker";
import { LazyBurnDownChart } from "@/components/campaigns/lazy-burn-down-chart";
import { CampaignActions } from "@/components/campaigns/campaign-actions";
import { CampaignActivity } from "@/components/campaigns/campaign-activity";
import { CampaignStatusBadge } from "@/components/campaigns/campaign-status-badge";
import { RefreshOnArrival } from "@/components/campaigns/refresh-on-arrival";
import { WindowProgress } from "@/components/campaigns/window-progress";
import { FundingPanel } from "@/components/fund-coupon/funding-panel";
import { PayoutTotals, PayoutTotalsFallback } from "@/components/payouts/payout-totals";
import { PayoutsTable } from "@/components/payouts/payouts-table";
import { SendPayoutDialog } from "@/components/payouts/send-payout-dialog";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { FactList } from "@/components/ui/fact-list";
import { CopyableId } from "@/components/ui/copyable-id";
import { roleHasPermission } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { getCampaignDetail } from "@/lib/campaigns/queries";
import { ACTION_PERMISSION, allowedActions } from "@/lib/campaigns/status";
import { formatDateTime } from "@/lib/format/date";
import { formatFen } from "@/lib/format/money";
import { fundingSummary } from "@/lib/fund-coupon/queries";
import { orNotFound } from "@/lib/http/not-found";
import { getI18n } from "@/lib/i18n/server";
import { listPayouts, payoutTotals } from "@/lib/payouts/queries";
import { hasPayoutFilters, payoutTotalsKey } from "@/lib/payouts/view";
import { payoutListQuerySchema } from "@/lib/validation/payouts";
import { getSendContext } from "@/lib/payouts/send-context";
import { firstValues } from "@/lib/validation/list-query";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: `${t("campaigns.title")} ${(await params).id.slice(-6)}` };
}

function Notice({
  tone,
  children,
  testId,
}: {
  tone: "red" | "amber" | "blue" | "gray";
  children: React.ReactNode;
  testId?: string;
}) {
  const classes = {
    red: "bg-red-50 text-red-800 ring-red-200",
    amber: "bg-amber-50 text-amber-900 ring-amber-200",
    blue: "bg-blue-50 text-blue-800 ring-blue-200",
    gray: "bg-gray-50 text-gray-700 ring-gray-200",
  }[tone];
  return (
    <p className={`rounded-md px-4 py-3 text-sm ring-1 ${classes}`} data-testid={testId}>
      {children}
    </p>
  );
}

/** Alipay's long ids: shortened, with a copy button and a tooltip saying what they are for. */
function copyableOrDash(value: string | null, label: string, description: string) {
  return value ? <CopyableId value={value} label={label} description={description} /> : "—";
}

export default async function CampaignPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const { id } = await params;
  const actor = await requirePagePermission("campaign:read", `/campaigns/${id}`);
  const query = firstValues(await searchParams);
  const { t, timeZone } = await getI18n();
  const campaign = await orNotFound(getCampaignDetail(actor, id));
  const now = new Date();
  const payUrlExpired = campaign.payUrlExpiresAt !== null && new Date(campaign.payUrlExpiresAt) <= now;
  const actions = allowedActions(campaign.status, campaign.rail)
    .filter((action) => roleHasPermission(actor.role, ACTION_PERMISSION[action]))
    .filter((action) => action !== "pay" || (campaign.payUrl !== null && !payUrlExpired));
  const chartStart = campaign.startsAt ?? campaign.createdAt;
  // The campaign's payouts: the history's table, scoped, with its page, sort and filters in this page's URL.
  const payoutQuery = payoutListQuerySchema(timeZone).parse(query);
  const payoutScope = { campaignId: campaign.id };
  const payouts = await listPayouts(actor, payoutQuery, payoutScope);
  const noPayouts = payouts.total === 0 && !hasPayoutFilters(payoutQuery);
  const sendContext = roleHasPermission(actor.role, "payout:request")
    ? await getSendContext(actor, id)
    : null;
  // A fund-coupon campaign's budget is its red-packet orders: their figures and list replace the budget card.
  const funding = campaign.rail === "FUND_COUPON" ? await fundingSummary(actor, id) : null;
  const cash = campaign.rail === "CASH_CAMPAIGN";
  // Alipay's campaign numbers: only the cash campaign has an Alipay campaign.
  const cashCampaignKeys = [
    [
      t("campaigns.detail.crowdNo"),
      copyableOrDash(campaign.crowdNo, t("campaigns.crowdNo.name"), t("campaigns.crowdNo.help")),
    ],
    [
      t("campaigns.detail.originCrowdNo"),
      copyableOrDash(
        campaign.originCrowdNo,
        t("campaigns.detail.originCrowdNo"),
        t("campaigns.originCrowdNo.help"),
      ),
    ],
  ] as const;

  return (
    <div className="space-y-6">
      <Link href="/campaigns" className="text-sm text-gray-500 hover:text-gray-700">
        ← {t("campaigns.detail.back")}
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight text-gray-900">{campaign.name}</h1>
            <CampaignStatusBadge status={campaign.status} alipayStatus={campaign.alipayStatus} />
          </div>
          <p className="mt-1 text-sm text-gray-500">
            {t(`campaigns.rail.${campaign.rail}`)} · {t(`campaigns.scene.${campaign.defaultScene}`)} ·{" "}
            {campaign.prizeMessage}
          </p>
        </div>
        <div className="flex flex-wrap items-start justify-end gap-2">
          {sendContext?.canSend && roleHasPermission(actor.role, "batch:create") ? (
            <ButtonLink href={`/batches/new?campaign=${campaign.id}`} variant="secondary">
              {t("batches.new.fromCampaign")}
            </ButtonLink>
          ) : null}
          {sendContext?.canSend ? (
            <SendPayoutDialog context={sendContext} campaignName={campaign.name} />
          ) : null}
          <CampaignActions campaignId={campaign.id} actions={actions} payUrl={campaign.payUrl} />
        </div>
      </div>

      <div className="space-y-3">
        {query.funded && campaign.status === "AWAITING_FUNDING" && actions.includes("refresh") ? (
          <>
            <RefreshOnArrival campaignId={campaign.id} />
            <Notice tone="blue">{t("campaigns.detail.checkingPayment")}</Notice>
          </>
        ) : query.funded && campaign.funded ? (
          <Notice tone="blue">{t("campaigns.detail.justFunded")}</Notice>
        ) : null}
        {campaign.status === "AWAITING_FUNDING" && !cash ? (
          <Notice tone="amber" testId="funding-notice">
            {t("campaigns.detail.fundCouponAwaiting")}
          </Notice>
        ) : null}
        {campaign.status === "AWAITING_FUNDING" && cash ? (
          <Notice tone="amber" testId="funding-notice">
            {t("campaigns.detail.payHint")}{" "}
            {campaign.payUrl === null
              ? t("campaigns.detail.payUrlMissing")
              : payUrlExpired
                ? t("campaigns.detail.payUrlExpired", {
                    time: formatDateTime(campaign.payUrlExpiresAt ?? now, timeZone),
                  })
                : campaign.payUrlExpiresAt
                  ? t("campaigns.detail.payUrlExpires", {
                      time: formatDateTime(campaign.payUrlExpiresAt, timeZone),
                    })
                  : null}
          </Notice>
        ) : null}
        {campaign.status === "FAILED" ? (
          <Notice tone="red" testId="failure-notice">
            {campaign.failureCode === "NOT_CREATED"
              ? t("campaigns.detail.notCreated")
              : t("campaigns.detail.failed", {
                  reason: [campaign.failureMessage, campaign.failureCode].filter(Boolean).join(" · "),
                })}
          </Notice>
        ) : null}
        {campaign.status === "UNKNOWN" ? <Notice tone="amber">{t("campaigns.detail.unknown")}</Notice> : null}
        {campaign.status === "CLOSED" ? (
          <Notice tone="gray">
            {campaign.funded ? t("campaigns.detail.closedNote") : t("campaigns.detail.closedUnpaidNote")}
          </Notice>
        ) : null}
        {campaign.budgetMismatchAt ? (
          <Notice tone="red">
            {t("campaigns.detail.budgetMismatch", {
              time: formatDateTime(campaign.budgetMismatchAt, timeZone),
            })}
          </Notice>
        ) : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {funding ? (
            <FundingPanel
              campaignId={campaign.id}
              campaignName={campaign.name}
              summary={funding}
              canFund={roleHasPermission(actor.role, "campaign:fund")}
              canAddFunds={["AWAITING_FUNDING", "ACTIVE", "PAUSED"].includes(campaign.status)}
            />
          ) : (
            <BudgetTracker campaign={campaign} />
          )}
          <Card>
            <CardHeader title={t("campaigns.detail.burnDown")} />
            <CardContent>
              {campaign.snapshots.length === 0 ? (
                <p className="text-sm text-gray-500">{t("campaigns.detail.burnDownEmpty")}</p>
              ) : (
                <LazyBurnDownChart
                  budgetFen={campaign.budgetFen}
                  startsAt={chartStart}
                  endsAt={campaign.endsAt}
                  snapshots={campaign.snapshots}
                />
              )}
            </CardContent>
          </Card>
        </div>
        <div className="space-y-6">
          <Card>
            <CardHeader title={t("campaigns.detail.window")} />
            <CardContent>
              <WindowProgress startsAt={campaign.startsAt} endsAt={campaign.endsAt} now={now.toISOString()} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader title={t("campaigns.detail.settings")} />
            <CardContent>
              <FactList
                facts={[
                  ...(cash
                    ? [
                        [
                          t("campaigns.form.prizeType"),
                          t(`campaigns.prizeType.${campaign.prizeType}`),
                        ] as const,
                        [t("campaigns.form.packetCount"), String(campaign.packetCount)] as const,
                      ]
                    : [
                        [
                          t("campaigns.detail.maxPacket"),
                          campaign.maxPacketFen === null ? "—" : formatFen(campaign.maxPacketFen),
                        ] as const,
                        [
                          t("campaigns.detail.dailyAmountPerUser"),
                          campaign.dailyAmountPerUserFen === null
                            ? t("campaigns.detail.noDailyAmountCap")
                            : formatFen(campaign.dailyAmountPerUserFen),
                        ] as const,
                      ]),
                  [
                    t("campaigns.detail.frequency"),
                    cash
                      ? campaign.frequency
                      : [
                          t("campaigns.detail.perRecipient", { count: campaign.frequencyLifetime }),
                          campaign.frequencyPeriod && campaign.frequencyPeriodLimit
                            ? `${t(`campaigns.form.period.${campaign.frequencyPeriod}`)} ${campaign.frequencyPeriodLimit}`
                            : null,
                        ]
                          .filter(Boolean)
                          .join(" · "),
                  ],
                  [
                    t("campaigns.detail.autoApprove"),
                    campaign.autoApproveMaxFen > 0
                      ? t("campaigns.detail.autoApproveValue", {
                          max: formatFen(campaign.autoApproveMaxFen),
                          cap: formatFen(campaign.autoApproveDailyCapFen),
                        })
                      : t("campaigns.detail.autoApproveNone"),
                  ],
                  ...(cash ? cashCampaignKeys : []),
                  [
                    t("campaigns.detail.createdBy"),
                    `${campaign.createdBy} · ${formatDateTime(campaign.createdAt, timeZone)}`,
                  ],
                ]}
              />
            </CardContent>
          </Card>
          <Card>
            <CardHeader title={t("campaigns.detail.auditTrail")} />
            <CardContent>
              <CampaignActivity events={campaign.activity} />
            </CardContent>
          </Card>
        </div>
      </div>

      <section className="space-y-3" aria-labelledby="campaign-payouts">
        <h2 id="campaign-payouts" className="text-base font-semibold text-gray-900">
          {t("payouts.title")}
        </h2>
        <PayoutsTable
          rows={payouts.rows}
          total={payouts.total}
          totalIsEstimate={payouts.totalIsEstimate}
          query={{ ...payoutQuery, page: payouts.page }}
          campaignId={campaign.id}
          canExport={roleHasPermission(actor.role, "payout:export")}
          empty={noPayouts}
          totals={
            noPayouts ? null : (
              <Suspense key={payoutTotalsKey(payoutQuery)} fallback={<PayoutTotalsFallback />}>
                <PayoutTotals totals={payoutTotals(actor, payoutQuery, payoutScope)} />
              </Suspense>
            )
          }
        />
      </section>
    </div>
  );
}
