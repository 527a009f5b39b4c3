"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ChoiceGroup, errorsUnder, toggled } from "@/components/ui/choice-group";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ShownOnceSecret } from "@/components/ui/shown-once-secret";
import { createApiKeyAction } from "@/lib/actions/create-api-key";
import { useAction } from "@/lib/actions/use-action";
import type { CreatedApiKey } from "@/lib/api-keys/types";
import { useI18n } from "@/lib/i18n/client";
import {
  API_KEY_PERMISSIONS,
  API_KEY_RATE_DEFAULT,
  createApiKeySchema,
  type ApiKeyPermission,
  type CreateApiKeyFormValues,
} from "@/lib/validation/api-keys";

export type CampaignOption = { id: string; name: string };

type Scope = "all" | "only";

// Typed on the form's values so the shared schema can check them in the browser before the round trip.
const submitCreate = (values: CreateApiKeyFormValues) => createApiKeyAction(values);

export function CreateApiKeyDialog({ campaignOptions }: { campaignOptions: CampaignOption[] }) {
  const { t, tr } = useI18n();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [permissions, setPermissions] = useState<ApiKeyPermission[]>([]);
  const [scope, setScope] = useState<Scope>("all");
  const [campaignIds, setCampaignIds] = useState<string[]>([]);
  const [rate, setRate] = useState(String(API_KEY_RATE_DEFAULT));
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const { run, pending, failure, fieldErrors, reset } = useAction(submitCreate, {
    schema: createApiKeySchema,
  });

  const close = () => {
    // The secret leaves memory with the dialog; the list then shows the new key (without it).
    if (created) router.refresh();
    setOpen(false);
    setCreated(null);
    setName("");
    setPermissions([]);
    setScope("all");
    setCampaignIds([]);
    setRate(String(API_KEY_RATE_DEFAULT));
    reset();
  };

  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("apiKeys.create")}</Button>
      <Dialog
        open={open}
        onClose={close}
        title={created ? t("apiKeys.secretCreatedTitle") : t("apiKeys.create")}
      >
        {created ? (
          <ShownOnceSecret
            secret={created.secret}
            labels={{
              warning: t("apiKeys.secretWarning"),
              label: t("apiKeys.secretLabel"),
              copy: t("apiKeys.copy"),
              copied: t("apiKeys.copied"),
              copyFailed: t("apiKeys.copyFailed"),
              done: t("apiKeys.done"),
            }}
            onDone={close}
          />
        ) : (
          <form
            className="space-y-4"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              run(
                {
                  name,
                  permissions,
                  campaignIds: scope === "all" ? null : campaignIds,
                  ratePerMinute: rate,
                },
                setCreated,
              );
            }}
          >
            {failure && !failure.fieldErrors ? (
              <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
                {tr(failure.error.message)}
              </p>
            ) : null}
            <Field label={t("apiKeys.name")} hint={t("apiKeys.nameHint")} errors={fieldErrors.name}>
              <Input
                name="name"
                autoComplete="off"
                maxLength={100}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </Field>
            <ChoiceGroup legend={t("apiKeys.permissions")} errors={errorsUnder(fieldErrors, "permissions")}>
              <div className="space-y-2">
                {API_KEY_PERMISSIONS.map((permission) => (
                  <label key={permission} className="flex items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      name="permissions"
                      value={permission}
                      checked={permissions.includes(permission)}
                      onChange={(e) => setPermissions((list) => toggled(list, permission, e.target.checked))}
                      className="mt-0.5 size-4 shrink-0 accent-brand-600"
                    />
                    <span>
                      <span className="font-medium text-gray-900">
                        {t(`apiKeys.permission.${permission}`)}
                      </span>
                      <span className="block text-xs text-gray-500">
                        {t(`apiKeys.permissionHint.${permission}`)}
                      </span>
                    </span>
                  </label>
                ))}
              </div>
            </ChoiceGroup>
            <ChoiceGroup
              legend={t("apiKeys.campaigns")}
              hint={scope === "only" ? t("apiKeys.campaignsHint") : undefined}
              errors={errorsUnder(fieldErrors, "campaignIds")}
            >
              <div className="flex flex-wrap gap-x-6 gap-y-1">
                {(["all", "only"] as const).map((value) => (
                  <label key={value} className="flex items-center gap-2 text-sm text-gray-800">
                    <input
                      type="radio"
                      name="campaignScope"
                      value={value}
                      checked={scope === value}
                      onChange={() => setScope(value)}
                      className="accent-brand-600"
                    />
                    {value === "all" ? t("apiKeys.allCampaigns") : t("apiKeys.onlyCampaigns")}
                  </label>
                ))}
              </div>
              {scope === "only" ? (
                campaignOptions.length === 0 ? (
                  <p className="mt-2 text-sm text-gray-500">{t("apiKeys.noCampaigns")}</p>
                ) : (
                  <div className="mt-2 max-h-44 space-y-1 overflow-y-auto rounded-md p-2 ring-1 ring-gray-200 ring-inset">
                    {campaignOptions.map((campaign) => (
                      <label key={campaign.id} className="flex items-center gap-2 text-sm text-gray-800">
                        <input
                          type="checkbox"
                          name="campaignIds"
                          value={campaign.id}
                          checked={campaignIds.includes(campaign.id)}
                          onChange={(e) =>
                            setCampaignIds((list) => toggled(list, campaign.id, e.target.checked))
                          }
                          className="size-4 shrink-0 accent-brand-600"
                        />
                        <span className="truncate">{campaign.name}</span>
                      </label>
                    ))}
                  </div>
                )
              ) : null}
            </ChoiceGroup>
            <Field
              label={t("apiKeys.ratePerMinute")}
              hint={t("apiKeys.ratePerMinuteHint")}
              errors={fieldErrors.ratePerMinute}
            >
              <Input
                name="ratePerMinute"
                inputMode="numeric"
                value={rate}
                onChange={(e) => setRate(e.target.value)}
              />
            </Field>
            <DialogActions onCancel={close} submitLabel={t("common.create")} pending={pending} />
          </form>
        )}
      </Dialog>
    </>
  );
}
