"use client";

import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import type { CampaignDetailView } from "@/lib/campaigns/types";
import { formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";

/** One labelled figure of a campaign's money (the budget tracker's and the funding panel's). */
export function Figure({
  label,
  value,
  emphasis,
  note,
  testId,
}: {
  label: string;
  value: string;
  emphasis?: boolean;
  /** A line under the figure explaining it (e.g. why nothing is available yet). */
  note?: string;
  testId: string;
}) {
  return (
    <div>
      <dt className="text-xs font-medium text-gray-500">{label}</dt>
      <dd
        className={
          emphasis
            ? "mt-1 text-2xl font-semibold text-gray-900 tabular"
            : "mt-1 text-lg text-gray-900 tabular"
        }
        data-testid={testId}
      >
        {value}
      </dd>
      {note ? (
        <dd className="mt-0.5 text-xs text-gray-500" data-testid={`${testId}-note`}>
          {note}
        </dd>
      ) : null}
    </div>
  );
}

/**
 * Budget, reserved, spent, (refunded,) available and packets; Alipay's own `send_amount` beside the console's
 * spent figure, with a warning when they drift apart. Until the budget is paid nothing is available: the budget
 * is a plan, and the tracker says so. On the rails that take each packet's amount from the request (TRANSFER;
 * FUND_COUPON shows its funding panel instead) it shows the per-packet limits instead of packets and Alipay's figure.
 */
export function BudgetTracker({ campaign }: { campaign: CampaignDetailView }) {
  const { t, formatDateTime } = useI18n();
  const used = campaign.spentFen + campaign.reservedFen;
  const drift = campaign.alipaySentFen === null ? null : campaign.alipaySentFen - campaign.spentFen;
  const remainingPackets = Math.max(0, campaign.packetCount - campaign.sentCount);
  // Only a cash campaign has a packet count and a figure at Alipay to compare with; the other rails size each
  // packet from its request (packetCount is 0) and are not synced.
  const cash = campaign.rail === "CASH_CAMPAIGN";
  const usedPercent = campaign.budgetFen > 0 ? Math.round((used / campaign.budgetFen) * 100) : 0;
  return (
    <Card data-testid="budget-tracker">
      <CardHeader
        title={t("campaigns.detail.budget")}
        description={
          !cash
            ? t(`campaigns.railHint.${campaign.rail}`)
            : campaign.lastSyncedAt
              ? t("campaigns.detail.lastSynced", { time: formatDateTime(campaign.lastSyncedAt) })
              : t("campaigns.detail.notSynced")
        }
      />
      <CardContent className="space-y-5">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Figure
            label={t("campaigns.detail.budget")}
            value={formatFen(campaign.budgetFen)}
            testId="budget-total"
          />
          <Figure
            label={t("campaigns.detail.reserved")}
            value={formatFen(campaign.reservedFen)}
            testId="budget-reserved"
          />
          <Figure
            label={t("campaigns.detail.spent")}
            value={formatFen(campaign.spentFen)}
            testId="budget-spent"
          />
          {campaign.refundedFen > 0 ? (
            <Figure
              label={t("campaigns.detail.refunded")}
              value={formatFen(campaign.refundedFen)}
              testId="budget-refunded"
            />
          ) : null}
          <Figure
            label={t("campaigns.detail.available")}
            value={formatFen(campaign.availableFen)}
            emphasis
            note={
              campaign.rail === "TRANSFER"
                ? t("campaigns.detail.merchantBalance")
                : campaign.funded
                  ? undefined
                  : `${t("campaigns.detail.awaitingFunding")} · ${t(
                      "campaigns.detail.availableAfterFunding",
                      {
                        amount: formatFen(campaign.budgetFen),
                      },
                    )}`
            }
            testId="budget-available"
          />
        </dl>
        <Progress
          value={used}
          max={campaign.budgetFen}
          label={t("campaigns.usedOfBudget", { percent: usedPercent })}
        />
        {cash ? (
          <p className="text-sm text-gray-600" data-testid="budget-packets">
            {t("campaigns.detail.packets")}:{" "}
            {t("campaigns.detail.packetsSent", {
              sent: campaign.sentCount,
              total: campaign.packetCount,
              remaining: remainingPackets,
            })}
          </p>
        ) : (
          <dl className="grid gap-4 sm:grid-cols-2" data-testid="budget-packet-limits">
            <Figure
              label={t("campaigns.detail.maxPacket")}
              value={campaign.maxPacketFen === null ? "—" : formatFen(campaign.maxPacketFen)}
              testId="budget-max-packet"
            />
            <Figure
              label={t("campaigns.detail.dailyAmountPerUser")}
              value={
                campaign.dailyAmountPerUserFen === null
                  ? t("campaigns.detail.noDailyAmountCap")
                  : formatFen(campaign.dailyAmountPerUserFen)
              }
              testId="budget-daily-amount"
            />
          </dl>
        )}
        {cash ? (
          <dl className="grid gap-4 rounded-md bg-gray-50 p-4 sm:grid-cols-2">
            <Figure
              label={t("campaigns.detail.ourSpent")}
              value={formatFen(campaign.spentFen)}
              testId="spent-console"
            />
            <Figure
              label={t("campaigns.detail.alipaySent")}
              value={campaign.alipaySentFen === null ? "—" : formatFen(campaign.alipaySentFen)}
              testId="spent-alipay"
            />
            <div className="sm:col-span-2" aria-live="polite">
              {drift === null ? (
                <p className="text-sm text-gray-500">{t("campaigns.detail.notSynced")}</p>
              ) : drift === 0 ? (
                <p className="text-sm text-green-700">{t("campaigns.detail.inSync")}</p>
              ) : (
                <p
                  className="rounded-md bg-amber-50 px-3 py-2 text-sm font-medium text-amber-800 ring-1 ring-amber-200"
                  data-testid="drift-warning"
                >
                  {t("campaigns.detail.drift", { amount: formatFen(Math.abs(drift)) })}
                </p>
              )}
            </div>
          </dl>
        ) : null}
        {campaign.lastSyncError ? (
          <p className="text-sm text-amber-700">
            {t("campaigns.detail.syncError", { error: campaign.lastSyncError })}
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}
