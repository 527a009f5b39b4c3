import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ToastProvider } from "@/components/ui/toast";
import { I18nProvider } from "@/lib/i18n/client";
import { getI18n } from "@/lib/i18n/server";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: { default: t("app.name"), template: `%s · ${t("app.name")}` }, robots: { index: false } };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, timeZone } = await getI18n();
  return (
    <html lang={locale}>
      <body>
        <I18nProvider locale={locale} timeZone={timeZone}>
          <ToastProvider>{children}</ToastProvider>
        </I18nProvider>
      </body>
    </html>
  );
}
