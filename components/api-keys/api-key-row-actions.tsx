"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { revokeApiKeyAction } from "@/lib/actions/revoke-api-key";
import { useAction } from "@/lib/actions/use-action";
import type { ApiKeyRow } from "@/lib/api-keys/types";
import { useI18n } from "@/lib/i18n/client";

/** Revoke, after a confirmation: a revoked key cannot be restored, so the dialog says so. */
export function ApiKeyRowActions({ apiKey }: { apiKey: ApiKeyRow }) {
  const { t, tr } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const { run, pending, failure, reset } = useAction(revokeApiKeyAction);
  const close = () => {
    setOpen(false);
    reset();
  };
  return (
    <div className="flex justify-end">
      <Button
        variant="ghost"
        size="sm"
        className="text-red-700"
        onClick={() => setOpen(true)}
        aria-label={t("apiKeys.revokeFor", { name: apiKey.name })}
      >
        {t("apiKeys.revoke")}
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title={t("apiKeys.revokeTitle", { name: apiKey.name })}
        description={t("apiKeys.revokeConfirm")}
        footer={
          <>
            <Button variant="secondary" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button
              variant="danger"
              loading={pending}
              onClick={() =>
                run({ apiKeyId: apiKey.id }, (revoked) => {
                  toast(t("apiKeys.revoked", { name: revoked.name }));
                  close();
                  router.refresh();
                })
              }
            >
              {t("apiKeys.revoke")}
            </Button>
          </>
        }
      >
        {failure ? (
          <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{tr(failure.error.message)}</p>
        ) : null}
      </Dialog>
    </div>
  );
}
