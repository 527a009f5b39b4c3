"use client";

import { useRouter } from "next/navigation";
import { useCallback, useMemo, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ChoiceGroup } from "@/components/ui/choice-group";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { createCampaignAction } from "@/lib/actions/create-campaign";
import { resubmitCampaignAction } from "@/lib/actions/resubmit-campaign";
import { useAction } from "@/lib/actions/use-action";
import {
  DEFAULT_DAILY_CAP_PERCENT,
  withDefaultPolicy,
  type CampaignFormState,
} from "@/lib/campaigns/form-defaults";
import { buildFrequency, FREQUENCY_PERIODS, isValidFrequency } from "@/lib/campaigns/frequency";
import { REQUEST_AMOUNT_LIMITS } from "@/lib/campaigns/limits";
import { describePacketPreview, packetPreview } from "@/lib/campaigns/packet-preview";
import { fenToYuanInput, formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import {
  campaignFormSchema,
  CREATABLE_RAILS,
  PRIZE_TYPES,
  RAILS,
  SCENES,
  type CampaignFormValues,
} from "@/lib/validation/campaigns";

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card className="p-5">
      <h2 className="mb-4 text-sm font-semibold tracking-wide text-gray-500 uppercase">{title}</h2>
      <div className="grid gap-5 sm:grid-cols-2">{children}</div>
    </Card>
  );
}

function frequencyPreview(values: CampaignFormState): string | null {
  const lifetime = Number(values.frequencyLifetime);
  const period = values.frequencyPeriod === "" ? null : values.frequencyPeriod;
  const periodLimit = period ? Number(values.frequencyPeriodLimit) : null;
  const frequency = { lifetime, period, periodLimit };
  return isValidFrequency(frequency) ? buildFrequency(frequency) : null;
}

/** Fields whose change re-derives the default approval policy. */
const PLAN_FIELDS: readonly (keyof CampaignFormState)[] = [
  "rail",
  "total",
  "packetCount",
  "prizeType",
  "maxPacket",
];
const POLICY_FIELDS: readonly (keyof CampaignFormState)[] = ["autoApproveMax", "autoApproveDailyCap"];

export function CampaignForm({ initial, campaignId }: { initial: CampaignFormState; campaignId?: string }) {
  const { t, tr, timeZone } = useI18n();
  const router = useRouter();
  const [values, setValues] = useState(initial);
  // A campaign being corrected keeps the policy it was submitted with; a new one follows the budget.
  const [policyEdited, setPolicyEdited] = useState(campaignId !== undefined);
  const schema = useMemo(() => campaignFormSchema({ timeZone }), [timeZone]);
  const submitAction = useCallback(
    (raw: CampaignFormValues) =>
      campaignId ? resubmitCampaignAction({ campaignId, ...raw }) : createCampaignAction(raw),
    [campaignId],
  );
  const { run, pending, failure, fieldErrors: errors } = useAction(submitAction, { schema });
  const preview = packetPreview(values);
  const frequency = frequencyPreview(values);
  // Which of the form's sections the chosen rail uses (the schema validates only those).
  const cash = values.rail === "CASH_CAMPAIGN";
  const hasBudget = values.rail !== "FUND_COUPON";

  const set =
    <K extends keyof CampaignFormState>(key: K) =>
    (value: CampaignFormState[K]) => {
      if (POLICY_FIELDS.includes(key)) setPolicyEdited(true);
      const followBudget = !policyEdited && PLAN_FIELDS.includes(key);
      setValues((current) => {
        const next = { ...current, [key]: value };
        return followBudget ? withDefaultPolicy(next) : next;
      });
    };
  const bind = (
    key: Exclude<
      keyof CampaignFormState,
      "prizeType" | "rail" | "startMode" | "frequencyPeriod" | "defaultScene"
    >,
  ) => ({
    name: key,
    value: values[key],
    onChange: (e: { target: { value: string } }) => set(key)(e.target.value),
  });

  const submit = () => run(values, (campaign) => router.push(`/campaigns/${campaign.id}`));

  return (
    <form
      noValidate
      className="space-y-6"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {failure && !failure.fieldErrors ? (
        <p className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-700" data-testid="form-error">
          {tr(failure.error.message)}
        </p>
      ) : null}

      <Card className="p-5">
        <ChoiceGroup
          legend={t("campaigns.form.rail")}
          hint={t("campaigns.form.railHint")}
          errors={errors.rail ?? []}
        >
          <div className="grid gap-3 sm:grid-cols-3" data-testid="rail-choice">
            {RAILS.map((rail) => (
              <label
                key={rail}
                className={`flex cursor-pointer gap-2 rounded-md p-3 text-sm ring-1 ${
                  values.rail === rail ? "bg-brand-50 ring-brand-500" : "ring-gray-200 hover:bg-gray-50"
                }`}
              >
                <input
                  type="radio"
                  name="rail"
                  value={rail}
                  checked={values.rail === rail}
                  // A failed campaign is corrected on its own rail: only a new one chooses.
                  disabled={!CREATABLE_RAILS.includes(rail) || campaignId !== undefined}
                  onChange={() => set("rail")(rail)}
                  className="mt-0.5 accent-brand-600"
                />
                <span>
                  <span className="block font-medium text-gray-900">{t(`campaigns.rail.${rail}`)}</span>
                  <span className="block text-gray-600">{t(`campaigns.railHint.${rail}`)}</span>
                </span>
              </label>
            ))}
          </div>
        </ChoiceGroup>
      </Card>

      <Section title={t("campaigns.form.sectionPacket")}>
        <Field label={t("campaigns.form.name")} hint={t("campaigns.form.nameHint")} errors={errors.name}>
          <Input {...bind("name")} maxLength={64} />
        </Field>
        <Field
          label={t("campaigns.form.prizeMessage")}
          hint={t("campaigns.form.prizeMessageHint")}
          errors={errors.prizeMessage}
        >
          <Input {...bind("prizeMessage")} maxLength={64} />
        </Field>
        <Field label={t("campaigns.form.defaultScene")} errors={errors.defaultScene}>
          <Select
            value={values.defaultScene}
            onChange={(e) => set("defaultScene")(e.target.value as CampaignFormState["defaultScene"])}
          >
            {SCENES.map((scene) => (
              <option key={scene} value={scene}>
                {t(`campaigns.scene.${scene}`)}
              </option>
            ))}
          </Select>
        </Field>
      </Section>

      <Section title={t("campaigns.form.sectionBudget")}>
        {cash ? (
          <>
            <fieldset className="sm:col-span-2">
              <legend className="mb-2 text-sm font-medium text-gray-900">
                {t("campaigns.form.prizeType")}
              </legend>
              <div className="flex gap-6">
                {PRIZE_TYPES.map((type) => (
                  <label key={type} className="flex items-center gap-2 text-sm text-gray-800">
                    <input
                      type="radio"
                      name="prizeType"
                      value={type}
                      checked={values.prizeType === type}
                      onChange={() => set("prizeType")(type)}
                      className="accent-brand-600"
                    />
                    {t(`campaigns.prizeType.${type}`)}
                  </label>
                ))}
              </div>
            </fieldset>
            <Field label={t("campaigns.form.total")} errors={errors.total}>
              <Input {...bind("total")} inputMode="decimal" placeholder="1000.00" />
            </Field>
            <Field label={t("campaigns.form.packetCount")} errors={errors.packetCount}>
              <Input {...bind("packetCount")} inputMode="numeric" placeholder="100" />
            </Field>
            <p
              className={`text-sm sm:col-span-2 ${preview && !preview.ok ? "text-amber-700" : "text-gray-600"}`}
              aria-live="polite"
              data-testid="packet-preview"
            >
              {preview ? describePacketPreview(preview, t) : "\u00a0"}
            </p>
          </>
        ) : (
          <>
            {hasBudget ? (
              <Field
                label={t("campaigns.form.budgetLimit")}
                hint={t("campaigns.form.budgetLimitHint")}
                errors={errors.total}
              >
                <Input {...bind("total")} inputMode="decimal" placeholder="1000.00" />
              </Field>
            ) : (
              <p className="text-sm text-gray-600 sm:col-span-2" data-testid="no-budget-hint">
                {t("campaigns.form.noBudgetFundCoupon")}
              </p>
            )}
            <Field
              label={t("campaigns.form.maxPacket")}
              hint={t("campaigns.form.maxPacketHint", { max: formatFen(REQUEST_AMOUNT_LIMITS.packetMaxFen) })}
              errors={errors.maxPacket}
            >
              <Input
                {...bind("maxPacket")}
                inputMode="decimal"
                placeholder={fenToYuanInput(REQUEST_AMOUNT_LIMITS.packetHintFen)}
              />
            </Field>
            <Field
              label={t("campaigns.form.dailyAmountPerUser")}
              hint={t("campaigns.form.dailyAmountPerUserHint")}
              errors={errors.dailyAmountPerUser}
            >
              <Input {...bind("dailyAmountPerUser")} inputMode="decimal" />
            </Field>
          </>
        )}
      </Section>

      <Section title={t("campaigns.form.sectionSchedule")}>
        <fieldset className="sm:col-span-2">
          <legend className="mb-2 text-sm font-medium text-gray-900">{t("campaigns.form.start")}</legend>
          <div className="flex gap-6">
            {(["now", "at"] as const).map((mode) => (
              <label key={mode} className="flex items-center gap-2 text-sm text-gray-800">
                <input
                  type="radio"
                  name="startMode"
                  value={mode}
                  checked={values.startMode === mode}
                  onChange={() => set("startMode")(mode)}
                  className="accent-brand-600"
                />
                {mode === "now" ? t("campaigns.form.startNow") : t("campaigns.form.startAt")}
              </label>
            ))}
          </div>
        </fieldset>
        {values.startMode === "at" ? (
          <Field label={t("campaigns.form.startAtLabel")} errors={errors.startAt}>
            <Input {...bind("startAt")} type="datetime-local" />
          </Field>
        ) : null}
        <Field
          label={t("campaigns.form.endAt")}
          hint={t("campaigns.form.timeHint", { zone: timeZone })}
          errors={errors.endAt}
        >
          <Input {...bind("endAt")} type="datetime-local" />
        </Field>
        {cash ? (
          <Field
            label={t("campaigns.form.merchantLink")}
            hint={t("campaigns.form.merchantLinkHint")}
            errors={errors.merchantLink}
          >
            <Input {...bind("merchantLink")} type="url" />
          </Field>
        ) : null}
      </Section>

      <Section title={t("campaigns.form.sectionLimits")}>
        <Field label={t("campaigns.form.frequencyLifetime")} errors={errors.frequencyLifetime}>
          <Input {...bind("frequencyLifetime")} inputMode="numeric" />
        </Field>
        <Field label={t("campaigns.form.frequencyPeriod")} errors={errors.frequencyPeriod}>
          <Select
            value={values.frequencyPeriod}
            onChange={(e) => set("frequencyPeriod")(e.target.value as CampaignFormState["frequencyPeriod"])}
          >
            <option value="">{t("campaigns.form.frequencyPeriodNone")}</option>
            {FREQUENCY_PERIODS.map((period) => (
              <option key={period} value={period}>
                {t(`campaigns.form.period.${period}`)}
              </option>
            ))}
          </Select>
        </Field>
        {values.frequencyPeriod !== "" ? (
          <Field label={t("campaigns.form.frequencyPeriodLimit")} errors={errors.frequencyPeriodLimit}>
            <Input {...bind("frequencyPeriodLimit")} inputMode="numeric" />
          </Field>
        ) : null}
        <p className="self-end text-sm text-gray-600" aria-live="polite" data-testid="frequency-preview">
          {frequency ? (
            <>
              {t("campaigns.form.frequencyPreview", { value: "" })}
              <code className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-gray-900">{frequency}</code>
            </>
          ) : (
            "\u00a0"
          )}
        </p>
      </Section>

      <Section title={t("campaigns.form.sectionPolicy")}>
        <div className="space-y-1 text-sm text-gray-600 sm:col-span-2" data-testid="policy-hint">
          <p>
            {hasBudget
              ? t("campaigns.form.policyHint", { percent: DEFAULT_DAILY_CAP_PERCENT })
              : t("campaigns.form.policyHintNoBudget")}
          </p>
          {policyEdited ? null : <p>{t("campaigns.form.policyAutoFilled")}</p>}
        </div>
        <Field
          label={t("campaigns.form.autoApproveMax")}
          hint={t("campaigns.form.autoApproveMaxHint")}
          errors={errors.autoApproveMax}
        >
          <Input
            {...bind("autoApproveMax")}
            inputMode="decimal"
            placeholder={t("campaigns.form.autoApproveEmpty")}
          />
        </Field>
        <Field
          label={t("campaigns.form.autoApproveDailyCap")}
          hint={t("campaigns.form.autoApproveDailyCapHint")}
          errors={errors.autoApproveDailyCap}
        >
          <Input
            {...bind("autoApproveDailyCap")}
            inputMode="decimal"
            placeholder={t("campaigns.form.autoApproveEmpty")}
          />
        </Field>
      </Section>

      <div className="flex justify-end gap-3">
        <Button variant="secondary" onClick={() => router.back()}>
          {t("common.cancel")}
        </Button>
        <Button type="submit" loading={pending}>
          {pending
            ? t("campaigns.form.submitting")
            : campaignId
              ? t("campaigns.form.resubmit")
              : cash
                ? t("campaigns.form.submit")
                : t("campaigns.form.submitLocal")}
        </Button>
      </div>
    </form>
  );
}
