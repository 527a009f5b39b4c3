import { describe, expect, it } from "vitest";
import { sectionsFor } from "@/lib/navigation";
import {
  PERMISSIONS,
  permissionsOf,
  ROLE_PERMISSIONS,
  ROLES,
  roleHasPermission,
  type Permission,
  type Role,
} from "./permissions";

const MUTATING: Permission[] = [
  "campaign:create",
  "campaign:fund",
  "campaign:manage",
  "payout:request",
  "payout:approve",
  "batch:create",
  "user:manage",
  "apikey:manage",
  "settings:manage",
];

describe("permission map", () => {
  it("grants admins every permission", () => {
    expect([...permissionsOf("admin")].sort()).toEqual([...PERMISSIONS].sort());
  });

  it("only lists known permissions, without duplicates", () => {
    for (const role of ROLES) {
      const list = ROLE_PERMISSIONS[role];
      expect(new Set(list).size).toBe(list.length);
      for (const permission of list) expect(PERMISSIONS).toContain(permission);
    }
  });

  it.each<[Role, Permission, boolean]>([
    ["marketer", "campaign:create", true],
    ["marketer", "campaign:fund", true],
    ["marketer", "payout:request", true],
    ["marketer", "payout:approve", false],
    ["marketer", "user:manage", false],
    ["marketer", "audit:read", false],
    ["approver", "payout:approve", true],
    ["approver", "campaign:create", false],
    ["approver", "payout:request", false],
    ["approver", "approval:read", true],
    ["viewer", "payout:export", true],
    ["viewer", "audit:read", true],
    ["viewer", "campaign:read", true],
    ["admin", "user:manage", true],
  ])("%s → %s = %s", (role, permission, expected) => {
    expect(roleHasPermission(role, permission)).toBe(expected);
  });

  it("gives viewers no permission that changes anything", () => {
    for (const permission of MUTATING) expect(roleHasPermission("viewer", permission)).toBe(false);
  });

  it("keeps user, API key and settings management to admins", () => {
    for (const role of ROLES.filter((r) => r !== "admin")) {
      for (const permission of ["user:manage", "apikey:manage", "settings:manage"] as const) {
        expect(roleHasPermission(role, permission)).toBe(false);
      }
    }
  });

  it.each<[Role, string[]]>([
    [
      "admin",
      ["dashboard", "campaigns", "userPackets", "payouts", "approvals", "batches", "audit", "settings"],
    ],
    ["marketer", ["dashboard", "campaigns", "userPackets", "payouts", "batches"]],
    ["approver", ["dashboard", "campaigns", "userPackets", "payouts", "approvals", "batches"]],
    ["viewer", ["dashboard", "campaigns", "userPackets", "payouts", "approvals", "batches", "audit"]],
  ])("shows %s exactly its sections", (role, sections) => {
    expect(sectionsFor(role).map((s) => s.id)).toEqual(sections);
  });
});
