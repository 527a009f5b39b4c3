/** Demo accounts, seeded only in demo mode (no DATABASE_URL). Listed on the login page and in the README. */
import type { Role } from "@/lib/auth/permissions";

export const DEMO_PASSWORD = "hongbao-demo";

export const DEMO_ACCOUNTS: ReadonlyArray<{ email: string; name: string; role: Role }> = [
  { email: "admin@example.com", name: "Demo Admin", role: "admin" },
  { email: "marketer@example.com", name: "Demo Marketer", role: "marketer" },
  { email: "approver@example.com", name: "Demo Approver", role: "approver" },
  { email: "viewer@example.com", name: "Demo Viewer", role: "viewer" },
];
