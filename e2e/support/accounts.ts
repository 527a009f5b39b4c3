import path from "node:path";
import type { Role } from "../../lib/auth/permissions";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../lib/users/demo-accounts";

export { DEMO_PASSWORD };
export const ROLES_UNDER_TEST: Role[] = ["admin", "marketer", "approver", "viewer"];

export function demoAccount(role: Role) {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return account;
}

/** Saved browser state (session cookie + English UI) for a signed-in demo user. */
export function storageStateFor(role: Role): string {
  return path.resolve("e2e", ".auth", `${role}.json`);
}
