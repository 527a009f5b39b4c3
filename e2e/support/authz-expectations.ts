/**
 * How the authorisation matrix (e2e/authz-matrix.spec.ts) reaches every server action and route handler. Who
 * may call each one is stated once, in lib/auth/permissions.ts (ACTION_PERMISSIONS, ROUTE_PERMISSIONS), which
 * the server checks on every call; the matrix calls each entry point as every role and anonymously and compares
 * the server's answers with that table. test/authz-table.test.ts fails when an action or route in the source is
 * missing from the table.
 */
import {
  ACTION_PERMISSIONS,
  ROUTE_PERMISSIONS,
  type ApiRouteName,
  type EntryRequirement,
  type RouteName,
} from "../../lib/auth/permissions";

export type Expectation = EntryRequirement;

/** Keyed by exported action name (`<name>Action`). */
export const ACTION_EXPECTATIONS: Record<string, Expectation> = Object.fromEntries(
  Object.entries(ACTION_PERMISSIONS).map(([name, requirement]) => [`${name}Action`, requirement]),
);

export type RouteCall = {
  /** A concrete URL to call for this route (dynamic segments filled in). */
  path: string;
  method: "GET" | "POST";
  /** The status an allowed caller gets, when it is not simply a success (the API's not-found route). */
  allowedStatus?: number;
};

/** The calls the matrix makes to each route (every route in ROUTE_PERMISSIONS needs at least one). */
export const ROUTE_CALLS: Record<RouteName, RouteCall[]> = {
  "/api/auth/[...nextauth]": [
    { path: "/api/auth/session", method: "GET" },
    { path: "/api/auth/csrf", method: "GET" },
  ],
  "/api/health": [{ path: "/api/health", method: "GET" }],
  "/api/metrics": [{ path: "/api/metrics", method: "GET" }],
  "/api/[...path]": [
    { path: "/api/no-such-thing", method: "GET", allowedStatus: 404 },
    { path: "/api/no/such/thing", method: "POST", allowedStatus: 404 },
  ],
  "/api/audit/export": [{ path: "/api/audit/export", method: "GET" }],
  "/api/payouts/export": [{ path: "/api/payouts/export", method: "GET" }],
  "/api/batches/template": [{ path: "/api/batches/template", method: "GET" }],
  // No file: an allowed caller is told what is missing.
  "/api/batches/invalid-rows": [{ path: "/api/batches/invalid-rows", method: "POST", allowedStatus: 422 }],
  "/api/batches/[batchId]/failed": [
    { path: "/api/batches/no-such-batch/failed", method: "GET", allowedStatus: 404 },
  ],
  // Anyone may POST; an unsigned body is stored as refused and answered `fail` (200, as Alipay expects).
  "/api/alipay/notify": [{ path: "/api/alipay/notify", method: "POST", allowedStatus: 200 }],
};

/**
 * One call to each machine-API route (API_ROUTE_PERMISSIONS): the matrix makes it with every role's session
 * cookie and anonymously, and every one must be refused with 401 — /api/v1 reads only an API key, never the
 * cookie — except the public OpenAPI document.
 */
export const API_ROUTE_CALLS: Record<ApiRouteName, RouteCall> = {
  "GET /api/v1/campaigns": { path: "/api/v1/campaigns", method: "GET" },
  "POST /api/v1/campaigns": { path: "/api/v1/campaigns", method: "POST" },
  "GET /api/v1/campaigns/[campaignId]": { path: "/api/v1/campaigns/x", method: "GET" },
  "POST /api/v1/campaigns/[campaignId]/sync": { path: "/api/v1/campaigns/x/sync", method: "POST" },
  "POST /api/v1/campaigns/[campaignId]/pause": { path: "/api/v1/campaigns/x/pause", method: "POST" },
  "POST /api/v1/campaigns/[campaignId]/resume": { path: "/api/v1/campaigns/x/resume", method: "POST" },
  "POST /api/v1/campaigns/[campaignId]/close": { path: "/api/v1/campaigns/x/close", method: "POST" },
  "POST /api/v1/campaigns/[campaignId]/payouts": { path: "/api/v1/campaigns/x/payouts", method: "POST" },
  "GET /api/v1/campaigns/[campaignId]/payouts/[outBizNo]": {
    path: "/api/v1/campaigns/x/payouts/y",
    method: "GET",
  },
  "GET /api/v1/payouts": { path: "/api/v1/payouts", method: "GET" },
  "POST /api/v1/red-packets/app-pay-orders": { path: "/api/v1/red-packets/app-pay-orders", method: "POST" },
  "GET /api/v1/red-packets/[packetId]": { path: "/api/v1/red-packets/x", method: "GET" },
  "POST /api/v1/red-packets/[packetId]/payment": { path: "/api/v1/red-packets/x/payment", method: "POST" },
  "POST /api/v1/red-packets/[packetId]/claims": { path: "/api/v1/red-packets/x/claims", method: "POST" },
  "GET /api/v1/openapi.json": { path: "/api/v1/openapi.json", method: "GET", allowedStatus: 200 },
};

/**
 * Every page in the build (keyed by `page`, its URL pattern as e2e/support/build.ts names it; a page missing
 * here fails the matrix), opened as every role and anonymously at `path`. The requirement is the one the page
 * passes to requirePagePermission: an allowed caller gets `allowedStatus` (200 unless said; 404 for an id that
 * does not exist), a signed-in caller without the permission the 403 page, an anonymous one a redirect to sign
 * in. `signedInStatus`: what every signed-in caller gets instead (the sign-in page sends them on).
 */
export type PageCall = {
  page: string;
  path: string;
  expectation: Expectation;
  allowedStatus?: number;
  signedInStatus?: number;
};

export const PAGE_EXPECTATIONS: PageCall[] = [
  { page: "/login", path: "/login", expectation: "public", signedInStatus: 307 },
  { page: "/", path: "/", expectation: "dashboard:read" },
  // Any URL no console route matches: the console's not-found page, for signed-in users only.
  { page: "/[...path]", path: "/no/such/page", expectation: "authenticated", allowedStatus: 404 },
  { page: "/approvals", path: "/approvals", expectation: "approval:read" },
  { page: "/audit", path: "/audit", expectation: "audit:read" },
  { page: "/developers", path: "/developers", expectation: "authenticated" },
  { page: "/settings", path: "/settings", expectation: "settings:manage" },
  { page: "/settings/users", path: "/settings/users", expectation: "user:manage" },
  { page: "/settings/api-keys", path: "/settings/api-keys", expectation: "apikey:manage" },
  { page: "/settings/webhooks", path: "/settings/webhooks", expectation: "settings:manage" },
  {
    page: "/settings/webhooks/[id]",
    path: "/settings/webhooks/no-such-endpoint",
    expectation: "settings:manage",
    allowedStatus: 404,
  },
  { page: "/settings/notifications", path: "/settings/notifications", expectation: "settings:manage" },
  { page: "/campaigns", path: "/campaigns", expectation: "campaign:read" },
  { page: "/campaigns/new", path: "/campaigns/new", expectation: "campaign:create" },
  {
    page: "/campaigns/[id]",
    path: "/campaigns/no-such-campaign",
    expectation: "campaign:read",
    allowedStatus: 404,
  },
  {
    page: "/campaigns/[id]/edit",
    path: "/campaigns/no-such-campaign/edit",
    expectation: "campaign:create",
    allowedStatus: 404,
  },
  // Where Alipay's cashier sends the payer back after funding a fund-coupon campaign.
  {
    page: "/campaigns/[id]/fund-return",
    path: "/campaigns/no-such-campaign/fund-return",
    expectation: "campaign:fund",
    allowedStatus: 404,
  },
  // …and after funding a cash campaign: an unknown crowd number is said so on the page.
  { page: "/campaigns/funded", path: "/campaigns/funded?crowdNo=none", expectation: "campaign:read" },
  { page: "/user-packets", path: "/user-packets", expectation: "campaign:read" },
  { page: "/payouts", path: "/payouts", expectation: "payout:read" },
  { page: "/payouts/[id]", path: "/payouts/no-such-payout", expectation: "payout:read", allowedStatus: 404 },
  { page: "/batches", path: "/batches", expectation: "batch:read" },
  { page: "/batches/new", path: "/batches/new", expectation: "batch:create" },
  { page: "/batches/[id]", path: "/batches/no-such-batch", expectation: "batch:read", allowedStatus: 404 },
];

export const ROUTE_EXPECTATIONS: Record<
  string,
  Array<RouteCall & { expectation: Expectation }>
> = Object.fromEntries(
  (Object.keys(ROUTE_CALLS) as RouteName[]).map((route) => [
    route,
    ROUTE_CALLS[route].map((call) => ({ ...call, expectation: ROUTE_PERMISSIONS[route] })),
  ]),
);
