import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { getI18n } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("settings.title") };
}

export default async function SettingsPage() {
  await requirePagePermission("settings:manage", "/settings");
  const { t } = await getI18n();
  const items = [
    { href: "/settings/users", title: t("nav.users"), description: t("settings.users.description") },
    { href: "/settings/api-keys", title: t("apiKeys.title"), description: t("apiKeys.description") },
    { href: "/settings/webhooks", title: t("webhooks.title"), description: t("webhooks.description") },
    {
      href: "/settings/notifications",
      title: t("notifications.title"),
      description: t("notifications.description"),
    },
  ];
  return (
    <>
      <PageHeader title={t("settings.title")} />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {items.map((item) => (
          <Link key={item.href} href={item.href} className="group">
            <Card className="h-full p-5 transition group-hover:ring-brand-300">
              <h2 className="font-semibold text-gray-900">{item.title}</h2>
              <p className="mt-1 text-sm text-gray-500">{item.description}</p>
            </Card>
          </Link>
        ))}
      </div>
    </>
  );
}
