/**
 * The one map from roles to permissions. Every server action, route handler and data read checks a permission
 * from this list (through `requirePermission`), and the sidebar derives what each role sees from it.
 * Pure data: safe to import from client components to hide controls (which is a convenience, not security).
 */

export const ROLES = ["admin", "marketer", "approver", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "dashboard:read",
  "campaign:read",
  "campaign:create",
  "campaign:fund",
  "campaign:manage",
  "payout:read",
  "payout:request",
  "payout:approve",
  "payout:export",
  "batch:read",
  "batch:create",
  "approval:read",
  "user:manage",
  "apikey:manage",
  "settings:manage",
  "audit:read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_EVERYTHING: readonly Permission[] = [
  "dashboard:read",
  "campaign:read",
  "payout:read",
  "batch:read",
  "approval:read",
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  /** Users, API keys, policy and Alipay settings; can do everything, but never approve their own request. */
  admin: PERMISSIONS,
  /** Creates and funds campaigns, sends packets and uploads batches. */
  marketer: [
    "dashboard:read",
    "campaign:read",
    "campaign:create",
    "campaign:fund",
    "campaign:manage",
    "payout:read",
    "payout:request",
    "batch:read",
    "batch:create",
  ],
  /** Reviews pending payouts and batches. */
  approver: [...READ_EVERYTHING, "payout:approve"],
  /** Finance and read-only staff: reads everything, exports, reads the audit log. */
  viewer: [...READ_EVERYTHING, "payout:export", "audit:read"],
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}
