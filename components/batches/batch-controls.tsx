"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmActionButton } from "@/components/ui/confirm-action-button";
import { useToast } from "@/components/ui/toast";
import {
  cancelBatchAction,
  pauseBatchAction,
  resumeBatchAction,
  retryBatchFailuresAction,
} from "@/lib/actions/control-batch";
import { useAction } from "@/lib/actions/use-action";
import type { BatchControls as Controls } from "@/lib/batches/progress-view";
import { useI18n } from "@/lib/i18n/client";

/**
 * Pause, resume, cancel (after asking) and retry the failures of one batch, as its phase offers and the
 * viewer's role may (decided on the server; the server actions check both again). A refusal is said under the
 * buttons; success toasts and re-renders the page.
 */
export function BatchControls({
  batchId,
  controls,
  retryableFailed,
}: {
  batchId: string;
  controls: Controls;
  retryableFailed: number;
}) {
  const { t, tr } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const pause = useAction(pauseBatchAction);
  const resume = useAction(resumeBatchAction);
  const retry = useAction(retryBatchFailuresAction);
  const failure = pause.failure ?? resume.failure ?? retry.failure;
  if (!controls.pause && !controls.resume && !controls.cancel && !controls.retry) return null;
  const done = (message: string) => {
    toast(message);
    router.refresh();
  };
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap justify-end gap-2">
        {controls.retry ? (
          <Button
            loading={retry.pending}
            onClick={() =>
              retry.run({ batchId }, ({ retried }) => done(t("batches.detail.retried", { count: retried })))
            }
          >
            {t("batches.detail.retry", { count: retryableFailed })}
          </Button>
        ) : null}
        {controls.pause ? (
          <Button
            variant="secondary"
            loading={pause.pending}
            onClick={() => pause.run({ batchId }, () => done(t("batches.detail.paused")))}
          >
            {t("batches.detail.pause")}
          </Button>
        ) : null}
        {controls.resume ? (
          <Button
            loading={resume.pending}
            onClick={() => resume.run({ batchId }, () => done(t("batches.detail.resumed")))}
          >
            {t("batches.detail.resume")}
          </Button>
        ) : null}
        {controls.cancel ? (
          <ConfirmActionButton
            variant="ghost"
            className="text-red-700"
            label={t("batches.detail.cancel")}
            action={cancelBatchAction}
            input={{ batchId }}
            confirmTitle={t("batches.detail.cancelTitle")}
            confirmDescription={t("batches.detail.cancelDescription")}
            doneMessage={({ canceled }) => t("batches.detail.canceled", { count: canceled })}
          />
        ) : null}
      </div>
      {failure ? (
        <p className="max-w-md text-right text-sm text-red-700" data-testid="action-error">
          {tr(failure.error.message)}
        </p>
      ) : null}
    </div>
  );
}
