import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { getI18n } from "@/lib/i18n/server";
import { alipaySetup } from "@/lib/settings/alipay-setup";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("settings.title") };
}

export default async function SettingsPage() {
  const actor = await requirePagePermission("settings:manage", "/settings");
  const { t } = await getI18n();
  const alipay = alipaySetup(actor);
  const unset = t("settings.alipay.unset");
  const setup: Array<[string, string]> = [
    [t("settings.alipay.appId"), alipay.appId ?? unset],
    [t("settings.alipay.gateway"), alipay.gateway ?? unset],
    [t("settings.alipay.notifyUrl"), alipay.notifyUrl ?? unset],
    [t("settings.alipay.merchantPid"), alipay.merchantPid ?? unset],
    [
      t("settings.alipay.rates"),
      t("settings.alipay.ratesValue", { all: alipay.maxQps, transfer: alipay.transferMaxQps }),
    ],
  ];
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
      <Card className="mt-6" data-testid="alipay-setup">
        <CardHeader
          title={t("settings.alipay.title")}
          description={alipay.demo ? t("settings.alipay.demo") : t("settings.alipay.description")}
        />
        <CardContent>
          <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
            {setup.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-gray-500">{label}</dt>
                <dd className="break-all font-mono text-gray-900">{value}</dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
    </>
  );
}
