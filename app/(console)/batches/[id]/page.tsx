import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { BatchControls } from "@/components/batches/batch-controls";
import { BatchLiveRefresh } from "@/components/batches/batch-live-refresh";
import { BatchPhaseBadge } from "@/components/batches/batch-phase-badge";
import { BatchProgress } from "@/components/batches/batch-progress";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { FactList } from "@/components/ui/fact-list";
import { roleHasPermission } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { batchControls, isBatchLive, type BatchControls as Controls } from "@/lib/batches/progress-view";
import { getBatchDetail } from "@/lib/batches/queries";
import { formatDateTime } from "@/lib/format/date";
import { formatFen } from "@/lib/format/money";
import { isMessageKey } from "@/lib/i18n/messages";
import { orNotFound } from "@/lib/http/not-found";
import { getI18n } from "@/lib/i18n/server";

const NO_CONTROLS: Controls = { pause: false, resume: false, cancel: false, retry: false };

/** Prose in a fact: wrapped between words (the fact list breaks anywhere, for ids), a long word where needed. */
function Words({ children }: { children: string }) {
  return <span className="break-normal wrap-break-word">{children}</span>;
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: `${t("batches.title")} ${(await params).id.slice(-6)}` };
}

export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePagePermission("batch:read", `/batches/${id}`);
  const { t, timeZone } = await getI18n();
  const batch = await orNotFound(getBatchDetail(actor, id));
  const time = (value: string) => formatDateTime(value, timeZone);
  const controls = roleHasPermission(actor.role, "batch:create") ? batchControls(batch) : NO_CONTROLS;
  const failed = batch.counts.FAILED ?? 0;
  const encodingKey = `batches.encoding.${batch.encoding}`;

  const decision =
    batch.status === "PENDING_APPROVAL"
      ? t("batches.detail.awaitingDecision")
      : batch.decidedByLabel
        ? [
            t(batch.status === "REJECTED" ? "batches.detail.rejectedBy" : "batches.detail.approvedBy", {
              name: batch.decidedByLabel,
              time: batch.decidedAt ? time(batch.decidedAt) : "—",
            }),
            batch.decisionReason ? t("batches.detail.reason", { reason: batch.decisionReason }) : null,
          ]
            .filter(Boolean)
            .join(" · ")
        : "—";

  const campaignLink = (
    <Link href={`/campaigns/${batch.campaignId}`} className="text-brand-700 hover:underline">
      {batch.campaignName}
    </Link>
  );

  const facts: Array<[string, ReactNode]> = [
    [t("batches.detail.campaign"), campaignLink],
    [
      t("batches.detail.submitted"),
      <Words key="submitted">{`${batch.requestedByLabel} · ${time(batch.createdAt)}`}</Words>,
    ],
    [t("batches.detail.decision"), <Words key="decision">{decision}</Words>],
    [t("batches.detail.rows"), String(batch.rowCount)],
    [t("batches.detail.encoding"), isMessageKey(encodingKey) ? t(encodingKey) : batch.encoding],
    [t("batches.detail.amount"), formatFen(batch.amountFen)],
    [t("batches.detail.paid"), formatFen(batch.paidFen)],
    [t("batches.detail.held"), formatFen(batch.heldFen)],
  ];

  const live = isBatchLive(batch.phase, batch.counts);
  const notice =
    batch.phase === "PENDING_APPROVAL" || batch.phase === "PAUSED"
      ? t(`batches.detail.notice.${batch.phase}`)
      : null;

  return (
    <div className="space-y-6">
      <BatchLiveRefresh active={live} />
      <Link href="/batches" className="text-sm text-gray-500 hover:text-gray-700">
        ← {t("batches.detail.back")}
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight break-all text-gray-900">
              {batch.fileName}
            </h1>
            <BatchPhaseBadge phase={batch.phase} />
          </div>
          <p className="text-sm text-gray-500">{campaignLink}</p>
        </div>
        <BatchControls batchId={batch.id} controls={controls} retryableFailed={batch.retryableFailed} />
      </div>

      {notice ? (
        <p
          className={
            batch.phase === "PAUSED"
              ? "rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-800"
              : "rounded-md bg-blue-50 px-4 py-3 text-sm text-blue-800"
          }
        >
          {notice}
        </p>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader
            title={t("batches.detail.progress")}
            description={live ? t("batches.detail.live") : undefined}
          />
          <CardContent className="space-y-5">
            <BatchProgress
              phase={batch.phase}
              counts={batch.counts}
              total={batch.rowCount}
              etaSeconds={batch.etaSeconds}
            />
            <div className="flex flex-wrap items-center gap-x-5 gap-y-2 border-t border-gray-100 pt-4 text-sm">
              <Link href={`/payouts?batch=${batch.id}`} className="text-brand-700 hover:underline">
                {t("batches.detail.seeRows")}
              </Link>
              {failed > 0 ? (
                // A plain link: the browser saves the attachment, and nothing prefetches the download.
                <span>
                  <a
                    href={`/api/batches/${batch.id}/failed`}
                    download
                    className="text-brand-700 hover:underline"
                    data-testid="batch-failed-csv"
                  >
                    {t("batches.detail.failedCsv")}
                  </a>{" "}
                  <span className="text-gray-500">{t("batches.detail.failedCsvHint")}</span>
                </span>
              ) : null}
            </div>
          </CardContent>
        </Card>
        <Card>
          <CardHeader title={t("batches.detail.facts")} />
          <CardContent>
            <FactList facts={facts} />
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
