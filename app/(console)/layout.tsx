import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requirePagePermission } from "@/lib/auth/session";

/** The console frame. Each page still checks its own permission: layouts do not re-run on client navigation. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requirePagePermission("authenticated");
  return <AppShell user={user}>{children}</AppShell>;
}
