import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { LogoMark } from "@/components/ui/icons";
import { LanguageSwitch } from "@/components/shell/language-switch";
import { currentUserForDisplay } from "@/lib/auth/session";
import { isDemoMode } from "@/lib/env";
import { getI18n } from "@/lib/i18n/server";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/lib/users/demo-accounts";
import { firstValues } from "@/lib/validation/list-query";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("login.submit") };
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const params = firstValues(await searchParams);
  if (await currentUserForDisplay()) redirect("/");
  const { t } = await getI18n();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="absolute top-4 right-4">
        <LanguageSwitch />
      </div>
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <LogoMark width={48} height={48} className="mx-auto mb-3" />
          <h1 className="text-xl font-semibold text-gray-900">{t("login.title")}</h1>
          <p className="mt-1 text-sm text-gray-500">{t("app.tagline")}</p>
        </div>
        <LoginForm
          callbackUrl={params.callbackUrl}
          notice={
            params.reason === "session-ended"
              ? t("login.sessionEnded")
              : params.signedOut
                ? t("login.signedOut")
                : undefined
          }
        />
        {isDemoMode ? (
          <section
            aria-labelledby="demo-accounts"
            className="mt-6 rounded-lg bg-amber-50 p-4 text-sm ring-1 ring-amber-200"
          >
            <h2 id="demo-accounts" className="font-medium text-amber-900">
              {t("app.demoMode")} · {t("login.demoAccounts", { password: DEMO_PASSWORD })}
            </h2>
            <ul className="mt-2 space-y-1 text-amber-900">
              {DEMO_ACCOUNTS.map((account) => (
                <li key={account.email} className="flex justify-between gap-2">
                  <code>{account.email}</code>
                  <span className="text-amber-700">{t(`role.${account.role}`)}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </main>
  );
}
