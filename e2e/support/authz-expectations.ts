/**
 * What every server action and route handler requires. The authorisation matrix (e2e/authz-matrix.spec.ts)
 * calls each one over HTTP as every role and anonymously and checks the server's answer against this table;
 * test/authz-table.test.ts fails when a new action or route is missing here. Adding an entry is deliberate:
 * it states who may call the new endpoint.
 */
import type { Requirement } from "../../lib/auth/access";

export type Expectation = Requirement | "public";

/** Keyed by exported action name. */
export const ACTION_EXPECTATIONS: Record<string, Expectation> = {
  signInAction: "public",
  signOutAction: "public",
  setLocaleAction: "public",
  createUserAction: "user:manage",
  changeUserRoleAction: "user:manage",
  setUserActiveAction: "user:manage",
  createCampaignAction: "campaign:create",
  resubmitCampaignAction: "campaign:create",
  refreshCampaignAction: "campaign:fund",
  pauseCampaignAction: "campaign:manage",
  resumeCampaignAction: "campaign:manage",
  closeCampaignAction: "campaign:manage",
};

export type RouteExpectation = {
  /** A concrete URL to call for this route (dynamic segments filled in). */
  path: string;
  method: "GET" | "POST";
  expectation: Expectation;
};

/** Keyed by the route as Next names it (app-paths-manifest, without the trailing `/route`). */
export const ROUTE_EXPECTATIONS: Record<string, RouteExpectation[]> = {
  "/api/auth/[...nextauth]": [
    { path: "/api/auth/session", method: "GET", expectation: "public" },
    { path: "/api/auth/csrf", method: "GET", expectation: "public" },
  ],
  "/api/health": [{ path: "/api/health", method: "GET", expectation: "public" }],
};
