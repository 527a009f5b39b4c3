"use client";

import { ConfirmActionButton } from "@/components/ui/confirm-action-button";
import { setWebhookEndpointActiveAction } from "@/lib/actions/set-webhook-endpoint-active";
import { useI18n } from "@/lib/i18n/client";

/** Disable or enable an endpoint, after a confirmation that says what that does to its deliveries. */
export function WebhookEndpointActiveButton({
  endpoint,
  size = "sm",
}: {
  endpoint: { id: string; url: string; active: boolean };
  size?: "sm" | "md";
}) {
  const { t } = useI18n();
  const label = endpoint.active ? t("webhooks.disable") : t("webhooks.enable");
  return (
    <ConfirmActionButton
      variant={size === "sm" ? "ghost" : "secondary"}
      size={size}
      className={endpoint.active ? "text-red-700" : undefined}
      aria-label={t(endpoint.active ? "webhooks.disableFor" : "webhooks.enableFor", { url: endpoint.url })}
      label={label}
      action={setWebhookEndpointActiveAction}
      input={{ endpointId: endpoint.id, active: !endpoint.active }}
      confirmTitle={label}
      confirmDescription={t(endpoint.active ? "webhooks.disableConfirm" : "webhooks.enableConfirm", {
        url: endpoint.url,
      })}
      confirmVariant={endpoint.active ? "danger" : "primary"}
      doneMessage={(updated) =>
        t(updated.active ? "webhooks.enabled" : "webhooks.disabled", { url: updated.url })
      }
    />
  );
}
