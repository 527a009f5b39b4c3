"use client";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { signInAction } from "@/lib/actions/sign-in";
import { useAction } from "@/lib/actions/use-action";
import { useI18n } from "@/lib/i18n/client";

export function LoginForm({ callbackUrl, notice }: { callbackUrl?: string; notice?: string }) {
  const { t, tr } = useI18n();
  // On success the action redirects; only failures come back.
  const { run, pending, failure, fieldErrors } = useAction(signInAction);

  return (
    <form
      className="space-y-5 rounded-lg bg-white p-6 shadow-xs ring-1 ring-gray-200"
      onSubmit={(event) => {
        event.preventDefault(); // keep the email when the password was wrong
        run(new FormData(event.currentTarget));
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
      <Field label={t("login.email")} errors={fieldErrors.email}>
        <Input name="email" type="email" autoComplete="username" required autoFocus />
      </Field>
      <Field label={t("login.password")} errors={fieldErrors.password}>
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" className="w-full" loading={pending}>
        {pending ? t("login.submitting") : t("login.submit")}
      </Button>
    </form>
  );
}
