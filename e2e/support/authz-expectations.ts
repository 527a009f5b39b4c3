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
  "/api/[...path]": [
    { path: "/api/no-such-thing", method: "GET", allowedStatus: 404 },
    { path: "/api/no/such/thing", method: "POST", allowedStatus: 404 },
  ],
  "/api/audit/export": [{ path: "/api/audit/export", method: "GET" }],
  "/api/payouts/export": [{ path: "/api/payouts/export", method: "GET" }],
};

export const ROUTE_EXPECTATIONS: Record<
  string,
  Array<RouteCall & { expectation: Expectation }>
> = Object.fromEntries(
  (Object.keys(ROUTE_CALLS) as RouteName[]).map((route) => [
    route,
    ROUTE_CALLS[route].map((call) => ({ ...call, expectation: ROUTE_PERMISSIONS[route] })),
  ]),
);
