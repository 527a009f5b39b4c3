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
  const [confirmClose, setConfirmClose] = useState(false);
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
          <Button variant="ghost" className="text-red-700" onClick={() => setConfirmClose(true)}>
            {t("campaigns.detail.close")}
          </Button>
        ) : null}
      </div>
      {failure ? (
        <p className="max-w-md text-right text-sm text-red-700" data-testid="action-error">
          {tr(failure.error.message)}
        </p>
      ) : null}
      <Dialog
        open={confirmClose}
        onClose={() => setConfirmClose(false)}
        title={t("campaigns.detail.closeConfirmTitle")}
        description={t("campaigns.detail.closeConfirm")}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirmClose(false)}>
              {t("common.cancel")}
            </Button>
            <Button
              variant="danger"
              loading={close.pending}
              onClick={() =>
                close.run({ campaignId }, () => {
                  setConfirmClose(false);
                  done(t("campaigns.detail.closed"))();
                })
              }
            >
              {t("campaigns.detail.close")}
            </Button>
          </>
        }
      />
    </div>
  );
}
