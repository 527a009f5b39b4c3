"use client";

import { ConfirmActionButton } from "@/components/ui/confirm-action-button";
import { revokeApiKeyAction } from "@/lib/actions/revoke-api-key";
import type { ApiKeyRow } from "@/lib/api-keys/types";
import { useI18n } from "@/lib/i18n/client";

/** Revoke, after a confirmation: a revoked key cannot be restored, so the dialog says so. */
export function ApiKeyRowActions({ apiKey }: { apiKey: ApiKeyRow }) {
  const { t } = useI18n();
  return (
    <div className="flex justify-end">
      <ConfirmActionButton
        variant="ghost"
        size="sm"
        className="text-red-700"
        aria-label={t("apiKeys.revokeFor", { name: apiKey.name })}
        label={t("apiKeys.revoke")}
        action={revokeApiKeyAction}
        input={{ apiKeyId: apiKey.id }}
        confirmTitle={t("apiKeys.revokeTitle", { name: apiKey.name })}
        confirmDescription={t("apiKeys.revokeConfirm")}
        doneMessage={(revoked) => t("apiKeys.revoked", { name: revoked.name })}
      />
    </div>
  );
}
