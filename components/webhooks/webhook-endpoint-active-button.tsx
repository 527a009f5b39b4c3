"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { setWebhookEndpointActiveAction } from "@/lib/actions/set-webhook-endpoint-active";
import { useAction } from "@/lib/actions/use-action";
import { useI18n } from "@/lib/i18n/client";

/** Disable or enable an endpoint, after a confirmation that says what that does to its deliveries. */
export function WebhookEndpointActiveButton({
  endpoint,
  size = "sm",
}: {
  endpoint: { id: string; url: string; active: boolean };
  size?: "sm" | "md";
}) {
  const { t, tr } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const { run, pending, failure, reset } = useAction(setWebhookEndpointActiveAction);
  const close = () => {
    setOpen(false);
    reset();
  };
  const label = endpoint.active ? t("webhooks.disable") : t("webhooks.enable");
  return (
    <>
      <Button
        variant={size === "sm" ? "ghost" : "secondary"}
        size={size}
        className={endpoint.active ? "text-red-700" : undefined}
        onClick={() => setOpen(true)}
        aria-label={t(endpoint.active ? "webhooks.disableFor" : "webhooks.enableFor", { url: endpoint.url })}
      >
        {label}
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title={label}
        description={t(endpoint.active ? "webhooks.disableConfirm" : "webhooks.enableConfirm", {
          url: endpoint.url,
        })}
        footer={
          <>
            <Button variant="secondary" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button
              variant={endpoint.active ? "danger" : "primary"}
              loading={pending}
              onClick={() =>
                run({ endpointId: endpoint.id, active: !endpoint.active }, (updated) => {
                  toast(t(updated.active ? "webhooks.enabled" : "webhooks.disabled", { url: updated.url }));
                  close();
                  router.refresh();
                })
              }
            >
              {label}
            </Button>
          </>
        }
      >
        {failure ? (
          <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{tr(failure.error.message)}</p>
        ) : null}
      </Dialog>
    </>
  );
}
