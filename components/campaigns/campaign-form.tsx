"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { createCampaignAction } from "@/lib/actions/create-campaign";
import type { ActionFailure } from "@/lib/actions/result";
import { resubmitCampaignAction } from "@/lib/actions/resubmit-campaign";
import { buildFrequency, FREQUENCY_PERIODS, isValidFrequency } from "@/lib/campaigns/frequency";
import type { CampaignFormState } from "@/lib/campaigns/form-defaults";
import type { FieldErrors } from "@/lib/errors";
import { formatFen, parseYuanInput } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import {
  campaignFormSchema,
  CREATABLE_RAILS,
  PRIZE_TYPES,
  RAILS,
  SCENES,
  type CampaignFormValues,
} from "@/lib/validation/campaigns";
import { fieldErrorsFromZod } from "@/lib/validation/errors";

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card className="p-5">
      <h2 className="mb-4 text-sm font-semibold tracking-wide text-gray-500 uppercase">{title}</h2>
      <div className="grid gap-5 sm:grid-cols-2">{children}</div>
    </Card>
  );
}

/** Live explanation of what the budget and count mean per packet (the rule Alipay applies). */
function usePacketPreview(values: CampaignFormState): string | null {
  const { t } = useI18n();
  const total = parseYuanInput(values.total);
  const count = /^\d{1,9}$/.test(values.packetCount.trim()) ? Number(values.packetCount) : null;
  if (total === null || !count) return null;
  if (values.prizeType === "FIXED") {
    return total % count === 0 ? t("campaigns.form.perPacket", { amount: formatFen(total / count) }) : null;
  }
  const average = Math.floor(total / count);
  return t("campaigns.form.randomRange", {
    min: formatFen(Math.floor(average / 2)),
    max: formatFen(Math.floor((average * 3) / 2)),
    average: formatFen(average),
  });
}

function frequencyPreview(values: CampaignFormState): string | null {
  const lifetime = Number(values.frequencyLifetime);
  const period = values.frequencyPeriod === "" ? null : values.frequencyPeriod;
  const periodLimit = period ? Number(values.frequencyPeriodLimit) : null;
  const frequency = { lifetime, period, periodLimit };
  return isValidFrequency(frequency) ? buildFrequency(frequency) : null;
}

export function CampaignForm({ initial, campaignId }: { initial: CampaignFormState; campaignId?: string }) {
  const { t, tr, timeZone } = useI18n();
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const [pending, startTransition] = useTransition();
  const schema = useMemo(() => campaignFormSchema({ timeZone }), [timeZone]);
  const packetPreview = usePacketPreview(values);
  const frequency = frequencyPreview(values);

  const set =
    <K extends keyof CampaignFormState>(key: K) =>
    (value: CampaignFormState[K]) =>
      setValues((current) => ({ ...current, [key]: value }));
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

  const submit = () => {
    const raw: CampaignFormValues = values;
    const checked = schema.safeParse(raw);
    if (!checked.success) {
      setErrors(fieldErrorsFromZod(checked.error));
      setFailure(null);
      return;
    }
    setErrors({});
    startTransition(async () => {
      const result = campaignId
        ? await resubmitCampaignAction({ campaignId, ...raw })
        : await createCampaignAction(raw);
      if (result.ok) {
        router.push(`/campaigns/${result.data.id}`);
        return;
      }
      setFailure(result);
      setErrors(result.fieldErrors ?? {});
    });
  };

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
        <Field label={t("campaigns.form.rail")} hint={t("campaigns.form.railHint")} errors={errors.rail}>
          <Select
            value={values.rail}
            onChange={(e) => set("rail")(e.target.value as CampaignFormState["rail"])}
          >
            {RAILS.map((rail) => (
              <option key={rail} value={rail} disabled={!CREATABLE_RAILS.includes(rail)}>
                {t(`campaigns.rail.${rail}`)}
              </option>
            ))}
          </Select>
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
        <fieldset className="sm:col-span-2">
          <legend className="mb-2 text-sm font-medium text-gray-900">{t("campaigns.form.prizeType")}</legend>
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
        <p className="text-sm text-gray-600 sm:col-span-2" aria-live="polite" data-testid="packet-preview">
          {packetPreview ?? "\u00a0"}
        </p>
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
        <Field
          label={t("campaigns.form.merchantLink")}
          hint={t("campaigns.form.merchantLinkHint")}
          errors={errors.merchantLink}
        >
          <Input {...bind("merchantLink")} type="url" />
        </Field>
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
        <Field
          label={t("campaigns.form.autoApproveMax")}
          hint={t("campaigns.form.autoApproveMaxHint")}
          errors={errors.autoApproveMax}
        >
          <Input {...bind("autoApproveMax")} inputMode="decimal" />
        </Field>
        <Field label={t("campaigns.form.autoApproveDailyCap")} errors={errors.autoApproveDailyCap}>
          <Input {...bind("autoApproveDailyCap")} inputMode="decimal" />
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
              : t("campaigns.form.submit")}
        </Button>
      </div>
    </form>
  );
}
