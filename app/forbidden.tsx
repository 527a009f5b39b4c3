import Link from "next/link";
import { getI18n } from "@/lib/i18n/server";

export default async function Forbidden() {
  const { t } = await getI18n();
  return (
    <main
      className="flex min-h-[60vh] flex-col items-center justify-center px-4 text-center"
      data-testid="forbidden"
    >
      <p className="text-sm font-semibold text-brand-600">403</p>
      <h1 className="mt-2 text-2xl font-semibold text-gray-900">{t("errors.forbiddenPage.title")}</h1>
      <p className="mt-2 max-w-md text-sm text-gray-600">{t("errors.forbiddenPage.body")}</p>
      <Link href="/" className="mt-6 text-sm font-medium text-brand-700 hover:underline">
        {t("errors.backHome")}
      </Link>
    </main>
  );
}
