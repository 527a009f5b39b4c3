/**
 * The console's sections. The sidebar shows a section when the role holds its permission; each page checks
 * the same permission on the server with `requirePermission`.
 */
import { roleHasPermission, type Permission, type Role } from "@/lib/auth/permissions";
import type { MessageKey } from "@/lib/i18n/messages";

export type Section = {
  id: "dashboard" | "campaigns" | "userPackets" | "payouts" | "approvals" | "batches" | "audit" | "settings";
  href: string;
  label: MessageKey;
  permission: Permission;
};

export const SECTIONS: readonly Section[] = [
  { id: "dashboard", href: "/", label: "nav.dashboard", permission: "dashboard:read" },
  { id: "campaigns", href: "/campaigns", label: "nav.campaigns", permission: "campaign:read" },
  { id: "userPackets", href: "/user-packets", label: "nav.userPackets", permission: "campaign:read" },
  { id: "payouts", href: "/payouts", label: "nav.payouts", permission: "payout:read" },
  { id: "approvals", href: "/approvals", label: "nav.approvals", permission: "approval:read" },
  { id: "batches", href: "/batches", label: "nav.batches", permission: "batch:read" },
  { id: "audit", href: "/audit", label: "nav.audit", permission: "audit:read" },
  { id: "settings", href: "/settings", label: "nav.settings", permission: "settings:manage" },
];

export function sectionsFor(role: Role): Section[] {
  return SECTIONS.filter((section) => roleHasPermission(role, section.permission));
}
