"use client";

import { useId, useState, type ReactNode } from "react";
import { useModalDialog } from "@/components/ui/dialog";
import { Icons, LogoMark } from "@/components/ui/icons";
import { useI18n } from "@/lib/i18n/client";
import type { Section } from "@/lib/navigation";
import { SidebarNav } from "./sidebar-nav";

/**
 * Below the desktop breakpoint the sidebar becomes a drawer behind a menu button: a modal <dialog>, so the
 * browser provides focus trapping, Escape and the backdrop. Following a link closes it.
 */
export function MobileNav({ sections, footer }: { sections: Section[]; footer?: ReactNode }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const ref = useModalDialog(open);
  const drawerId = useId();

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label={t("shell.openMenu")}
        aria-expanded={open}
        aria-controls={drawerId}
        className="-ml-1.5 rounded-md p-1.5 text-gray-600 hover:bg-gray-100 hover:text-gray-900 focus-visible:outline-2 focus-visible:outline-brand-600 lg:hidden"
      >
        <Icons.menu className="size-5" />
      </button>
      <dialog
        ref={ref}
        id={drawerId}
        aria-label={t("nav.main")}
        onCancel={(event) => {
          event.preventDefault();
          setOpen(false);
        }}
        onClick={(event) => {
          const target = event.target as Element;
          // The backdrop, or a link (navigation is under way; the drawer would otherwise cover the new page).
          if (target === ref.current || target.closest("a")) setOpen(false);
        }}
        className="m-0 h-full max-h-full w-72 max-w-[85vw] bg-white p-0 shadow-xl backdrop:bg-gray-900/40 lg:hidden"
      >
        {open ? (
          <div className="flex h-full flex-col">
            <div className="flex h-14 shrink-0 items-center gap-2 border-b border-gray-100 px-4">
              <LogoMark />
              <span className="flex-1 truncate font-semibold text-gray-900">{t("app.name")}</span>
              <button
                type="button"
                onClick={() => setOpen(false)}
                aria-label={t("shell.closeMenu")}
                className="rounded-md p-1.5 text-gray-400 hover:bg-gray-100 hover:text-gray-600"
              >
                <Icons.close className="size-5" />
              </button>
            </div>
            <div className="flex-1 overflow-y-auto px-3 py-3">
              <SidebarNav sections={sections} />
            </div>
            {footer ? <div className="shrink-0 border-t border-gray-100 px-4 py-3">{footer}</div> : null}
          </div>
        ) : null}
      </dialog>
    </>
  );
}
