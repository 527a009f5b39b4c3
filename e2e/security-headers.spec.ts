/**
 * The security headers on every response of the production server: every page in the build (as an
 * administrator, a signed-in user it refuses, and anonymously), every route handler and machine-API route (from
 * the build's manifest), a 404 under /api, a static asset and the icon. Pages carry the per-request nonce
 * Content-Security-Policy (proxy.ts); every /api answer a CSP that allows nothing (next.config.ts), since a
 * JSON or CSV answer has nothing to load and must never be framed.
 */
import { expect, request, test, type APIResponse } from "@playwright/test";
import { storageStateFor } from "./support/accounts";
import { API_ROUTE_CALLS, PAGE_EXPECTATIONS, ROUTE_CALLS } from "./support/authz-expectations";
import { BUILD_METADATA_ROUTES, BUILD_PAGES, BUILD_ROUTES } from "./support/build";
import { BASE_URL } from "./support/server";

const SAFE_REFERRER_POLICIES = [
  "no-referrer",
  "same-origin",
  "strict-origin",
  "strict-origin-when-cross-origin",
];

/** What is wrong with a response's headers (nothing: []). Static files need no CSP of their own. */
function headerProblems(response: APIResponse, kind: "page" | "api" | "asset"): string[] {
  const headers = response.headers();
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  check(headers["x-frame-options"] === "DENY", `X-Frame-Options ${headers["x-frame-options"]}`);
  check(headers["x-content-type-options"] === "nosniff", "X-Content-Type-Options");
  check(SAFE_REFERRER_POLICIES.includes(headers["referrer-policy"] ?? ""), "Referrer-Policy");
  check(/camera=\(\)/.test(headers["permissions-policy"] ?? ""), "Permissions-Policy");
  const csp = headers["content-security-policy"] ?? "";
  if (kind === "page") {
    check(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/.test(csp), "CSP nonce script-src");
    check(csp.includes("object-src 'none'"), "CSP object-src");
  }
  if (kind === "api") check(csp.includes("default-src 'none'"), "CSP default-src 'none'");
  if (kind !== "asset") check(csp.includes("frame-ancestors 'none'"), "CSP frame-ancestors");
  return problems.map((p) => `${response.status()} ${response.url()}: ${p}`);
}

test("every page carries the security headers and its nonce CSP, for every kind of visitor", async () => {
  expect(PAGE_EXPECTATIONS.map((call) => call.page).sort()).toEqual([...BUILD_PAGES].sort());
  const problems: string[] = [];
  const visitors = [
    await request.newContext({ baseURL: BASE_URL, storageState: storageStateFor("admin"), maxRedirects: 0 }),
    // Refused by most pages (the 403 page) and by the sign-in page (sent on).
    await request.newContext({ baseURL: BASE_URL, storageState: storageStateFor("viewer"), maxRedirects: 0 }),
    // Sent to sign in (a redirect from the proxy).
    await request.newContext({ baseURL: BASE_URL, maxRedirects: 0 }),
  ];
  const statuses = new Set<number>();
  for (const call of PAGE_EXPECTATIONS) {
    for (const visitor of visitors) {
      const response = await visitor.get(call.path);
      statuses.add(response.status());
      problems.push(...headerProblems(response, "page"));
    }
  }
  for (const visitor of visitors) await visitor.dispose();
  expect([...statuses].sort()).toEqual([200, 307, 403, 404]);
  expect(problems).toEqual([]);
});

test("every route handler, machine-API route, API 404, static asset and the icon carries them too", async () => {
  const calls: { route: string; path: string; method: "GET" | "POST" }[] = [
    ...Object.entries(ROUTE_CALLS).flatMap(([route, list]) => list.map((call) => ({ route, ...call }))),
    ...Object.entries(API_ROUTE_CALLS).map(([name, call]) => ({ route: name.split(" ")[1] ?? "", ...call })),
  ];
  const called = new Set(calls.map((call) => call.route));
  expect(
    BUILD_ROUTES.filter((route) => !called.has(route)),
    "routes without a call",
  ).toEqual([]);

  const admin = await request.newContext({
    baseURL: BASE_URL,
    storageState: storageStateFor("admin"),
    maxRedirects: 0,
  });
  const anonymous = await request.newContext({ baseURL: BASE_URL, maxRedirects: 0 });
  const problems: string[] = [];
  for (const call of calls) {
    for (const caller of [admin, anonymous]) {
      const response = await caller.fetch(call.path, {
        method: call.method,
        data: call.method === "POST" ? {} : undefined,
      });
      problems.push(...headerProblems(response, "api"));
    }
  }
  for (const route of BUILD_METADATA_ROUTES)
    problems.push(...headerProblems(await anonymous.get(route), "asset"));
  const login = await (await anonymous.get("/login")).text();
  const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(login)?.[1];
  expect(script, "a script on the sign-in page").toBeTruthy();
  const asset = await anonymous.get(script ?? "");
  expect(asset.status()).toBe(200);
  problems.push(...headerProblems(asset, "asset"));
  await admin.dispose();
  await anonymous.dispose();
  expect(problems).toEqual([]);
});
