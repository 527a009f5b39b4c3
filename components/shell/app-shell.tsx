import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { LogoMark } from "@/components/ui/icons";
import type { UserActor } from "@/lib/auth/actor";
import { isDemoMode } from "@/lib/env";
import { getI18n } from "@/lib/i18n/server";
import { sectionsFor } from "@/lib/navigation";
import { LanguageSwitch } from "./language-switch";
import { SidebarNav } from "./sidebar-nav";
import { SignOutButton } from "./sign-out-button";

export async function AppShell({ user, children }: { user: UserActor; children: ReactNode }) {
  const { t } = await getI18n();
  return (
    <div className="min-h-screen lg:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
      >
        {t("shell.skipToContent")}
      </a>
      <aside className="border-b border-gray-200 bg-white lg:fixed lg:inset-y-0 lg:w-60 lg:border-r lg:border-b-0">
        <div className="flex h-14 items-center gap-2 px-5">
          <LogoMark />
          <span className="font-semibold text-gray-900">{t("app.name")}</span>
        </div>
        <div className="px-3 pb-4">
          <SidebarNav sections={sectionsFor(user.role)} />
        </div>
      </aside>
      <div className="flex-1 lg:pl-60">
        <header className="sticky top-0 z-10 flex h-14 items-center justify-end gap-4 border-b border-gray-200 bg-white/90 px-6 backdrop-blur">
          {isDemoMode ? <Badge tone="amber">{t("app.demoMode")}</Badge> : null}
          <LanguageSwitch />
          <div className="flex items-center gap-2 text-sm" data-testid="current-user">
            <span className="sr-only">{t("shell.signedInAs")}</span>
            <span className="font-medium text-gray-900">{user.name}</span>
            <span className="text-gray-500">{user.email}</span>
            <Badge tone="blue" data-testid="current-role">
              {t(`role.${user.role}`)}
            </Badge>
          </div>
          <SignOutButton />
        </header>
        <main id="main" className="mx-auto max-w-7xl px-6 py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
