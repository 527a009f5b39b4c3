"use client";

import { Dialog, DialogActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useI18n } from "@/lib/i18n/client";
import type { MessageRef } from "@/lib/i18n/messages";
import { MEMO_MAX } from "@/lib/validation/payouts";

/** The reason an approver gives for a rejection (of payouts or a batch): required, as long as a memo. */
export function RejectReasonDialog({
  open,
  onClose,
  title,
  description,
  hint,
  reason,
  onReasonChange,
  onSubmit,
  pending,
  failureText,
  reasonErrors,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description: string;
  hint: string;
  reason: string;
  onReasonChange: (reason: string) => void;
  onSubmit: () => void;
  pending: boolean;
  /** A refusal that is not about the reason field, in words. */
  failureText: string | null;
  reasonErrors?: MessageRef[];
}) {
  const { t } = useI18n();
  return (
    <Dialog open={open} onClose={onClose} title={title} description={description}>
      <form
        className="space-y-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        {failureText ? (
          <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{failureText}</p>
        ) : null}
        <Field label={t("approvals.rejectReason")} hint={hint} errors={reasonErrors}>
          <Input
            name="reason"
            value={reason}
            onChange={(e) => onReasonChange(e.target.value)}
            maxLength={MEMO_MAX}
            autoComplete="off"
            required
          />
        </Field>
        <DialogActions
          onCancel={onClose}
          submitLabel={t("approvals.rejectConfirm")}
          pending={pending}
          submitVariant="danger"
        />
      </form>
    </Dialog>
  );
}
