/**
 * The authorisation matrix: every server action and route handler in the production build, called over HTTP
 * as each role and anonymously, must be refused or allowed exactly as e2e/support/authz-expectations.ts says.
 * Actions are taken from Next's server-reference manifest, so an action nobody listed fails this suite, and
 * one listed but not checked on the server fails it too. Calls carry empty input: allowed callers get a
 * validation error (nothing changes), refused callers are stopped before validation.
 */
import fs from "node:fs";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { roleHasPermission, type Role } from "../lib/auth/permissions";
import { ROLES_UNDER_TEST, storageStateFor } from "./support/accounts";
import {
  ACTION_EXPECTATIONS,
  API_ROUTE_CALLS,
  PAGE_EXPECTATIONS,
  ROUTE_EXPECTATIONS,
  type Expectation,
} from "./support/authz-expectations";
import { BASE_URL } from "./support/server";

type Caller = Role | "anonymous";
const CALLERS: Caller[] = ["anonymous", ...ROLES_UNDER_TEST];

type ManifestEntry = { exportedName: string; filename: string; workers: Record<string, unknown> };
const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
  node: Record<string, ManifestEntry>;
};

/** `app/(console)/campaigns/[id]/page` → `/campaigns/x`: a page whose bundle includes the action. */
function pagePath(worker: string): string {
  const path = worker
    .replace(/^app/, "")
    .replace(/\/page$/, "")
    .replace(/\/\([^)]+\)/g, "")
    .replace(/\[[^\]]+\]/g, "x");
  return path === "" ? "/" : path;
}

const actions = Object.entries(manifest.node).map(([id, entry]) => ({
  id,
  name: entry.exportedName,
  page: pagePath(Object.keys(entry.workers)[0] ?? "app/(auth)/login/page"),
}));

const routes = Object.keys(
  JSON.parse(fs.readFileSync(".next/server/app-paths-manifest.json", "utf8")) as Record<string, string>,
)
  .filter((key) => key.endsWith("/route"))
  .map((key) => key.slice(0, -"/route".length))
  // Metadata files (app/icon.svg and the like) are served as routes too; they are static and public.
  .filter((route) => !/\.\w+$/.test(route) || route.startsWith("/api/v1/"));
/** The machine API's routes are keyed by API keys, not sessions: they have their own table below. */
const sessionRoutes = routes.filter((route) => !route.startsWith("/api/v1/"));
const apiRoutes = routes.filter((route) => route.startsWith("/api/v1/"));

function allowed(expectation: Expectation, caller: Caller): boolean {
  if (expectation === "public") return true;
  if (caller === "anonymous") return false;
  return expectation === "authenticated" || roleHasPermission(caller, expectation);
}

async function contextFor(caller: Caller): Promise<APIRequestContext> {
  return request.newContext({
    baseURL: BASE_URL,
    storageState: caller === "anonymous" ? undefined : storageStateFor(caller),
    maxRedirects: 0,
  });
}

/** What the server answered to a server action call: the result's error code, OK, or REDIRECT. */
async function callAction(api: APIRequestContext, action: { id: string; page: string }): Promise<string> {
  // Posted to a page that bundles the action, as the browser does (the proxy lets action POSTs through).
  const response = await api.post(action.page, {
    headers: {
      "next-action": action.id,
      accept: "text/x-component",
      "content-type": "text/plain;charset=UTF-8",
    },
    data: "[{}]",
  });
  if (response.headers()["x-action-redirect"] || [303, 307].includes(response.status())) return "REDIRECT";
  const body = await response.text();
  const code = /"code":"([A-Z_]+)"/.exec(body)?.[1];
  if (code) return code;
  if (/"ok":true/.test(body)) return "OK";
  return `UNPARSED ${response.status()} ${body.slice(0, 200)}`;
}

test("every server action in the build has an expectation", () => {
  expect(actions.length).toBeGreaterThan(0);
  const missing = actions.filter((a) => !(a.name in ACTION_EXPECTATIONS)).map((a) => a.name);
  expect(missing, "add these actions to e2e/support/authz-expectations.ts").toEqual([]);
});

test("every route handler in the build has an expectation", () => {
  const missing = sessionRoutes.filter((route) => !(route in ROUTE_EXPECTATIONS));
  expect(missing, "add these routes to e2e/support/authz-expectations.ts").toEqual([]);
  const listed = new Set(Object.keys(API_ROUTE_CALLS).map((name) => name.split(" ")[1]));
  const missingApi = apiRoutes.filter((route) => !listed.has(route));
  expect(missingApi, "add these routes to API_ROUTE_CALLS in e2e/support/authz-expectations.ts").toEqual([]);
});

for (const [name, call] of Object.entries(API_ROUTE_CALLS)) {
  test(`machine API ${name}: no session cookie opens it`, async () => {
    expect(apiRoutes, `${name} is no longer in the build`).toContain(name.split(" ")[1]);
    for (const caller of CALLERS) {
      const api = await contextFor(caller);
      const response = await api.fetch(call.path, {
        method: call.method,
        data: call.method === "POST" ? {} : undefined,
      });
      const status = response.status();
      const body = await response.text();
      await api.dispose();
      if (call.allowedStatus) expect(status, `${caller} ${call.path}`).toBe(call.allowedStatus);
      else {
        expect(status, `${caller} ${call.path}`).toBe(401);
        expect((JSON.parse(body) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
      }
    }
  });
}

for (const action of actions) {
  const expectation = ACTION_EXPECTATIONS[action.name] ?? "user:manage";
  test(`action ${action.name} (${expectation})`, async () => {
    for (const caller of CALLERS) {
      const api = await contextFor(caller);
      const outcome = await callAction(api, action);
      await api.dispose();
      if (allowed(expectation, caller)) {
        expect(["VALIDATION", "OK", "REDIRECT"], `${caller} should be allowed, got ${outcome}`).toContain(
          outcome,
        );
      } else {
        const refusal = caller === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN";
        expect(outcome, `${caller} should be refused`).toBe(refusal);
      }
    }
  });
}

for (const [route, calls] of Object.entries(ROUTE_EXPECTATIONS)) {
  for (const call of calls) {
    test(`route ${call.method} ${call.path} (${call.expectation})`, async () => {
      expect(routes, `${route} is no longer in the build`).toContain(route);
      for (const caller of CALLERS) {
        const api = await contextFor(caller);
        const response = await api.fetch(call.path, { method: call.method });
        await api.dispose();
        if (allowed(call.expectation, caller)) {
          if (call.allowedStatus)
            expect(response.status(), `${caller} ${call.path}`).toBe(call.allowedStatus);
          else expect(response.status(), `${caller} ${call.path}`).toBeLessThan(400);
        } else {
          expect(response.status(), `${caller} ${call.path}`).toBe(caller === "anonymous" ? 401 : 403);
        }
      }
    });
  }
}

for (const call of PAGE_EXPECTATIONS) {
  test(`page ${call.path} (${call.expectation})`, async () => {
    for (const caller of CALLERS) {
      const api = await contextFor(caller);
      const response = await api.get(call.path);
      await api.dispose();
      if (allowed(call.expectation, caller)) {
        expect(response.status(), `${caller} ${call.path}`).toBe(call.allowedStatus ?? 200);
      } else if (caller === "anonymous") {
        expect(response.status(), `${caller} ${call.path}`).toBe(307);
        expect(response.headers()["location"], `${caller} ${call.path}`).toContain("/login");
      } else {
        expect(response.status(), `${caller} ${call.path}`).toBe(403);
      }
    }
  });
}

test("refused calls by signed-in users are recorded in the audit log", async () => {
  const createUser = actions.find((a) => a.name === "createUserAction");
  if (!createUser) throw new Error("createUserAction is not in the build");
  const viewer = await contextFor("viewer");
  expect(await callAction(viewer, createUser)).toBe("FORBIDDEN");
  await viewer.dispose();

  const admin = await contextFor("admin");
  const page = await admin.get("/audit?action=authz.denied&q=viewer%40example.com");
  expect(page.status()).toBe(200);
  const html = await page.text();
  expect(html).toContain("viewer@example.com");
  expect(html).toContain("createUser");
  await admin.dispose();
});
