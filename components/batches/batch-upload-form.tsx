"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { previewBatchAction } from "@/lib/actions/preview-batch";
import type { ActionFailure } from "@/lib/actions/result";
import { submitBatchAction } from "@/lib/actions/submit-batch";
import { useAction } from "@/lib/actions/use-action";
import { batchColumn } from "@/lib/batches/columns";
import { MAX_FILE_BYTES, MAX_ROWS } from "@/lib/batches/limits";
import type { BatchPreview } from "@/lib/batches/service";
import type { BatchProblem } from "@/lib/batches/validate";
import { formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import type { MessageRef } from "@/lib/i18n/messages";

export type BatchCampaignOption = { id: string; name: string; availableFen: number };

const MAX_MIB = MAX_FILE_BYTES / 1024 / 1024;

/**
 * What the alert above the preview says. Every failure goes there (a file that cannot be read is the page's
 * main news, not small print under the input) except a campaign error, which its select already shows.
 */
function formMessage(failure: ActionFailure | null): MessageRef | null {
  if (!failure) return null;
  const fieldErrors = failure.fieldErrors ?? {};
  const campaignErrors = fieldErrors.campaignId ?? [];
  if (failure.error.code === "VALIDATION") {
    // A zod refusal carries a generic message: the field's own words say what to do.
    const other = Object.entries(fieldErrors).find(([field]) => field !== "campaignId")?.[1][0];
    if (other) return other;
    return campaignErrors.length > 0 ? null : failure.error.message;
  }
  return campaignErrors.some((ref) => ref.key === failure.error.message.key) ? null : failure.error.message;
}

function uploadForm(campaignId: string, file: File): FormData {
  const form = new FormData();
  form.set("campaignId", campaignId);
  form.set("file", file);
  return form;
}

/** Saves a response body as a file: the invalid rows come from a POST, which a plain download link cannot send. */
function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next task: some browsers start reading the URL only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * The batch upload form: campaign and file in, the server's check of the file out (totals, budget left,
 * every invalid row with its reason), then "Submit N rows for approval". The file is checked on the server
 * each time the file or the campaign changes, and checked again on submit (the server must still find the
 * number of valid rows shown here, or it refuses).
 */
export function BatchUploadForm({
  campaigns,
  initialCampaignId,
}: {
  campaigns: readonly BatchCampaignOption[];
  initialCampaignId: string;
}) {
  const { t, tr, locale } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const [campaignId, setCampaignId] = useState(initialCampaignId);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<BatchPreview | null>(null);
  const [tooLarge, setTooLarge] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const [downloadFailed, setDownloadFailed] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  // Each check is numbered: an answer to an older check (the file or campaign changed since) is dropped.
  const checkSeq = useRef(0);
  const check = useAction(previewBatchAction);
  const submit = useAction(submitBatchAction);

  const count = (n: number) => n.toLocaleString(locale);
  const failure = submit.failure ?? check.failure;
  const message = tooLarge
    ? ({ key: "batches.file.tooLarge", params: { maxMiB: MAX_MIB } } satisfies MessageRef)
    : formMessage(failure);
  const campaignErrors = failure?.fieldErrors?.campaignId;

  const runCheck = (nextCampaignId: string, nextFile: File | null) => {
    checkSeq.current += 1;
    const seq = checkSeq.current;
    setPreview(null);
    setDownloadFailed(false);
    check.reset();
    submit.reset();
    // Checked here first so a huge file is never sent: the server would refuse it only after the upload.
    const large = nextFile !== null && nextFile.size > MAX_FILE_BYTES;
    setTooLarge(large);
    if (!nextCampaignId || !nextFile || large) return;
    check.run(uploadForm(nextCampaignId, nextFile), (data) => {
      if (seq === checkSeq.current) setPreview(data);
    });
  };

  const downloadInvalidRows = async () => {
    if (!file || !preview) return;
    setDownloading(true);
    setDownloadFailed(false);
    try {
      const response = await fetch("/api/batches/invalid-rows", {
        method: "POST",
        body: uploadForm(preview.campaignId, file),
      });
      if (!response.ok) throw new Error(`invalid rows: HTTP ${response.status}`);
      const base = file.name.replace(/\.[^.]*$/, "") || "batch";
      saveBlob(await response.blob(), `${base}-invalid-rows.csv`);
    } catch {
      // The route's error texts are English-only; say it in the reader's language instead.
      setDownloadFailed(true);
    } finally {
      setDownloading(false);
    }
  };

  const submitBatch = () => {
    if (!file || !preview) return;
    const form = uploadForm(preview.campaignId, file);
    form.set("expectedValidRows", String(preview.summary.validRows));
    submit.run(form, (batch) => {
      setSubmitted(true);
      toast(
        t("batches.new.submitted", {
          count: batch.rowCount,
          amount: formatFen(batch.amountFen),
        }),
      );
      router.push(`/batches/${batch.batchId}`);
    });
  };

  return (
    <div className="space-y-6">
      <Card className="p-5">
        <div className="grid gap-5 sm:grid-cols-2">
          <Field
            label={t("batches.new.campaign")}
            hint={t("batches.new.campaignHint")}
            errors={campaignErrors}
          >
            <Select
              name="campaignId"
              value={campaignId}
              data-testid="batch-campaign"
              disabled={submit.pending || submitted}
              onChange={(event) => {
                setCampaignId(event.target.value);
                runCheck(event.target.value, file);
              }}
            >
              <option value="" disabled>
                {t("batches.new.campaignPlaceholder")}
              </option>
              {campaigns.map((campaign) => (
                <option key={campaign.id} value={campaign.id}>
                  {t("batches.new.campaignOption", {
                    name: campaign.name,
                    amount: formatFen(campaign.availableFen),
                  })}
                </option>
              ))}
            </Select>
          </Field>
          <div className="space-y-2">
            <Field
              label={t("batches.new.file")}
              hint={t("batches.new.fileHint", { maxMiB: MAX_MIB, maxRows: count(MAX_ROWS) })}
            >
              <input
                type="file"
                name="file"
                accept=".csv,text/csv"
                data-testid="batch-file"
                disabled={submit.pending || submitted}
                className="block w-full text-sm text-gray-700 file:mr-3 file:rounded-md file:border-0 file:bg-white file:px-3 file:py-2 file:text-sm file:font-medium file:text-gray-900 file:ring-1 file:ring-gray-300 file:ring-inset hover:file:bg-gray-50"
                onChange={(event) => {
                  const chosen = event.target.files?.[0] ?? null;
                  setFile(chosen);
                  runCheck(campaignId, chosen);
                }}
              />
            </Field>
            <a
              href="/api/batches/template"
              download
              className="inline-block text-sm font-medium text-brand-700 hover:underline"
              data-testid="batch-template"
            >
              {t("batches.new.template")}
            </a>
          </div>
        </div>
      </Card>

      <div className="space-y-4" aria-live="polite" aria-busy={check.pending || undefined}>
        {file && !campaignId ? (
          <p className="rounded-md bg-blue-50 px-4 py-3 text-sm text-blue-800 ring-1 ring-blue-200">
            {t("batches.new.chooseCampaign")}
          </p>
        ) : null}
        {check.pending ? (
          <p className="flex items-center gap-2 text-sm text-gray-600" data-testid="batch-checking">
            <span
              aria-hidden="true"
              className="size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent"
            />
            {t("batches.new.checking")}
          </p>
        ) : null}
        {message ? (
          <div
            role="alert"
            className="flex flex-wrap items-center justify-between gap-3 rounded-md bg-red-50 px-4 py-3 text-sm text-red-700 ring-1 ring-red-200"
          >
            <p data-testid="batch-error">{tr(message)}</p>
            {/* A refused submit means the campaign or its payouts changed since the check: check again. */}
            {submit.failure && file && campaignId ? (
              <Button variant="secondary" size="sm" onClick={() => runCheck(campaignId, file)}>
                {t("batches.new.checkAgain")}
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>

      {preview && !check.pending ? (
        <PreviewCard
          preview={preview}
          downloading={downloading}
          downloadFailed={downloadFailed}
          submitting={submit.pending || submitted}
          onDownload={() => void downloadInvalidRows()}
          onSubmit={submitBatch}
        />
      ) : null}
    </div>
  );
}

function Stat({
  label,
  value,
  testId,
  tone,
}: {
  label: string;
  value: string;
  testId: string;
  tone?: "red";
}) {
  return (
    <div className="rounded-md bg-gray-50 px-4 py-3 ring-1 ring-gray-200 ring-inset">
      <dt className="text-xs text-gray-500">{label}</dt>
      <dd
        className={`tabular mt-1 text-lg font-semibold ${tone === "red" ? "text-red-700" : "text-gray-900"}`}
        data-testid={testId}
      >
        {value}
      </dd>
    </div>
  );
}

function PreviewCard({
  preview,
  downloading,
  downloadFailed,
  submitting,
  onDownload,
  onSubmit,
}: {
  preview: BatchPreview;
  downloading: boolean;
  downloadFailed: boolean;
  submitting: boolean;
  onDownload: () => void;
  onSubmit: () => void;
}) {
  const { t, locale } = useI18n();
  const count = (n: number) => n.toLocaleString(locale);
  const { summary } = preview;
  const more = preview.problemCount - preview.problems.length;
  return (
    <Card data-testid="batch-preview">
      <CardHeader
        title={t("batches.new.preview.title")}
        description={t("batches.new.preview.file", {
          fileName: preview.fileName,
          encoding: t(`batches.encoding.${preview.encoding}`),
        })}
      />
      <CardContent className="space-y-5">
        {preview.warnings.length > 0 ? <Warnings warnings={preview.warnings} /> : null}
        <dl className="grid gap-3 sm:grid-cols-3 lg:grid-cols-5">
          <Stat label={t("batches.new.totalRows")} value={count(summary.rows)} testId="batch-total-rows" />
          <Stat
            label={t("batches.new.validRows")}
            value={count(summary.validRows)}
            testId="batch-valid-rows"
          />
          <Stat
            label={t("batches.new.invalidRows")}
            value={count(summary.invalidRows)}
            testId="batch-invalid-rows"
            tone={summary.invalidRows > 0 ? "red" : undefined}
          />
          <Stat label={t("batches.new.amount")} value={formatFen(summary.amountFen)} testId="batch-amount" />
          <Stat
            label={t("batches.new.budgetLeft")}
            value={formatFen(summary.budgetLeftFen)}
            testId="batch-budget-left"
          />
        </dl>

        {summary.invalidRows > 0 ? (
          <section className="space-y-3" aria-labelledby="batch-problems-title">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div>
                <h3 id="batch-problems-title" className="text-sm font-semibold text-gray-900">
                  {t("batches.new.problems.title")}
                </h3>
                <p className="mt-1 max-w-2xl text-sm text-gray-500">
                  {t("batches.new.problems.description")}
                </p>
              </div>
              <Button
                variant="secondary"
                size="sm"
                loading={downloading}
                onClick={onDownload}
                data-testid="batch-download-invalid"
              >
                {t("batches.new.downloadInvalid")}
              </Button>
            </div>
            {downloadFailed ? (
              <p role="alert" className="text-sm text-red-600" data-testid="batch-download-error">
                {t("batches.new.downloadFailed")}
              </p>
            ) : null}
            <ProblemTable problems={preview.problems} />
            {more > 0 ? (
              <p className="text-sm text-gray-500" data-testid="batch-problems-more">
                {t("batches.new.problems.more", { count: more })}
              </p>
            ) : null}
          </section>
        ) : (
          <p className="text-sm text-green-700">{t("batches.new.allValid")}</p>
        )}

        <div className="flex flex-wrap items-center justify-end gap-3 border-t border-gray-100 pt-4">
          <p className="text-sm text-gray-500">
            {summary.validRows > 0 ? t("batches.new.submitHint") : t("batches.errors.noValidRows")}
          </p>
          <Button
            onClick={onSubmit}
            loading={submitting}
            disabled={summary.validRows === 0}
            data-testid="batch-submit"
          >
            {t("batches.new.submit", { count: summary.validRows })}
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}

function Warnings({ warnings }: { warnings: readonly MessageRef[] }) {
  const { tr } = useI18n();
  return (
    <ul
      className="space-y-1 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200"
      data-testid="batch-warnings"
    >
      {warnings.map((warning, index) => (
        <li key={index}>{tr(warning)}</li>
      ))}
    </ul>
  );
}

function ProblemTable({ problems }: { problems: readonly BatchProblem[] }) {
  const { t } = useI18n();
  return (
    <div className="max-h-96 overflow-auto rounded-md ring-1 ring-gray-200">
      <table className="min-w-full divide-y divide-gray-200 text-sm">
        <caption className="sr-only">{t("batches.new.problems.title")}</caption>
        <thead className="sticky top-0 bg-gray-50">
          <tr>
            <th scope="col" className="px-4 py-2.5 text-left font-medium whitespace-nowrap text-gray-600">
              {t("batches.new.problems.row")}
            </th>
            <th scope="col" className="px-4 py-2.5 text-left font-medium whitespace-nowrap text-gray-600">
              {t("batches.new.problems.column")}
            </th>
            <th scope="col" className="px-4 py-2.5 text-left font-medium text-gray-600">
              {t("batches.new.problems.reason")}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100 bg-white">
          {problems.map((problem, index) => (
            <tr key={`${problem.row}-${problem.column ?? ""}-${index}`} data-testid="batch-problem">
              <td className="tabular px-4 py-2 align-top whitespace-nowrap text-gray-900">{problem.row}</td>
              <td className="px-4 py-2 align-top whitespace-nowrap text-gray-900">
                {problem.column ? t(batchColumn(problem.column).labelKey) : "—"}
              </td>
              <td className="px-4 py-2 align-top text-gray-700">{t(problem.key, problem.params)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
