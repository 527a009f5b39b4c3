/**
 * API keys on every machine-API route (API_ROUTE_PERMISSIONS), against the production server: a key holding
 * exactly the route's permission is let through, a key holding every other permission is refused (403), a
 * revoked, unknown or malformed key is not a key (401), a key limited to one campaign does not reach another
 * (404, as for a campaign that does not exist), and a session cookie never stands in for a key, even for a write
 * with a valid body. Keys are made as an administrator makes them (e2e/support/api-keys.ts), one per
 * permission and one without each, once.
 */
import { randomBytes } from "node:crypto";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { API_ROUTE_PERMISSIONS, type ApiRouteName } from "../lib/auth/permissions";
import { API_KEY_PERMISSIONS, type ApiKeyPermission } from "../lib/validation/api-keys";
import { storageStateFor } from "./support/accounts";
import { bearer, createApiKey, revokeApiKey, type CreatedKey } from "./support/api-keys";
import { API_ROUTE_CALLS } from "./support/authz-expectations";
import { BASE_URL } from "./support/server";

test.describe.configure({ mode: "serial" });

const stamp = Date.now();
const keyedRoutes = (Object.keys(API_ROUTE_PERMISSIONS) as ApiRouteName[]).filter(
  (route) => API_ROUTE_PERMISSIONS[route] !== "public",
);

let admin: APIRequestContext;
let api: APIRequestContext;
const only = new Map<ApiKeyPermission, CreatedKey>();
const allBut = new Map<ApiKeyPermission, CreatedKey>();
let full: CreatedKey;

test.beforeAll(async () => {
  admin = await request.newContext({ baseURL: BASE_URL, storageState: storageStateFor("admin") });
  api = await request.newContext({ baseURL: BASE_URL });
  for (const permission of API_KEY_PERMISSIONS) {
    only.set(permission, await createApiKey(admin, `only ${permission} ${stamp}`, [permission]));
    const others = API_KEY_PERMISSIONS.filter((p) => p !== permission);
    allBut.set(permission, await createApiKey(admin, `all but ${permission} ${stamp}`, others));
  }
  full = await createApiKey(admin, `every permission ${stamp}`, API_KEY_PERMISSIONS);
});

test.afterAll(async () => {
  await admin.dispose();
  await api.dispose();
});

/** One call to a route as the matrix makes it (unknown ids, an empty body): only who may call it matters. */
function call(route: ApiRouteName, headers: Record<string, string>, path = API_ROUTE_CALLS[route].path) {
  const { method } = API_ROUTE_CALLS[route];
  return api.fetch(path, { method, headers, data: method === "POST" ? {} : undefined });
}

async function errorCode(response: Awaited<ReturnType<typeof call>>): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

function keyFor(map: Map<ApiKeyPermission, CreatedKey>, route: ApiRouteName): CreatedKey {
  const key = map.get(API_ROUTE_PERMISSIONS[route] as ApiKeyPermission);
  if (!key) throw new Error(`no key for ${API_ROUTE_PERMISSIONS[route]}: is it an API key permission?`);
  return key;
}

for (const route of keyedRoutes) {
  test(`${route}: a key with exactly ${API_ROUTE_PERMISSIONS[route]} passes, a key with every other permission gets 403`, async () => {
    const allowed = await call(route, bearer(keyFor(only, route).secret));
    expect([401, 403], `${route} with only ${API_ROUTE_PERMISSIONS[route]}`).not.toContain(allowed.status());

    const refused = await call(route, bearer(keyFor(allBut, route).secret));
    expect(refused.status(), `${route} without ${API_ROUTE_PERMISSIONS[route]}`).toBe(403);
    expect(await errorCode(refused)).toBe("FORBIDDEN");
  });
}

test("unknown and malformed keys get 401 on every route", async () => {
  const unknown = `hbk_live_${randomBytes(32).toString("base64url")}`;
  const attempts: Record<string, string>[] = [
    bearer(unknown),
    bearer(full.secret.slice(0, -1)),
    bearer("hbk_live_"),
    bearer("not-a-key"),
    { authorization: `Basic ${Buffer.from(`${full.secret}:`).toString("base64")}` },
    { authorization: full.secret },
    { "x-api-key": full.secret },
  ];
  for (const route of keyedRoutes) {
    for (const headers of attempts) {
      const response = await call(route, headers);
      expect(response.status(), `${route} ${JSON.stringify(headers).slice(0, 40)}`).toBe(401);
      expect(await errorCode(response)).toBe("UNAUTHENTICATED");
    }
  }
});

test("a key that worked is refused on its next request once revoked, on every route", async () => {
  const key = await createApiKey(admin, `revoked ${stamp}`, API_KEY_PERMISSIONS);
  expect((await call("GET /api/v1/campaigns", bearer(key.secret))).status()).toBe(200);
  await revokeApiKey(admin, key.id);
  for (const route of keyedRoutes) {
    const response = await call(route, bearer(key.secret));
    expect(response.status(), route).toBe(401);
    expect(await errorCode(response)).toBe("UNAUTHENTICATED");
  }
});

/** A cash campaign created through the API (awaiting funding): enough for a key to be scoped to it. */
async function createCampaign(name: string): Promise<string> {
  const response = await api.post("/api/v1/campaigns", {
    headers: bearer(full.secret),
    data: {
      name,
      prizeMessage: "Thanks for your points",
      prizeType: "FIXED",
      budgetFen: 1000,
      packetCount: 5,
      endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { campaign: { id: string } }).campaign.id;
}

test("a key limited to one campaign reaches that one and nothing of another", async () => {
  const mine = await createCampaign(`Scoped mine ${stamp}`);
  const other = await createCampaign(`Scoped other ${stamp}`);
  const scoped = await createApiKey(admin, `scoped ${stamp}`, API_KEY_PERMISSIONS, [mine]);
  const headers = bearer(scoped.secret);

  expect((await api.get(`/api/v1/campaigns/${mine}`, { headers })).status()).toBe(200);
  const listed = (await (await api.get("/api/v1/campaigns", { headers })).json()) as {
    data: { id: string }[];
  };
  expect(listed.data.map((c) => c.id)).toEqual([mine]);
  // The other campaign exists: a key for every campaign reads it.
  expect((await api.get(`/api/v1/campaigns/${other}`, { headers: bearer(full.secret) })).status()).toBe(200);

  const campaignRoutes = keyedRoutes.filter((route) => /\[(campaignId|packetId)\]/.test(route));
  expect(campaignRoutes.length).toBeGreaterThan(5);
  for (const route of campaignRoutes) {
    const path = API_ROUTE_CALLS[route].path.replace(
      /^(\/api\/v1\/(?:campaigns|red-packets))\/x/,
      `$1/${other}`,
    );
    const response = await call(route, headers, path);
    expect(response.status(), `${route} on another campaign`).toBe(404);
    expect(await errorCode(response)).toBe("NOT_FOUND");
  }
  // A valid payout request for the other campaign is refused the same way.
  const payout = await api.post(`/api/v1/campaigns/${other}/payouts`, {
    headers,
    data: { outBizNo: `scoped_${stamp}`, recipient: { type: "USER_ID", id: "2088000000000901" } },
  });
  expect(payout.status()).toBe(404);
  expect((await api.get(`/api/v1/payouts?campaignId=${other}`, { headers })).status()).toBe(404);
  // Creating a campaign would put it outside the key's list: refused.
  for (const route of ["POST /api/v1/campaigns", "POST /api/v1/red-packets/app-pay-orders"] as const) {
    const response = await call(route, headers);
    expect(response.status(), route).toBe(403);
  }
});

test("a session cookie does not open the API even for a write with a valid body, and nothing is written", async () => {
  const campaignId = await createCampaign(`Cookie target ${stamp}`);
  const outBizNo = `cookie_${stamp}`;
  const payout = await admin.post(`/api/v1/campaigns/${campaignId}/payouts`, {
    data: { outBizNo, recipient: { type: "USER_ID", id: "2088000000000902" }, memo: "cookie only" },
  });
  expect(payout.status()).toBe(401);
  expect(await errorCode(payout)).toBe("UNAUTHENTICATED");
  const read = await api.get(`/api/v1/campaigns/${campaignId}/payouts/${outBizNo}`, {
    headers: bearer(full.secret),
  });
  expect(read.status()).toBe(404);

  const name = `Cookie campaign ${stamp}`;
  const campaign = await admin.post("/api/v1/campaigns", {
    data: {
      name,
      prizeMessage: "Thanks",
      prizeType: "FIXED",
      budgetFen: 1000,
      packetCount: 5,
      endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    },
  });
  expect(campaign.status()).toBe(401);
  const listed = (await (
    await api.get("/api/v1/campaigns?limit=100", { headers: bearer(full.secret) })
  ).json()) as {
    data: { name: string }[];
  };
  expect(listed.data.map((c) => c.name)).not.toContain(name);
  expect(listed.data.map((c) => c.name)).toContain(`Cookie target ${stamp}`);
});
