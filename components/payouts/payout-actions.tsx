"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { cancelPayoutAction } from "@/lib/actions/cancel-payout";
import { retryPayoutAction } from "@/lib/actions/retry-payout";
import { useAction } from "@/lib/actions/use-action";
import { useI18n } from "@/lib/i18n/client";

/**
 * Retry (same business reference) and cancel, offered as the payout's status allows and the viewer's role may
 * (computed on the server; the server actions check both again).
 */
export function PayoutActions({
  payoutId,
  canRetry,
  canCancel,
}: {
  payoutId: string;
  canRetry: boolean;
  canCancel: boolean;
}) {
  const { t, tr } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const retry = useAction(retryPayoutAction);
  const cancel = useAction(cancelPayoutAction);
  const failure = retry.failure ?? cancel.failure;
  if (!canRetry && !canCancel) return null;
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap justify-end gap-2">
        {canRetry ? (
          <Button
            loading={retry.pending}
            onClick={() =>
              retry.run({ payoutId }, () => {
                toast(t("payouts.detail.retried"));
                router.refresh();
              })
            }
          >
            {t("payouts.detail.retry")}
          </Button>
        ) : null}
        {canCancel ? (
          <Button variant="ghost" className="text-red-700" onClick={() => setConfirming(true)}>
            {t("payouts.detail.cancel")}
          </Button>
        ) : null}
      </div>
      {failure ? (
        <p className="max-w-md text-right text-sm text-red-700" data-testid="action-error">
          {tr(failure.error.message)}
        </p>
      ) : null}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={t("payouts.detail.cancelConfirmTitle")}
        description={t("payouts.detail.cancelConfirm")}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              {t("common.back")}
            </Button>
            <Button
              variant="danger"
              loading={cancel.pending}
              onClick={() =>
                cancel.run({ payoutId }, () => {
                  setConfirming(false);
                  toast(t("payouts.detail.canceled"));
                  router.refresh();
                })
              }
            >
              {t("payouts.detail.cancel")}
            </Button>
          </>
        }
      />
    </div>
  );
}
