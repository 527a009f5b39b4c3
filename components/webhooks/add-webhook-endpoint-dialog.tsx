"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { writeClipboard } from "@/components/ui/copyable-id";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
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

/** The signing secret, this once: read-only, with a copy button and the warning that it is not shown again. */
function SecretView({ created, onDone }: { created: CreatedWebhookEndpoint; onDone: () => void }) {
  const { t } = useI18n();
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <div className="space-y-4">
      <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" role="alert">
        {t("webhooks.secretOnce")}
      </p>
      <div className="flex items-end gap-2">
        <div className="min-w-0 flex-1">
          <Field label={t("webhooks.secretLabel")}>
            <Input
              readOnly
              value={created.secret}
              className="font-mono text-xs"
              translate="no"
              spellCheck={false}
              data-testid="webhook-secret"
              onFocus={(e) => e.currentTarget.select()}
            />
          </Field>
        </div>
        <Button
          variant="secondary"
          onClick={async () => setCopy((await writeClipboard(created.secret)) ? "copied" : "failed")}
        >
          {copy === "copied" ? t("webhooks.secretCopied") : t("webhooks.secretCopy")}
        </Button>
      </div>
      <p aria-live="polite" className="text-sm text-red-600">
        {copy === "failed" ? t("webhooks.secretCopyFailed") : null}
      </p>
      <div className="flex justify-end">
        <Button onClick={onDone}>{t("webhooks.secretDone")}</Button>
      </div>
    </div>
  );
}

export function AddWebhookEndpointDialog() {
  const { t, tr } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const eventsId = useId();
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
  const eventErrors = Object.entries(fieldErrors)
    .filter(([path]) => path === "events" || path.startsWith("events."))
    .flatMap(([, errors]) => errors);

  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("webhooks.add")}</Button>
      <Dialog open={open} onClose={close} title={created ? t("webhooks.secretTitle") : t("webhooks.add")}>
        {created ? (
          <SecretView created={created} onDone={close} />
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
            <fieldset
              aria-describedby={eventErrors.length ? `${eventsId}-error` : `${eventsId}-hint`}
              aria-invalid={eventErrors.length ? true : undefined}
            >
              <legend className="mb-1.5 text-sm font-medium text-gray-900">{t("webhooks.events")}</legend>
              <div className="space-y-2">
                {WEBHOOK_EVENT_TYPES.map((type) => (
                  <label key={type} className="flex items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      name="events"
                      value={type}
                      checked={events.includes(type)}
                      onChange={(e) =>
                        setEvents((list) =>
                          e.target.checked
                            ? [...list.filter((v) => v !== type), type]
                            : list.filter((v) => v !== type),
                        )
                      }
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
              <p id={`${eventsId}-hint`} className="mt-1.5 text-xs text-gray-500">
                {t("webhooks.eventsHint")}
              </p>
              {eventErrors.length ? (
                <p id={`${eventsId}-error`} className="mt-1.5 text-sm text-red-600" data-field-error="">
                  {eventErrors.map((e) => tr(e)).join(" ")}
                </p>
              ) : null}
            </fieldset>
            <div className="flex justify-end gap-2 pt-2">
              <Button variant="secondary" onClick={close}>
                {t("common.cancel")}
              </Button>
              <Button type="submit" loading={pending}>
                {t("common.create")}
              </Button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}
