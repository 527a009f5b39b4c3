"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { closeCampaignAction } from "@/lib/actions/close-campaign";
import { pauseCampaignAction } from "@/lib/actions/pause-campaign";
import { refreshCampaignAction } from "@/lib/actions/refresh-campaign";
import { resumeCampaignAction } from "@/lib/actions/resume-campaign";
import { useAction } from "@/lib/actions/use-action";
import type { CampaignAction } from "@/lib/campaigns/status";
import { useI18n } from "@/lib/i18n/client";

/**
 * The campaign's actions, limited to what its status allows and the viewer's role may do (computed on the
 * server; the server actions check both again).
 */
export function CampaignActions({
  campaignId,
  actions,
  payUrl,
}: {
  campaignId: string;
  actions: CampaignAction[];
  payUrl: string | null;
}) {
  const { t, tr } = useI18n();
  const router = useRouter();
  const toast = useToast();
  // Closing a paid campaign and cancelling an unpaid one are the same server action with different words.
  const [confirming, setConfirming] = useState<"close" | "cancel" | null>(null);
  const refresh = useAction(refreshCampaignAction);
  const pause = useAction(pauseCampaignAction);
  const resume = useAction(resumeCampaignAction);
  const close = useAction(closeCampaignAction);
  const failure = refresh.failure ?? pause.failure ?? resume.failure ?? close.failure;
  const done = (message: string) => () => {
    toast(message);
    router.refresh();
  };
  if (actions.length === 0) return null;
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap justify-end gap-2">
        {actions.includes("pay") && payUrl ? (
          <ButtonLink href={payUrl}>{t("campaigns.detail.pay")}</ButtonLink>
        ) : null}
        {actions.includes("resubmit") ? (
          <ButtonLink href={`/campaigns/${campaignId}/edit`}>{t("campaigns.detail.resubmit")}</ButtonLink>
        ) : null}
        {actions.includes("refresh") ? (
          <Button
            variant="secondary"
            loading={refresh.pending}
            onClick={() => refresh.run({ campaignId }, done(t("campaigns.detail.refreshed")))}
          >
            {t("campaigns.detail.refresh")}
          </Button>
        ) : null}
        {actions.includes("pause") ? (
          <Button
            variant="secondary"
            loading={pause.pending}
            onClick={() => pause.run({ campaignId }, done(t("campaigns.detail.paused")))}
          >
            {t("campaigns.detail.pause")}
          </Button>
        ) : null}
        {actions.includes("resume") ? (
          <Button
            loading={resume.pending}
            onClick={() => resume.run({ campaignId }, done(t("campaigns.detail.resumed")))}
          >
            {t("campaigns.detail.resume")}
          </Button>
        ) : null}
        {actions.includes("close") ? (
          <Button variant="ghost" className="text-red-700" onClick={() => setConfirming("close")}>
            {t("campaigns.detail.close")}
          </Button>
        ) : null}
        {actions.includes("cancel") ? (
          <Button variant="ghost" className="text-red-700" onClick={() => setConfirming("cancel")}>
            {t("campaigns.detail.cancel")}
          </Button>
        ) : null}
      </div>
      {failure ? (
        <p className="max-w-md text-right text-sm text-red-700" data-testid="action-error">
          {tr(failure.error.message)}
        </p>
      ) : null}
      <Dialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        title={
          confirming === "cancel"
            ? t("campaigns.detail.cancelConfirmTitle")
            : t("campaigns.detail.closeConfirmTitle")
        }
        description={
          confirming === "cancel" ? t("campaigns.detail.cancelConfirm") : t("campaigns.detail.closeConfirm")
        }
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirming(null)}>
              {t("common.back")}
            </Button>
            <Button
              variant="danger"
              loading={close.pending}
              onClick={() =>
                close.run({ campaignId }, () => {
                  const message =
                    confirming === "cancel" ? t("campaigns.detail.cancelled") : t("campaigns.detail.closed");
                  setConfirming(null);
                  done(message)();
                })
              }
            >
              {confirming === "cancel" ? t("campaigns.detail.cancel") : t("campaigns.detail.close")}
            </Button>
          </>
        }
      />
    </div>
  );
}
