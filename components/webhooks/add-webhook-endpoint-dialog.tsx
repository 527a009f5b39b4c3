"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ChoiceGroup, errorsUnder, toggled } from "@/components/ui/choice-group";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ShownOnceSecret } from "@/components/ui/shown-once-secret";
import { useToast } from "@/components/ui/toast";
import { createWebhookEndpointAction } from "@/lib/actions/create-webhook-endpoint";
import { useAction } from "@/lib/actions/use-action";
import { useI18n } from "@/lib/i18n/client";
import {
  createWebhookEndpointSchema,
  WEBHOOK_DESCRIPTION_MAX,
  WEBHOOK_URL_MAX,
  type CreateWebhookEndpointFormValues,
} from "@/lib/validation/webhooks";
import {
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from "@/lib/webhooks/events";
import type { CreatedWebhookEndpoint } from "@/lib/webhooks/types";

// Typed on the form's values so the shared schema checks them in the browser before the round trip.
const submitCreate = (values: CreateWebhookEndpointFormValues) => createWebhookEndpointAction(values);

export function AddWebhookEndpointDialog() {
  const { t, tr } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const [created, setCreated] = useState<CreatedWebhookEndpoint | null>(null);
  const { run, pending, failure, fieldErrors, reset } = useAction(submitCreate, {
    schema: createWebhookEndpointSchema,
  });

  const close = () => {
    // The secret leaves memory with the dialog; the list then shows the new endpoint (without it).
    if (created) router.refresh();
    setOpen(false);
    setCreated(null);
    setUrl("");
    setDescription("");
    setEvents([]);
    reset();
  };

  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("webhooks.add")}</Button>
      <Dialog open={open} onClose={close} title={created ? t("webhooks.secretTitle") : t("webhooks.add")}>
        {created ? (
          <ShownOnceSecret
            secret={created.secret}
            labels={{
              warning: t("webhooks.secretOnce"),
              label: t("webhooks.secretLabel"),
              copy: t("webhooks.secretCopy"),
              copied: t("webhooks.secretCopied"),
              copyFailed: t("webhooks.secretCopyFailed"),
              done: t("webhooks.secretDone"),
            }}
            testId="webhook-secret"
            onDone={close}
          />
        ) : (
          <form
            className="space-y-4"
            noValidate
            onSubmit={(event) => {
              event.preventDefault(); // keep what was typed when the server sends field errors back
              run({ url, description, events }, (result) => {
                toast(t("webhooks.created", { url: result.endpoint.url }));
                setCreated(result);
              });
            }}
          >
            {failure && !failure.fieldErrors ? (
              <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
                {tr(failure.error.message)}
              </p>
            ) : null}
            <Field label={t("webhooks.url")} hint={t("webhooks.urlHint")} errors={fieldErrors.url}>
              <Input
                name="url"
                type="url"
                inputMode="url"
                autoComplete="off"
                spellCheck={false}
                maxLength={WEBHOOK_URL_MAX}
                placeholder="https://"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
              />
            </Field>
            <Field
              label={t("webhooks.descriptionLabel")}
              hint={t("webhooks.descriptionHint")}
              errors={fieldErrors.description}
            >
              <Input
                name="description"
                autoComplete="off"
                maxLength={WEBHOOK_DESCRIPTION_MAX}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
              />
            </Field>
            <ChoiceGroup
              legend={t("webhooks.events")}
              hint={t("webhooks.eventsHint")}
              errors={errorsUnder(fieldErrors, "events")}
            >
              <div className="space-y-2">
                {WEBHOOK_EVENT_TYPES.map((type) => (
                  <label key={type} className="flex items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      name="events"
                      value={type}
                      checked={events.includes(type)}
                      onChange={(e) => setEvents((list) => toggled(list, type, e.target.checked))}
                      className="mt-0.5 size-4 accent-brand-600"
                    />
                    <span>
                      <code className="font-medium text-gray-900" translate="no">
                        {type}
                      </code>
                      <span className="block text-xs text-gray-500">
                        {t(WEBHOOK_EVENT_DESCRIPTIONS[type])}
                      </span>
                    </span>
                  </label>
                ))}
              </div>
            </ChoiceGroup>
            <DialogActions onCancel={close} submitLabel={t("common.create")} pending={pending} />
          </form>
        )}
      </Dialog>
    </>
  );
}
