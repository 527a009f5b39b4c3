import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { LogoMark } from "@/components/ui/icons";
import type { UserActor } from "@/lib/auth/actor";
import { isDemoMode } from "@/lib/env";
import { getI18n } from "@/lib/i18n/server";
import { sectionsFor } from "@/lib/navigation";
import { LanguageSwitch } from "./language-switch";
import { MobileNav } from "./mobile-nav";
import { SidebarNav } from "./sidebar-nav";
import { SignOutButton } from "./sign-out-button";

export async function AppShell({ user, children }: { user: UserActor; children: ReactNode }) {
  const { t } = await getI18n();
  const sections = sectionsFor(user.role);
  return (
    // The sidebar is in the flow and stretches with the page, so its edge runs the page's full height
    // (also in full-page captures and print); its contents stick to the window while the page scrolls.
    <div className="min-h-dvh lg:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
      >
        {t("shell.skipToContent")}
      </a>
      <aside className="hidden w-60 shrink-0 border-r border-gray-200 bg-white lg:block">
        <div className="sticky top-0 flex h-dvh flex-col">
          <div className="flex h-14 shrink-0 items-center gap-2 px-5">
            <LogoMark />
            <span className="truncate font-semibold text-gray-900">{t("app.name")}</span>
          </div>
          <div className="flex-1 overflow-y-auto px-3 pb-4">
            <SidebarNav sections={sections} />
          </div>
        </div>
      </aside>
      <div className="min-w-0 flex-1">
        <header className="sticky top-0 z-10 flex h-14 items-center gap-2 border-b border-gray-200 bg-white/90 px-4 backdrop-blur sm:gap-3 sm:px-6">
          <MobileNav
            sections={sections}
            footer={
              <div className="space-y-1 text-sm">
                <p className="truncate font-medium text-gray-900">{user.name}</p>
                <p className="truncate text-gray-500">{user.email}</p>
                {isDemoMode ? <Badge tone="amber">{t("app.demoMode")}</Badge> : null}
              </div>
            }
          />
          <div className="flex min-w-0 items-center gap-2 lg:hidden">
            <LogoMark className="shrink-0" />
            <span className="hidden truncate font-semibold text-gray-900 sm:inline">{t("app.name")}</span>
          </div>
          <div className="ml-auto flex min-w-0 items-center gap-2 sm:gap-4">
            {isDemoMode ? (
              <Badge tone="amber" className="hidden md:inline-flex">
                {t("app.demoMode")}
              </Badge>
            ) : null}
            <LanguageSwitch />
            <div className="flex min-w-0 items-center gap-2 text-sm" data-testid="current-user">
              <span className="sr-only">{t("shell.signedInAs")}</span>
              <span className="hidden truncate font-medium text-gray-900 lg:inline">{user.name}</span>
              <span className="hidden truncate text-gray-500 lg:inline">{user.email}</span>
              <Badge tone="blue" data-testid="current-role">
                {t(`role.${user.role}`)}
              </Badge>
            </div>
            <SignOutButton />
          </div>
        </header>
        <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:px-6 sm:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
