"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { ActionFailure } from "@/lib/actions/result";
import { signInAction } from "@/lib/actions/sign-in";
import { useI18n } from "@/lib/i18n/client";

export function LoginForm({ callbackUrl, notice }: { callbackUrl?: string; notice?: string }) {
  const { t, tr } = useI18n();
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <form
      className="space-y-5 rounded-lg bg-white p-6 shadow-xs ring-1 ring-gray-200"
      onSubmit={(event) => {
        event.preventDefault(); // keep the email when the password was wrong
        const formData = new FormData(event.currentTarget);
        startTransition(async () => {
          // On success the action redirects; only failures come back.
          const result = await signInAction(formData);
          setFailure(result.ok ? null : result);
        });
      }}
    >
      {notice && !failure ? (
        <p className="rounded-md bg-blue-50 px-3 py-2 text-sm text-blue-800" data-testid="login-notice">
          {notice}
        </p>
      ) : null}
      {failure && failure.error.code !== "VALIDATION" ? (
        <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-testid="login-error">
          {tr(failure.error.message)}
        </p>
      ) : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl ?? ""} />
      <Field label={t("login.email")} errors={failure?.fieldErrors?.email}>
        <Input name="email" type="email" autoComplete="username" required autoFocus />
      </Field>
      <Field label={t("login.password")} errors={failure?.fieldErrors?.password}>
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" className="w-full" loading={pending}>
        {pending ? t("login.submitting") : t("login.submit")}
      </Button>
    </form>
  );
}
