"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { requestPayoutAction } from "@/lib/actions/request-payout";
import type { ActionFailure } from "@/lib/actions/result";
import { useAction } from "@/lib/actions/use-action";
import { IDENTITY_TYPES, SCENES, type IdentityType, type PayoutScene } from "@/lib/enums";
import { fenToYuanInput, formatFen, parseYuanInput } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import type { MessageRef } from "@/lib/i18n/messages";
import { maskIdentity } from "@/lib/payouts/recipient";
import {
  describeApprovalPath,
  describeSendAmount,
  previewSend,
  type SendContext,
} from "@/lib/payouts/send-preview";
import { MEMO_MAX, PAYEE_NAME_MAX, payoutRequestSchema } from "@/lib/validation/payouts";

type FormState = {
  identityType: IdentityType;
  identity: string;
  scene: PayoutScene;
  memo: string;
  outBizNo: string;
  /** Yuan as typed, on a rail that takes the amount from the request; empty: the campaign's largest packet. */
  amount: string;
  payeeName: string;
};

const PLACEHOLDERS: Record<IdentityType, string> = {
  USER_ID: "2088000000000000",
  OPEN_ID: "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5",
  LOGIN_ID: "13800138000 / name@example.com",
};

/** The fields this form shows; an error about any other (the campaign) is said above the form. */
const FORM_FIELDS: readonly string[] = [
  "identityType",
  "identity",
  "scene",
  "memo",
  "outBizNo",
  "amount",
  "amountFen",
  "payeeName",
];

/** The message to show above the fields, unless a field already says the same thing. */
function formMessage(failure: ActionFailure | null): MessageRef | null {
  if (!failure) return null;
  const entries = Object.entries(failure.fieldErrors ?? {});
  const hidden = entries.find(([field]) => !FORM_FIELDS.includes(field))?.[1][0];
  if (failure.error.code === "VALIDATION") return hidden ?? null;
  const saidByField = entries.some(
    ([field, refs]) => FORM_FIELDS.includes(field) && refs.some((r) => r.key === failure.error.message.key),
  );
  return saidByField ? null : failure.error.message;
}

/**
 * "Send red packet" on a campaign page: one payout through the one request path. Before sending it says what
 * the payout will hold, whether the campaign's policy approves it or it waits for an approver (and why), and
 * the budget left after it; the server decides again on its own.
 */
export function SendPayoutDialog({ context, campaignName }: { context: SendContext; campaignName: string }) {
  const { t, tr } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const initial: FormState = {
    identityType: "USER_ID",
    identity: "",
    scene: context.defaultScene,
    memo: "",
    outBizNo: "",
    amount: "",
    payeeName: "",
  };
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<FormState>(initial);
  const [last, setLast] = useState<{ message: string; payoutId: string } | null>(null);
  const { run, pending, failure, fieldErrors, reset } = useAction(requestPayoutAction, {
    schema: payoutRequestSchema,
  });
  // What the rail holds: the amount typed (when the rail takes one and it reads as money), else its own packet.
  const requestedFen = context.amountFromRequest ? parseYuanInput(values.amount) : null;
  const preview = previewSend(context, requestedFen);
  const askPayeeName = context.payeeNameForLoginId && values.identityType === "LOGIN_ID";
  const message = formMessage(failure);

  const set =
    <K extends keyof FormState>(key: K) =>
    (value: FormState[K]) =>
      setValues((current) => ({ ...current, [key]: value }));
  const close = () => {
    setOpen(false);
    reset();
  };
  const submit = () => {
    const recipient = maskIdentity(values.identityType, values.identity.trim());
    const { amount, payeeName, ...rest } = values;
    const request = {
      campaignId: context.campaignId,
      ...rest,
      // Only what this form showed is sent: the rail refuses an amount it does not take.
      ...(context.amountFromRequest ? { amount } : {}),
      ...(askPayeeName ? { payeeName } : {}),
    };
    run(request, (sent) => {
      const text = sent.replayed
        ? t("payouts.send.replayed", { outBizNo: sent.outBizNo, status: t(`payouts.status.${sent.status}`) })
        : sent.status === "PENDING_APPROVAL"
          ? t("payouts.send.awaitingApproval", { recipient })
          : t("payouts.send.queued", { recipient });
      toast(text, sent.replayed ? "info" : "success");
      setLast({ message: text, payoutId: sent.payoutId });
      setValues(initial);
      close();
      router.refresh();
    });
  };

  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        onClick={() => {
          reset();
          setOpen(true);
        }}
      >
        {t("payouts.send.button")}
      </Button>
      {last ? (
        <p className="max-w-md text-right text-sm text-gray-600" data-testid="send-result">
          {last.message}{" "}
          <Link href={`/payouts/${last.payoutId}`} className="font-medium text-brand-700 hover:underline">
            {t("payouts.send.viewPayout")}
          </Link>
        </p>
      ) : null}
      <Dialog
        open={open}
        onClose={close}
        title={t("payouts.send.title")}
        description={t("payouts.send.description", { name: campaignName })}
      >
        <form
          className="space-y-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          {message ? (
            <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-testid="form-error">
              {tr(message)}
            </p>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t("payouts.send.identityType")} errors={fieldErrors.identityType}>
              <Select
                name="identityType"
                value={values.identityType}
                onChange={(e) => set("identityType")(e.target.value as IdentityType)}
              >
                {IDENTITY_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`payouts.send.identityType.${type}`)}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={t("payouts.send.scene")} errors={fieldErrors.scene}>
              <Select
                name="scene"
                value={values.scene}
                onChange={(e) => set("scene")(e.target.value as PayoutScene)}
              >
                {SCENES.map((scene) => (
                  <option key={scene} value={scene}>
                    {t(`campaigns.scene.${scene}`)}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <Field
            label={t("payouts.send.identity")}
            hint={t(`payouts.send.identityHint.${values.identityType}`)}
            errors={fieldErrors.identity}
          >
            <Input
              name="identity"
              value={values.identity}
              onChange={(e) => set("identity")(e.target.value)}
              placeholder={PLACEHOLDERS[values.identityType]}
              inputMode={values.identityType === "USER_ID" ? "numeric" : undefined}
              autoComplete="off"
              spellCheck={false}
              maxLength={128}
            />
          </Field>
          {askPayeeName ? (
            <Field
              label={t("payouts.send.payeeName")}
              hint={t("payouts.send.payeeNameHint")}
              errors={fieldErrors.payeeName}
            >
              <Input
                name="payeeName"
                value={values.payeeName}
                onChange={(e) => set("payeeName")(e.target.value)}
                autoComplete="off"
                maxLength={PAYEE_NAME_MAX}
              />
            </Field>
          ) : null}
          {context.amountFromRequest ? (
            <Field
              label={t("payouts.send.amountField")}
              hint={t("payouts.send.amountFieldHint", { max: formatFen(context.maxPacketFen) })}
              errors={fieldErrors.amount ?? fieldErrors.amountFen}
            >
              <Input
                name="amount"
                value={values.amount}
                onChange={(e) => set("amount")(e.target.value)}
                inputMode="decimal"
                placeholder={fenToYuanInput(context.maxPacketFen)}
                autoComplete="off"
              />
            </Field>
          ) : null}
          <Field label={t("payouts.send.memo")} hint={t("payouts.send.memoHint")} errors={fieldErrors.memo}>
            <Input
              name="memo"
              value={values.memo}
              onChange={(e) => set("memo")(e.target.value)}
              maxLength={MEMO_MAX}
            />
          </Field>
          <Field
            label={t("payouts.send.outBizNo")}
            hint={t("payouts.send.outBizNoHint")}
            errors={fieldErrors.outBizNo}
          >
            <Input
              name="outBizNo"
              value={values.outBizNo}
              onChange={(e) => set("outBizNo")(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              maxLength={64}
            />
          </Field>

          <dl
            className="space-y-2 rounded-md bg-gray-50 px-4 py-3 text-sm ring-1 ring-gray-200"
            aria-live="polite"
            data-testid="send-preview"
          >
            <div className="flex justify-between gap-4">
              <dt className="text-gray-500">{t("payouts.send.amount")}</dt>
              <dd className="text-right font-medium text-gray-900 tabular">
                {context.amountFromRequest
                  ? formatFen(requestedFen ?? context.maxPacketFen)
                  : describeSendAmount(context, t)}
              </dd>
            </div>
            {preview.covered ? (
              <>
                <div className="flex justify-between gap-4">
                  <dt className="text-gray-500">{t("payouts.send.budgetAfter")}</dt>
                  <dd className="text-right text-gray-900 tabular">
                    {t("payouts.send.budgetAfterValue", {
                      after: formatFen(preview.budgetAfterFen),
                      spendable: formatFen(preview.spendableFen),
                    })}
                  </dd>
                </div>
                <div>
                  <dt className="sr-only">{t("payouts.send.approval")}</dt>
                  <dd
                    className={preview.approval === "auto" ? "text-green-700" : "text-amber-800"}
                    data-testid="send-approval"
                  >
                    {describeApprovalPath(preview.approval, context, preview.reservedFen, t)}
                  </dd>
                </div>
              </>
            ) : (
              <div>
                <dt className="sr-only">{t("payouts.send.budgetAfter")}</dt>
                <dd className="text-amber-800">
                  {t("payouts.send.budgetShort", { spendable: formatFen(preview.spendableFen) })}
                </dd>
              </div>
            )}
          </dl>

          <DialogActions
            onCancel={close}
            submitLabel={pending ? t("payouts.send.submitting") : t("payouts.send.submit")}
            pending={pending}
          />
        </form>
      </Dialog>
    </div>
  );
}
