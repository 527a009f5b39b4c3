import { ButtonLink } from "@/components/ui/button";
import { getI18n } from "@/lib/i18n/server";

/**
 * `notFound()` from any console page, and console URLs no route matches (the catch-all beside this file),
 * render here, inside the console's sidebar and header. app/not-found.tsx stays for what the console frame
 * cannot show.
 */
export default async function ConsoleNotFound() {
  const { t } = await getI18n();
  return (
    <div
      className="flex min-h-[50vh] flex-col items-center justify-center px-4 text-center"
      data-testid="not-found"
    >
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-gray-900">
        {t("errors.notFoundPage.title")}
      </h1>
      <p className="mt-2 max-w-md text-sm text-gray-600">{t("errors.notFoundPage.body")}</p>
      <ButtonLink href="/" variant="secondary" className="mt-6">
        {t("errors.backHome")}
      </ButtonLink>
    </div>
  );
}
