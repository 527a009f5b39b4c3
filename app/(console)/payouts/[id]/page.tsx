import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { PayoutActions } from "@/components/payouts/payout-actions";
import { PayoutStatusBadge } from "@/components/payouts/payout-status-badge";
import { PayoutStatusNotice } from "@/components/payouts/payout-status-notice";
import { PayoutTimeline } from "@/components/payouts/payout-timeline";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { FactList } from "@/components/ui/fact-list";
import { CopyableId } from "@/components/ui/copyable-id";
import { roleHasPermission } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format/date";
import { formatFen } from "@/lib/format/money";
import { orNotFound } from "@/lib/http/not-found";
import { getI18n } from "@/lib/i18n/server";
import { getPayoutDetail } from "@/lib/payouts/queries";
import { canCancelPayout, canRetryPayout } from "@/lib/payouts/view";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: `${t("payouts.title")} ${(await params).id.slice(-6)}` };
}

export default async function PayoutPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePagePermission("payout:read", `/payouts/${id}`);
  const { t, timeZone } = await getI18n();
  const payout = await orNotFound(getPayoutDetail(actor, id));
  const mayRequest = roleHasPermission(actor.role, "payout:request");
  const time = (value: string) => formatDateTime(value, timeZone);

  const approval =
    payout.status === "PENDING_APPROVAL"
      ? t("payouts.detail.awaitingApproval")
      : payout.autoApproved
        ? t("payouts.detail.autoApproved")
        : payout.decidedByLabel
          ? [
              t(payout.status === "REJECTED" ? "payouts.detail.rejectedBy" : "payouts.detail.approvedBy", {
                name: payout.decidedByLabel,
                time: payout.decidedAt ? time(payout.decidedAt) : "—",
              }),
              payout.decisionReason ? t("payouts.detail.reason", { reason: payout.decisionReason }) : null,
            ]
              .filter(Boolean)
              .join(" · ")
          : "—";

  const facts: Array<[string, ReactNode]> = [
    [
      t("payouts.detail.campaign"),
      <Link
        key="campaign"
        href={`/campaigns/${payout.campaignId}`}
        className="text-brand-700 hover:underline"
      >
        {payout.campaignName}
      </Link>,
    ],
    [
      t("payouts.detail.recipient"),
      <span key="recipient">
        <span className="text-gray-500">{t(`payouts.history.identityType.${payout.identityType}`)}</span>{" "}
        <span className="font-mono" translate="no">
          {payout.recipient}
        </span>
        {payout.recipientMasked ? (
          <span className="block text-xs text-gray-500">{t("payouts.detail.recipientMasked")}</span>
        ) : null}
      </span>,
    ],
    [t("payouts.detail.scene"), t(`campaigns.scene.${payout.scene}`)],
    [t("payouts.detail.source"), t(`payouts.history.source.${payout.source}`)],
    [t("payouts.detail.memo"), payout.memo ?? "—"],
    [
      t("payouts.detail.requestedBy"),
      [
        payout.requestedByLabel,
        time(payout.createdAt),
        payout.requestIp ? t("payouts.detail.fromIp", { ip: payout.requestIp }) : null,
      ]
        .filter(Boolean)
        .join(" · "),
    ],
    [t("payouts.detail.approval"), approval],
    [t("payouts.detail.held"), formatFen(payout.heldFen)],
    [t("payouts.detail.awarded"), payout.awardedFen === null ? "—" : formatFen(payout.awardedFen)],
    [
      t("payouts.detail.alipayReference"),
      payout.alipayReference ? (
        <CopyableId
          key="reference"
          value={payout.alipayReference}
          label={t("payouts.detail.alipayReference")}
          description={t("payouts.detail.alipayReferenceHelp")}
        />
      ) : (
        "—"
      ),
    ],
    [t("payouts.detail.attempts"), String(payout.attemptCount)],
  ];

  return (
    <div className="space-y-6">
      <Link href="/payouts" className="text-sm text-gray-500 hover:text-gray-700">
        ← {t("payouts.detail.back")}
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight text-gray-900 tabular">
              {formatFen(payout.amountFen)}
            </h1>
            <PayoutStatusBadge status={payout.status} />
          </div>
          <CopyableId
            value={payout.outBizNo}
            label={t("payouts.history.outBizNo.name")}
            description={t("payouts.history.outBizNo.help")}
            className="flex max-w-md"
          />
          <p className="text-sm text-gray-500">
            <Link href={`/campaigns/${payout.campaignId}`} className="text-brand-700 hover:underline">
              {payout.campaignName}
            </Link>{" "}
            · {t(`campaigns.scene.${payout.scene}`)}
          </p>
        </div>
        <PayoutActions
          payoutId={payout.id}
          canRetry={mayRequest && canRetryPayout(payout)}
          canCancel={mayRequest && canCancelPayout(payout)}
        />
      </div>

      <PayoutStatusNotice
        payout={{
          status: payout.status,
          outBizNo: payout.outBizNo,
          failureCode: payout.failureCode,
          failureMessage: payout.failureMessage,
          failureRetryable: payout.failureRetryable,
          attentionReason: payout.attentionReason,
          awardedFen: payout.awardedFen,
        }}
      />

      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title={t("payouts.detail.timeline")} />
          <CardContent>
            <PayoutTimeline events={payout.timeline} attempts={payout.attempts} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader title={t("payouts.detail.facts")} />
          <CardContent>
            <FactList facts={facts} />
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
