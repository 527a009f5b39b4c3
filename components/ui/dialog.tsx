"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "./button";
import { Icons } from "./icons";

/**
 * Opens and closes a native modal <dialog> as `open` says: the browser then provides focus trapping, Escape and
 * the backdrop. Shared by the dialog and the mobile navigation drawer.
 */
export function useModalDialog(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return ref;
}

/**
 * A modal dialog on the native <dialog> element: focus trapping, Escape to close and the backdrop come from
 * the browser. Controlled by `open`; `onClose` runs on Escape, the close button and backdrop clicks.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
}) {
  const ref = useModalDialog(open);
  const titleId = useId();
  const descriptionId = useId();
  const { t } = useI18n();

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose(); // a click on the backdrop
      }}
      className="m-auto w-full max-w-lg rounded-lg bg-white p-0 shadow-xl backdrop:bg-gray-900/40"
    >
      {open ? (
        <div className="flex flex-col">
          <div className="flex items-start justify-between gap-4 border-b border-gray-100 px-5 py-4">
            <div>
              <h2 id={titleId} className="text-base font-semibold text-gray-900">
                {title}
              </h2>
              {description ? (
                <p id={descriptionId} className="mt-1 text-sm text-gray-500">
                  {description}
                </p>
              ) : null}
            </div>
            <button
              type="button"
              onClick={onClose}
              className="rounded-md p-1 text-gray-400 hover:bg-gray-100 hover:text-gray-600"
              aria-label={t("common.close")}
            >
              <Icons.close />
            </button>
          </div>
          {children ? <div className="px-5 py-4">{children}</div> : null}
          {footer ? (
            <div className="flex justify-end gap-2 border-t border-gray-100 bg-gray-50 px-5 py-3">
              {footer}
            </div>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}

/** A dialog form's buttons: cancel (closes, sends nothing) and the form's submit, which shows it is working. */
export function DialogActions({
  onCancel,
  submitLabel,
  pending,
  submitVariant,
}: {
  onCancel: () => void;
  submitLabel: ReactNode;
  pending: boolean;
  submitVariant?: "danger";
}) {
  const { t } = useI18n();
  return (
    <div className="flex justify-end gap-2 pt-2">
      <Button variant="secondary" onClick={onCancel}>
        {t("common.cancel")}
      </Button>
      <Button type="submit" variant={submitVariant} loading={pending}>
        {submitLabel}
      </Button>
    </div>
  );
}
