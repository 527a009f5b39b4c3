"use client";

import { Button } from "@/components/ui/button";
import { useI18n } from "@/lib/i18n/client";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = useI18n();
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center px-4 text-center">
      <h1 className="text-2xl font-semibold text-gray-900">{t("errors.genericPage.title")}</h1>
      <p className="mt-2 text-sm text-gray-600">{t("errors.internal")}</p>
      <Button className="mt-6" onClick={reset}>
        {t("errors.genericPage.retry")}
      </Button>
    </main>
  );
}
