"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ChoiceGroup } from "@/components/ui/choice-group";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { fundCampaignAction } from "@/lib/actions/fund-campaign";
import { useAction } from "@/lib/actions/use-action";
import { useI18n } from "@/lib/i18n/client";
import {
  EXPIRY_UNITS,
  FUND_METHODS,
  fundCampaignSchema,
  type FundCampaignFormValues,
} from "@/lib/validation/fund-coupon";

type FormState = Omit<FundCampaignFormValues, "campaignId" | "expiresIn"> & {
  method: (typeof FUND_METHODS)[number];
  expiresIn: string;
  expiresUnit: (typeof EXPIRY_UNITS)[number];
};

/** The fields this dialog shows; a service error about another field is said above them. */
const FORM_FIELDS: readonly string[] = ["amount", "title", "method", "expiresIn", "expiresUnit"];

/**
 * "Add funds" to a fund-coupon campaign: agreement pay debits the merchant's own account at once (leftovers go
 * back automatically after the chosen time); the cashier option sends the browser to Alipay's PC cashier with
 * the signed form the server built, and Alipay sends it back to the campaign's fund-return page.
 */
export function AddFundsDialog({ campaignId, campaignName }: { campaignId: string; campaignName: string }) {
  const { t, tr } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const initial: FormState = {
    amount: "",
    title: campaignName.slice(0, 50),
    method: "AGREEMENT",
    expiresIn: "24",
    expiresUnit: "hours",
  };
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<FormState>(initial);
  const [cashierForm, setCashierForm] = useState<string | null>(null);
  const cashier = useRef<HTMLDivElement>(null);
  const { run, pending, failure, fieldErrors, reset } = useAction(fundCampaignAction, {
    schema: fundCampaignSchema,
  });
  const hiddenError =
    failure && !Object.keys(failure.fieldErrors ?? {}).some((f) => FORM_FIELDS.includes(f))
      ? failure.error.message
      : null;
  // Alipay's signed form posts itself to the cashier; its inline script does not run when inserted as HTML, so
  // the form is submitted here once React has put it in the page.
  useEffect(() => {
    if (cashierForm) cashier.current?.querySelector("form")?.submit();
  }, [cashierForm]);
  const set =
    <K extends keyof FormState>(key: K) =>
    (value: FormState[K]) =>
      setValues((current) => ({ ...current, [key]: value }));
  const close = () => {
    setOpen(false);
    reset();
  };

  const submit = () =>
    run({ campaignId, ...values }, (result) => {
      if (result.form !== null) {
        setCashierForm(result.form);
        return;
      }
      toast(
        t(result.status === "PAID" ? "campaigns.funding.add.paid" : "campaigns.funding.add.pending", {
          status: t(`campaigns.funding.orderStatus.${result.status}`),
        }),
        result.status === "PAID" ? "success" : "info",
      );
      setValues(initial);
      close();
      router.refresh();
    });

  return (
    <>
      <Button
        onClick={() => {
          reset();
          setOpen(true);
        }}
      >
        {t("campaigns.funding.add.button")}
      </Button>
      {cashierForm ? (
        <div
          ref={cashier}
          hidden
          data-testid="cashier-form"
          // The server built and signed this form (lib/alipay/fund-coupon.ts pagePayForm): nothing user-typed.
          dangerouslySetInnerHTML={{ __html: cashierForm }}
        />
      ) : null}
      <Dialog
        open={open}
        onClose={close}
        title={t("campaigns.funding.add.title")}
        description={t("campaigns.funding.add.description")}
      >
        <form
          className="space-y-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          {hiddenError ? (
            <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-testid="form-error">
              {tr(hiddenError)}
            </p>
          ) : null}
          <Field
            label={t("campaigns.funding.add.amount")}
            errors={fieldErrors.amount ?? fieldErrors.amountFen}
          >
            <Input
              name="amount"
              value={values.amount}
              onChange={(e) => set("amount")(e.target.value)}
              inputMode="decimal"
              placeholder="1000.00"
            />
          </Field>
          <Field
            label={t("campaigns.funding.add.orderTitle")}
            hint={t("campaigns.funding.add.orderTitleHint")}
            errors={fieldErrors.title}
          >
            <Input
              name="title"
              value={values.title}
              onChange={(e) => set("title")(e.target.value)}
              maxLength={100}
            />
          </Field>
          <ChoiceGroup legend={t("campaigns.funding.add.method")} errors={fieldErrors.method ?? []}>
            <div className="space-y-2">
              {FUND_METHODS.map((method) => (
                <label key={method} className="flex items-start gap-2 text-sm text-gray-800">
                  <input
                    type="radio"
                    name="method"
                    value={method}
                    checked={values.method === method}
                    onChange={() => set("method")(method)}
                    className="mt-0.5 accent-brand-600"
                  />
                  <span>
                    <span className="font-medium">{t(`campaigns.funding.method.${method}`)}</span>
                    <span className="block text-gray-500">{t(`campaigns.funding.methodHint.${method}`)}</span>
                  </span>
                </label>
              ))}
            </div>
          </ChoiceGroup>
          {values.method === "AGREEMENT" ? (
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label={t("campaigns.funding.add.expiresIn")}
                hint={t("campaigns.funding.add.expiresInHint")}
                errors={fieldErrors.expiresIn ?? fieldErrors.expiresInMinutes}
              >
                <Input
                  name="expiresIn"
                  value={values.expiresIn}
                  onChange={(e) => set("expiresIn")(e.target.value)}
                  inputMode="numeric"
                />
              </Field>
              <Field label={t("campaigns.funding.add.expiresUnit")} errors={fieldErrors.expiresUnit}>
                <Select
                  name="expiresUnit"
                  value={values.expiresUnit}
                  onChange={(e) => set("expiresUnit")(e.target.value as FormState["expiresUnit"])}
                >
                  {EXPIRY_UNITS.map((unit) => (
                    <option key={unit} value={unit}>
                      {t(`campaigns.funding.unit.${unit}`)}
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
          ) : null}
          <DialogActions
            onCancel={close}
            pending={pending}
            submitLabel={
              values.method === "PAGE"
                ? t("campaigns.funding.add.submitCashier")
                : t("campaigns.funding.add.submitAgreement")
            }
          />
        </form>
      </Dialog>
    </>
  );
}
