"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { FactList } from "@/components/ui/fact-list";
import { useToast } from "@/components/ui/toast";
import { RejectReasonDialog } from "./reject-reason-dialog";
import { decideBatchAction } from "@/lib/actions/decide-batch";
import { useAction } from "@/lib/actions/use-action";
import type { PendingBatch } from "@/lib/batches/queries";
import { formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import { batchDecisionSchema } from "@/lib/validation/batches";

/**
 * The batches waiting for an approver, above the payout queue: each decided as a whole, from its totals and its
 * first rows (recipients masked). Rejecting asks for a reason, as a payout's rejection does. Nothing is shown
 * when no batch waits.
 */
export function PendingBatches({ batches, canDecide }: { batches: PendingBatch[]; canDecide: boolean }) {
  const { t } = useI18n();
  const headingId = useId();
  if (batches.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <div>
        <h2 id={headingId} className="flex items-center gap-2 text-lg font-semibold text-gray-900">
          {t("approvals.batches.title")}
          <Badge tone="purple" className="tabular">
            {batches.length}
          </Badge>
        </h2>
        <p className="mt-1 text-sm text-gray-500">{t("approvals.batches.description")}</p>
      </div>
      {batches.map((batch) => (
        <PendingBatchCard key={batch.id} batch={batch} canDecide={canDecide} />
      ))}
    </section>
  );
}

function PendingBatchCard({ batch, canDecide }: { batch: PendingBatch; canDecide: boolean }) {
  const { t, tr, locale, formatDateTime } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const { run, pending, failure, fieldErrors, reset } = useAction(decideBatchAction, {
    schema: batchDecisionSchema,
  });
  const count = (n: number) => n.toLocaleString(locale);

  const decide = (decision: "approve" | "reject", why?: string) =>
    run({ batchId: batch.id, decision, reason: why }, () => {
      toast(
        t(decision === "approve" ? "approvals.batches.approved" : "approvals.batches.rejected", {
          count: batch.rowCount,
        }),
      );
      setRejecting(false);
      setReason("");
      router.refresh();
    });
  const openReject = () => {
    reset();
    setReason("");
    setRejecting(true);
  };
  const closeReject = () => {
    setRejecting(false);
    setReason("");
    reset();
  };

  const more = batch.rowCount - batch.sample.length;
  const failureText = failure && failure.error.code !== "VALIDATION" ? tr(failure.error.message) : null;

  return (
    <Card data-testid="pending-batch" data-batch-id={batch.id}>
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-gray-100 px-5 py-4">
        <div className="min-w-0">
          <h3 className="text-base font-semibold break-all text-gray-900">
            <Link href={`/batches/${batch.id}`} className="hover:text-brand-700 hover:underline">
              {batch.fileName}
            </Link>
          </h3>
          <p className="mt-1 text-sm text-gray-500">
            <Link href={`/campaigns/${batch.campaignId}`} className="text-brand-700 hover:underline">
              {batch.campaignName}
            </Link>
          </p>
        </div>
        {batch.own ? (
          <p className="max-w-xs text-sm text-gray-500" data-testid="own-batch">
            {t("approvals.batches.own")}
          </p>
        ) : canDecide ? (
          <div className="flex gap-2">
            <Button loading={pending && !rejecting} disabled={pending} onClick={() => decide("approve")}>
              {t("approvals.batches.approve")}
            </Button>
            <Button variant="secondary" className="text-red-700" disabled={pending} onClick={openReject}>
              {t("approvals.batches.reject")}
            </Button>
          </div>
        ) : null}
      </div>
      <CardContent className="space-y-4">
        {failureText && !rejecting ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {failureText}
          </p>
        ) : null}
        <FactList
          columns
          facts={[
            [
              t("approvals.batches.rows"),
              <span className="tabular" key="rows">
                {count(batch.rowCount)}
              </span>,
            ],
            [
              t("approvals.batches.total"),
              <span className="font-medium tabular" key="total">
                {formatFen(batch.amountFen)}
              </span>,
            ],
            [
              t("approvals.batches.submitted"),
              `${batch.requestedByLabel} · ${formatDateTime(batch.createdAt)}`,
            ],
          ]}
        />
        {batch.sample.length > 0 ? (
          <div className="space-y-2">
            <p className="text-xs text-gray-500">{t("approvals.batches.sample")}</p>
            <div className="overflow-x-auto rounded-md ring-1 ring-gray-200">
              <table className="min-w-full divide-y divide-gray-200 text-sm">
                <thead className="bg-gray-50">
                  <tr>
                    {(
                      [
                        "batches.column.identity",
                        "batches.column.scene",
                        "batches.column.memo",
                        "batches.column.outBizNo",
                      ] as const
                    ).map((key) => (
                      <th key={key} scope="col" className="px-3 py-2 text-left font-medium text-gray-600">
                        {t(key)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-gray-100">
                  {batch.sample.map((row) => (
                    <tr key={row.id}>
                      <td className="px-3 py-2 whitespace-nowrap">
                        <code className="text-xs text-gray-900" translate="no">
                          {row.recipient}
                        </code>
                        <span className="ml-2 text-xs text-gray-500">
                          {t(`payouts.history.identityType.${row.identityType}`)}
                        </span>
                      </td>
                      <td className="px-3 py-2 whitespace-nowrap text-gray-600">
                        {t(`campaigns.scene.${row.scene}`)}
                      </td>
                      <td className="max-w-56 truncate px-3 py-2 text-gray-600" title={row.memo ?? undefined}>
                        {row.memo ?? "—"}
                      </td>
                      <td className="px-3 py-2 font-mono text-xs text-gray-600" translate="no">
                        {row.outBizNo}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {more > 0 ? (
              <p className="text-xs text-gray-500">{t("approvals.batches.sampleMore", { count: more })}</p>
            ) : null}
          </div>
        ) : null}
        <Link href={`/batches/${batch.id}`} className="inline-block text-sm text-brand-700 hover:underline">
          {t("approvals.batches.open")} →
        </Link>
      </CardContent>
      <RejectReasonDialog
        open={rejecting}
        onClose={closeReject}
        title={t("approvals.batches.rejectTitle")}
        description={t("approvals.batches.rejectDescription", {
          count: batch.rowCount,
          file: batch.fileName,
        })}
        hint={t("approvals.batches.rejectReasonHint")}
        reason={reason}
        onReasonChange={setReason}
        onSubmit={() => decide("reject", reason)}
        pending={pending}
        failureText={failureText}
        reasonErrors={fieldErrors.reason}
      />
    </Card>
  );
}
