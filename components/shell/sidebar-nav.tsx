"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Icons } from "@/components/ui/icons";
import { cn } from "@/lib/cn";
import { useI18n } from "@/lib/i18n/client";
import type { Section } from "@/lib/navigation";

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function SidebarNav({ sections }: { sections: Section[] }) {
  const pathname = usePathname();
  const { t } = useI18n();
  const onDevelopers = isActive(pathname, "/developers");
  return (
    <>
      <nav aria-label={t("nav.main")}>
        <ul className="space-y-0.5">
          {sections.map((section) => {
            const active = isActive(pathname, section.href);
            const Icon = Icons[section.id];
            return (
              <li key={section.id}>
                <Link
                  href={section.href}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium",
                    active
                      ? "bg-brand-50 text-brand-700"
                      : "text-gray-700 hover:bg-gray-100 hover:text-gray-900",
                  )}
                >
                  <Icon className={active ? "text-brand-600" : "text-gray-400"} />
                  {t(section.label)}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {/* Every signed-in person may read the API reference; it sits apart from the role's sections. */}
      <Link
        href="/developers"
        aria-current={onDevelopers ? "page" : undefined}
        className={cn(
          "mt-6 block rounded-md border-t border-gray-100 px-3 pt-4 pb-2 text-sm",
          onDevelopers ? "font-medium text-brand-700" : "text-gray-500 hover:text-gray-900",
        )}
      >
        {t("api.nav")}
      </Link>
    </>
  );
}
