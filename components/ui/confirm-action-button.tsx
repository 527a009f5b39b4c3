"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { useAction } from "@/lib/actions/use-action";
import { useI18n } from "@/lib/i18n/client";
import { Button, type ButtonProps } from "./button";
import { Dialog } from "./dialog";
import { useToast } from "./toast";

/**
 * A button that asks first, then runs a server action on one record (revoke a key, disable an endpoint): on
 * success it toasts, closes and refreshes the page; a refusal stays in the dialog so the reader sees why.
 * The rest of the props style the button that opens the dialog.
 */
export function ConfirmActionButton<I, R>({
  label,
  action,
  input,
  confirmTitle,
  confirmDescription,
  confirmLabel = label,
  confirmVariant = "danger",
  doneMessage,
  ...trigger
}: Omit<ButtonProps, "children" | "onClick" | "loading"> & {
  /** The opening button's text; also the confirming button's unless `confirmLabel` says otherwise. */
  label: string;
  action: (input: I) => Promise<ActionResult<R>>;
  input: I;
  confirmTitle: string;
  /** What confirming will do, in the dialog's body. */
  confirmDescription: string;
  confirmLabel?: string;
  confirmVariant?: "danger" | "primary";
  /** The toast after the action, from what it returned. */
  doneMessage: (result: R) => string;
}) {
  const { t, tr } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const { run, pending, failure, reset } = useAction(action);
  const close = () => {
    setOpen(false);
    reset();
  };
  return (
    <>
      <Button {...trigger} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title={confirmTitle}
        description={confirmDescription}
        footer={
          <>
            <Button variant="secondary" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button
              variant={confirmVariant}
              loading={pending}
              onClick={() =>
                run(input, (result) => {
                  toast(doneMessage(result));
                  close();
                  router.refresh();
                })
              }
            >
              {confirmLabel}
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
