/**
 * The one map from roles to permissions. Every server action, route handler and data read checks a permission
 * from this list (through `requirePermission`), and the sidebar derives what each role sees from it.
 * Pure data: safe to import from client components to hide controls (which is a convenience, not security).
 */

import { ROLES, type Role } from "@/lib/enums";

export { ROLES, type Role };

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
  /** The signed Alipay replies kept with each attempt: administrators only. */
  "payout:raw",
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

/** What an entry point requires: a permission, any signed-in user, or nothing (sign-in, health). */
export type Requirement = Permission | "authenticated";
export type EntryRequirement = Requirement | "public";

/**
 * Who may call each server action, keyed by its name (the action is exported as `<name>Action`). The one place
 * this is stated: `defineAction` checks it on every call, the authorisation matrix (e2e) calls every action as
 * every role against it, and the UI reads it to decide which controls to show.
 */
export const ACTION_PERMISSIONS = {
  signIn: "public",
  signOut: "public",
  setLocale: "public",
  createUser: "user:manage",
  changeUserRole: "user:manage",
  setUserActive: "user:manage",
  createApiKey: "apikey:manage",
  revokeApiKey: "apikey:manage",
  createWebhookEndpoint: "settings:manage",
  setWebhookEndpointActive: "settings:manage",
  resendWebhookDelivery: "settings:manage",
  createCampaign: "campaign:create",
  resubmitCampaign: "campaign:create",
  refreshCampaign: "campaign:fund",
  pauseCampaign: "campaign:manage",
  resumeCampaign: "campaign:manage",
  closeCampaign: "campaign:manage",
  fundCampaign: "campaign:fund",
  returnCampaignFunds: "campaign:fund",
  requestPayout: "payout:request",
  decidePayouts: "payout:approve",
  cancelPayout: "payout:request",
  retryPayout: "payout:request",
  previewBatch: "batch:create",
  submitBatch: "batch:create",
  decideBatch: "payout:approve",
  pauseBatch: "batch:create",
  resumeBatch: "batch:create",
  cancelBatch: "batch:create",
  retryBatchFailures: "batch:create",
} as const satisfies Record<string, EntryRequirement>;
export type ActionName = keyof typeof ACTION_PERMISSIONS;

/**
 * Who may call each route handler, keyed by the route as Next names it (`app/` path without route groups and
 * without `/route`). `defineRoute` checks it; the authorisation matrix calls each route against it.
 */
export const ROUTE_PERMISSIONS = {
  "/api/auth/[...nextauth]": "public",
  "/api/health": "public",
  /** Prometheus's scrape: also opened by METRICS_TOKEN as a bearer token (defineRoute's bearerToken). */
  "/api/metrics": "settings:manage",
  "/api/audit/export": "audit:read",
  "/api/payouts/export": "payout:export",
  "/api/batches/template": "batch:create",
  "/api/batches/invalid-rows": "batch:create",
  "/api/batches/[batchId]/failed": "batch:read",
  /** Alipay's notify_url and 应用网关: Alipay has no session; the signature is checked instead. */
  "/api/alipay/notify": "public",
  /** Any other /api/… URL: a JSON 404, not the console's HTML page (or a redirect to sign in). */
  "/api/[...path]": "public",
} as const satisfies Record<string, EntryRequirement>;
export type RouteName = keyof typeof ROUTE_PERMISSIONS;

/**
 * What each machine-API route requires of the API key that calls it (`defineApiRoute` checks it). Keys hold
 * permissions from this same list, never a role, and never authorise the console's pages, actions or the
 * routes above (which read only the session cookie); /api/v1 reads only the key, never the cookie.
 */
export const API_ROUTE_PERMISSIONS = {
  "GET /api/v1/campaigns": "campaign:read",
  "POST /api/v1/campaigns": "campaign:create",
  "GET /api/v1/campaigns/[campaignId]": "campaign:read",
  "POST /api/v1/campaigns/[campaignId]/sync": "campaign:fund",
  "POST /api/v1/campaigns/[campaignId]/pause": "campaign:manage",
  "POST /api/v1/campaigns/[campaignId]/resume": "campaign:manage",
  "POST /api/v1/campaigns/[campaignId]/close": "campaign:manage",
  "POST /api/v1/campaigns/[campaignId]/payouts": "payout:request",
  "GET /api/v1/campaigns/[campaignId]/payouts/[outBizNo]": "payout:read",
  "GET /api/v1/payouts": "payout:read",
  /**
   * User-funded packets (C2C). Starting one creates a campaign, so it needs campaign:create (and, like every
   * campaign create, a key for all campaigns); payout:request would let a key that only sends packets open new
   * budgets. Confirming the payment funds it (campaign:fund, as …/sync does); a claim is a payout.
   */
  "POST /api/v1/red-packets/app-pay-orders": "campaign:create",
  "GET /api/v1/red-packets/[packetId]": "campaign:read",
  "POST /api/v1/red-packets/[packetId]/payment": "campaign:fund",
  "POST /api/v1/red-packets/[packetId]/claims": "payout:request",
  "GET /api/v1/openapi.json": "public",
} as const satisfies Record<string, Permission | "public">;
export type ApiRouteName = keyof typeof API_ROUTE_PERMISSIONS;

export function isPermission(value: unknown): value is Permission {
  return typeof value === "string" && (PERMISSIONS as readonly string[]).includes(value);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}
