/**
 * The authorisation matrix: every server action, route handler and page in the production build, called over
 * HTTP as each role and anonymously, must be refused or allowed exactly as e2e/support/authz-expectations.ts
 * says. They are taken from Next's manifests (e2e/support/build.ts), so one nobody listed fails this suite, and
 * one listed but not checked on the server fails it too. Calls carry empty input: allowed callers get a
 * validation error (nothing changes), refused callers are stopped before validation.
 */
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
import {
  actionOutcome,
  BUILD_PAGES,
  BUILD_ROUTES,
  postAction,
  SERVER_ACTIONS,
  type ServerAction,
} from "./support/build";
import { BASE_URL } from "./support/server";

type Caller = Role | "anonymous";
const CALLERS: Caller[] = ["anonymous", ...ROLES_UNDER_TEST];

const actions = SERVER_ACTIONS;
const routes = BUILD_ROUTES;
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

/** Calls an action with empty input and returns what the server answered (see actionOutcome). */
async function callAction(api: APIRequestContext, action: ServerAction): Promise<string> {
  return actionOutcome(await postAction(api, action, [{}]));
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

test("every page in the build has an expectation", () => {
  expect(BUILD_PAGES.length).toBeGreaterThan(0);
  const listed = new Set(PAGE_EXPECTATIONS.map((call) => call.page));
  const missing = BUILD_PAGES.filter((page) => !listed.has(page));
  expect(missing, "add these pages to PAGE_EXPECTATIONS in e2e/support/authz-expectations.ts").toEqual([]);
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
    expect(BUILD_PAGES, `${call.page} is no longer in the build`).toContain(call.page);
    for (const caller of CALLERS) {
      const api = await contextFor(caller);
      const response = await api.get(call.path);
      await api.dispose();
      if (caller !== "anonymous" && call.signedInStatus) {
        expect(response.status(), `${caller} ${call.path}`).toBe(call.signedInStatus);
      } else if (allowed(call.expectation, caller)) {
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
