"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Icons } from "@/components/ui/icons";
import { setLocaleAction } from "@/lib/actions/set-locale";
import { useI18n } from "@/lib/i18n/client";
import { LOCALES, type Locale } from "@/lib/i18n/messages";

const LANGUAGE_NAMES: Record<Locale, string> = { "zh-CN": "中文", en: "English" };

export function LanguageSwitch() {
  const { locale, t } = useI18n();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <label className="inline-flex items-center gap-2 text-sm text-gray-600">
      <span className="sr-only">{t("shell.language")}</span>
      <Icons.globe className="text-gray-400" />
      <select
        aria-label={t("shell.language")}
        value={locale}
        disabled={pending}
        onChange={(event) => {
          const next = event.target.value as Locale;
          startTransition(async () => {
            await setLocaleAction({ locale: next });
            router.refresh();
          });
        }}
        className="rounded-md border-0 bg-transparent py-1 pr-7 pl-1 text-sm font-medium text-gray-700 ring-1 ring-gray-200 focus:ring-2 focus:ring-brand-600"
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
