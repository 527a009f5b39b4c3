/**
 * The machine API's payout endpoints, called as Next calls them (the exported route handlers with real
 * `Request`s), against the real database and the simulator over HTTP: API keys (missing, malformed, unknown,
 * revoked, a session cookie instead), permissions, campaign scope, validation in the API's field names,
 * idempotent replays under concurrency (one row, one payment), conflicts, the service refusals' codes, the
 * per-key rate limit, `?wait=` and keyset paging. The concurrency test proves something only on PostgreSQL.
 */
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/campaigns/[campaignId]/payouts/route";
import { GET as GET_ONE } from "@/app/api/v1/campaigns/[campaignId]/payouts/[outBizNo]/route";
import { GET as LIST } from "@/app/api/v1/payouts/route";
import type { Prisma } from "@/generated/prisma/client";
import type { AlipayClient } from "@/lib/alipay/client";
import type { ApiErrorBody } from "@/lib/api/errors";
import type { ApiPayout } from "@/lib/api/resources";
import type { ApiPayoutList } from "@/lib/api/schemas/payouts";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/service";
import type { ApiKeyActor } from "@/lib/auth/actor";
import { createCampaign } from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { requestPayout } from "@/lib/payouts/request";
import type { ApiKeyPermission } from "@/lib/validation/api-keys";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import {
  activeCampaign,
  campaignInput,
  ledgerFor,
  payoutRequest,
  testDispatcher,
  userId,
  waitUntilNone,
} from "../support/payouts";

const BASE = "http://localhost/api/v1";
const IN_FLIGHT = ["APPROVED", "SENDING", "UNKNOWN"] as const;

let alipay: TestAlipay;
let client: AlipayClient;
let admin: Awaited<ReturnType<typeof insertUser>>;
let marketer: Awaited<ReturnType<typeof insertUser>>;
type Campaign = Awaited<ReturnType<typeof activeCampaign>>;
/** Auto-approving campaigns A and B (100 fen packets); C waits for an approver (nothing is ever sent). */
let campaignA: Campaign;
let campaignB: Campaign;
let campaignC: Campaign;
/** Campaigns whose approved payouts afterAll pays out. */
const autoApproving: Campaign[] = [];
/** Every permission, every campaign, a rate no test reaches. */
let allKey: string;
let nextUser = 1;

/** A user id no other test of this file uses (each campaign's per-user limit stays out of the way). */
function freshUser(): string {
  nextUser += 1;
  return userId(700_000 + nextUser);
}

async function key(
  permissions: ApiKeyPermission[],
  campaignIds: string[] | null = null,
  ratePerMinute = 10_000,
): Promise<{ id: string; secret: string }> {
  const created = await createApiKey(admin.actor, {
    name: `api-payouts ${permissions.join(",")}`,
    permissions,
    campaignIds,
    ratePerMinute,
  });
  return { id: created.key.id, secret: created.secret };
}

function auth(secret: string | null, extra: Record<string, string> = {}): Record<string, string> {
  return { ...(secret === null ? {} : { authorization: `Bearer ${secret}` }), ...extra };
}

function post(
  secret: string | null,
  campaignId: string,
  body: unknown,
  { query = "", headers = {} }: { query?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return POST(
    new Request(`${BASE}/campaigns/${encodeURIComponent(campaignId)}/payouts${query}`, {
      method: "POST",
      headers: { ...auth(secret), "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve({ campaignId }) },
  );
}

function getOne(secret: string, campaignId: string, outBizNo: string): Promise<Response> {
  return GET_ONE(
    new Request(
      `${BASE}/campaigns/${encodeURIComponent(campaignId)}/payouts/${encodeURIComponent(outBizNo)}`,
      { headers: auth(secret) },
    ),
    { params: Promise.resolve({ campaignId, outBizNo }) },
  );
}

function list(secret: string, query: Record<string, string> = {}): Promise<Response> {
  return LIST(new Request(`${BASE}/payouts?${new URLSearchParams(query)}`, { headers: auth(secret) }), {
    params: Promise.resolve({}),
  });
}

function body(outBizNo: string, overrides: Record<string, unknown> = {}) {
  return {
    outBizNo,
    recipient: { type: "USER_ID", id: freshUser() },
    memo: "points redeemed",
    ...overrides,
  };
}

async function errorOf(response: Response, status: number, code: string): Promise<ApiErrorBody["error"]> {
  const json = (await response.json()) as ApiErrorBody;
  expect({ status: response.status, code: json.error?.code }).toEqual({ status, code });
  expect(typeof json.error.message).toBe("string");
  expect(json.error.message.length).toBeGreaterThan(0);
  return json.error;
}

async function payoutOf(response: Response, status: number): Promise<ApiPayout> {
  const json = (await response.json()) as ApiPayout;
  expect(response.status, JSON.stringify(json)).toBe(status);
  return json;
}

/** Every page of the list for `query`, following nextCursor to the end. */
async function walk(
  secret: string,
  query: Record<string, string>,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const response = await list(secret, { ...query, ...(cursor ? { cursor } : {}) });
    expect(response.status).toBe(200);
    const page = (await response.json()) as ApiPayoutList;
    ids.push(...page.data.map((p) => p.id));
    cursor = page.nextCursor;
    pages += 1;
    expect(pages).toBeLessThan(100);
  } while (cursor);
  return { ids, pages };
}

/** The expected order of a list: newest first, ties by id (descending). */
async function newestFirst(where: Prisma.PayoutWhereInput): Promise<string[]> {
  const rows = await db.payout.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 600 });
  [admin, marketer] = await Promise.all([insertUser("admin"), insertUser("marketer")]);
  const funded = { budgetFen: 100_000, packetCount: 1_000, frequencyLifetime: 5 };
  [campaignA, campaignB, campaignC] = await Promise.all([
    activeCampaign(alipay, client, marketer.actor, funded),
    activeCampaign(alipay, client, marketer.actor, funded),
    activeCampaign(alipay, client, marketer.actor, {
      ...funded,
      autoApproveMaxFen: 0,
      autoApproveDailyCapFen: 0,
    }),
  ]);
  autoApproving.push(campaignA, campaignB);
  allKey = (await key(["payout:request", "payout:read"])).secret;
});

afterAll(async () => {
  // Pay what these tests left approved, so no other test file's dispatcher (and simulator) meets it.
  const dispatcher = testDispatcher(client);
  dispatcher.start();
  try {
    await Promise.all(autoApproving.map((c) => waitUntilNone(c.id, [...IN_FLIGHT])));
  } finally {
    await dispatcher.stop();
    await alipay.sim.stop();
  }
});

describe("API keys", () => {
  it("refuses a request without a key, with a malformed, an unknown or a revoked key: 401", async () => {
    const sent = body("auth_1");
    const missing = await errorOf(await post(null, campaignA.id, sent), 401, "UNAUTHENTICATED");
    expect(missing.message).toMatch(/Authorization: Bearer/);
    for (const header of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer two words", allKey]) {
      await errorOf(
        await post(null, campaignA.id, sent, { headers: { authorization: header } }),
        401,
        "UNAUTHENTICATED",
      );
    }
    const unknown = await errorOf(
      await post("hbk_live_notakey0000000000", campaignA.id, sent),
      401,
      "UNAUTHENTICATED",
    );
    expect(unknown.message).toBe("The API key is not valid.");

    const revoked = await key(["payout:request", "payout:read"]);
    expect((await post(revoked.secret, campaignA.id, body("auth_2"))).status).toBe(201);
    await revokeApiKey(admin.actor, revoked.id);
    const refused = await errorOf(
      await post(revoked.secret, campaignA.id, body("auth_3")),
      401,
      "UNAUTHENTICATED",
    );
    expect(refused.message).toBe("This API key was revoked.");
    await errorOf(await getOne(revoked.secret, campaignA.id, "auth_2"), 401, "UNAUTHENTICATED");
    await errorOf(await list(revoked.secret), 401, "UNAUTHENTICATED");
    expect(await db.payout.count({ where: { outBizNo: { in: ["auth_1", "auth_3"] } } })).toBe(0);
  });

  it("ignores the console's session cookie: a signed-in admin's browser cannot call the API", async () => {
    const salt = "authjs.session-token";
    const token = await encode({
      salt,
      secret: env.AUTH_SECRET ?? "a-test-secret-of-at-least-32-characters!",
      token: { sub: admin.user.id, email: admin.user.email, role: "admin", sv: admin.user.sessionVersion },
    });
    const cookie = { cookie: `${salt}=${token}` };
    await errorOf(
      await post(null, campaignA.id, body("cookie_1"), { headers: cookie }),
      401,
      "UNAUTHENTICATED",
    );
    const listed = await LIST(new Request(`${BASE}/payouts`, { headers: cookie }), {
      params: Promise.resolve({}),
    });
    await errorOf(listed, 401, "UNAUTHENTICATED");
    expect(await db.payout.count({ where: { outBizNo: "cookie_1" } })).toBe(0);
  });

  it("refuses a key without payout:request with 403, and reads with payout:read", async () => {
    const reader = await key(["payout:read"]);
    const refused = await errorOf(
      await post(reader.secret, campaignA.id, body("forbidden_1")),
      403,
      "FORBIDDEN",
    );
    expect(refused.message).toContain("payout:request");
    expect(await db.payout.count({ where: { outBizNo: "forbidden_1" } })).toBe(0);

    const created = await payoutOf(await post(allKey, campaignA.id, body("forbidden_2")), 201);
    expect(await payoutOf(await getOne(reader.secret, campaignA.id, "forbidden_2"), 200)).toEqual(created);
    const requester = await key(["payout:request"]);
    await errorOf(await getOne(requester.secret, campaignA.id, "forbidden_2"), 403, "FORBIDDEN");
    await errorOf(await list(requester.secret), 403, "FORBIDDEN");
  });
});

describe("campaign scope", () => {
  it("a key for campaign A gets 404 for campaign B on every endpoint and never sees B's payouts", async () => {
    const scoped = await key(["payout:request", "payout:read"], [campaignA.id]);
    await payoutOf(await post(allKey, campaignB.id, body("scope_b")), 201);
    const mine = await payoutOf(await post(scoped.secret, campaignA.id, body("scope_a")), 201);

    await errorOf(await post(scoped.secret, campaignB.id, body("scope_b2")), 404, "NOT_FOUND");
    // Scope first: an invalid body for a campaign outside the key is still "no such campaign".
    await errorOf(await post(scoped.secret, campaignB.id, "{not json"), 404, "NOT_FOUND");
    await errorOf(await post(scoped.secret, campaignB.id, { outBizNo: "" }), 404, "NOT_FOUND");
    await errorOf(await post(scoped.secret, "no-such-campaign", body("scope_x")), 404, "NOT_FOUND");
    await errorOf(await getOne(scoped.secret, campaignB.id, "scope_b"), 404, "NOT_FOUND");
    await errorOf(await list(scoped.secret, { campaignId: campaignB.id }), 404, "NOT_FOUND");
    expect(await db.payout.count({ where: { outBizNo: { in: ["scope_b2", "scope_x"] } } })).toBe(0);

    const { ids } = await walk(scoped.secret, { limit: "200" });
    expect(ids).toContain(mine.id);
    const campaigns = await db.payout.findMany({ where: { id: { in: ids } }, select: { campaignId: true } });
    expect(new Set(campaigns.map((c) => c.campaignId))).toEqual(new Set([campaignA.id]));
    expect(ids).toEqual(await newestFirst({ campaignId: campaignA.id }));

    // Defence in depth: the request path refuses the key's actor for B even when called directly.
    const actor: ApiKeyActor = {
      type: "API_KEY",
      keyId: scoped.id,
      label: "api:scoped",
      permissions: ["payout:request"],
      campaignIds: [campaignA.id],
      ratePerMinute: 10,
      ip: null,
      userAgent: null,
    };
    const error = await requestPayout(actor, payoutRequest(campaignB.id, { outBizNo: "scope_direct" })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("NOT_FOUND");
  });

  it("an unknown campaign or payout is a 404", async () => {
    await errorOf(await post(allKey, "no-such-campaign", body("unknown_1")), 404, "NOT_FOUND");
    await errorOf(await getOne(allKey, campaignA.id, "never_requested"), 404, "NOT_FOUND");
    await errorOf(await getOne(allKey, "no-such-campaign", "never_requested"), 404, "NOT_FOUND");
  });
});

describe("validation", () => {
  it("names each bad field in the API's terms, in English, and changes nothing", async () => {
    const error = await errorOf(
      await post(allKey, campaignA.id, {
        outBizNo: "has spaces!",
        recipient: { type: "USER_ID", id: "12345" },
        memo: "x".repeat(201),
      }),
      422,
      "VALIDATION",
    );
    expect(error.fields).toEqual({
      outBizNo: ["Letters, digits and _ only, at most 64 characters."],
      "recipient.id": ["An Alipay user id is 16 digits starting with 2088."],
      memo: ["Use at most 200 characters."],
    });
    const missing = await errorOf(await post(allKey, campaignA.id, {}), 422, "VALIDATION");
    expect(missing.fields).toEqual({ outBizNo: ["Required."], recipient: ["Required."] });
    const kinds = await errorOf(
      await post(allKey, campaignA.id, {
        outBizNo: "kinds_1",
        recipient: { type: "PHONE", id: "13800000000" },
        scene: "BIRTHDAY",
      }),
      422,
      "VALIDATION",
    );
    expect(Object.keys(kinds.fields ?? {}).sort()).toEqual(["recipient.type", "scene"]);
    const login = await errorOf(
      await post(
        allKey,
        campaignA.id,
        body("kinds_2", { recipient: { type: "LOGIN_ID", id: "not-a-phone" } }),
      ),
      422,
      "VALIDATION",
    );
    expect(login.fields).toEqual({
      "recipient.id": ["A login id is an 11-digit mobile number or an e-mail address."],
    });
    const wait = await errorOf(
      await post(allKey, campaignA.id, body("wait_1"), { query: "?wait=11" }),
      422,
      "VALIDATION",
    );
    expect(wait.fields).toEqual({ wait: ["Seconds to wait: a whole number from 0 to 10."] });
    for (const bad of ["-1", "1.5", "soon"])
      await errorOf(
        await post(allKey, campaignA.id, body("wait_2"), { query: `?wait=${bad}` }),
        422,
        "VALIDATION",
      );
    expect(
      await db.payout.count({
        where: { outBizNo: { in: ["has spaces!", "kinds_1", "kinds_2", "wait_1", "wait_2"] } },
      }),
    ).toBe(0);
  });

  it("answers a body that is not a JSON object with 400 INVALID_JSON", async () => {
    for (const sent of ["{not json", "[1,2]", "null", '"text"', ""])
      await errorOf(await post(allKey, campaignA.id, sent), 400, "INVALID_JSON");
  });

  it("names each bad query parameter of the list", async () => {
    const error = await errorOf(
      await list(allKey, { limit: "500", status: "PAID", since: "yesterday", cursor: "not-a-cursor" }),
      422,
      "VALIDATION",
    );
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(["cursor", "limit", "since", "status"]);
    expect(error.fields?.limit).toEqual(["Page size: a whole number from 1 to 200."]);
    for (const limit of ["0", "2.5", "many"]) await errorOf(await list(allKey, { limit }), 422, "VALIDATION");
  });
});

describe("idempotency", () => {
  it("20 identical requests at once: one payout (one 201, nineteen 200s) and one payment", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    autoApproving.push(campaign);
    const same = JSON.stringify(body("race_1", { scene: "INVITE_REWARD" }));
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(allKey, campaign.id, same)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array<number>(19).fill(200), 201]);
    const payouts = await Promise.all(responses.map((r) => r.json() as Promise<ApiPayout>));
    expect(new Set(payouts.map((p) => p.id)).size).toBe(1);
    expect(payouts[0]).toMatchObject({ outBizNo: "race_1", source: "API", scene: "INVITE_REWARD" });
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(1);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(100);

    const dispatcher = testDispatcher(client);
    dispatcher.start();
    try {
      await waitUntilNone(campaign.id, [...IN_FLIGHT]);
    } finally {
      await dispatcher.stop();
    }
    expect(await ledgerFor(alipay, campaign.crowdNo!)).toHaveLength(1);
    const paid = await payoutOf(await getOne(allKey, campaign.id, "race_1"), 200);
    expect(paid).toMatchObject({ status: "SUCCEEDED", awardedFen: 100 });
    // A replay after the payment is still the same payout, never a second one.
    expect(await payoutOf(await post(allKey, campaign.id, same), 200)).toMatchObject({
      id: paid.id,
      status: "SUCCEEDED",
    });
    expect(await ledgerFor(alipay, campaign.crowdNo!)).toHaveLength(1);
  });

  it("the same outBizNo with other values is a 409 naming them as the API does", async () => {
    const first = body("conflict_1");
    const created = await payoutOf(await post(allKey, campaignA.id, first), 201);
    expect(created).toMatchObject({ scene: campaignA.defaultScene, memo: "points redeemed", source: "API" });
    const conflict = await errorOf(
      await post(allKey, campaignA.id, { ...first, recipient: { type: "USER_ID", id: freshUser() } }),
      409,
      "IDEMPOTENCY_CONFLICT",
    );
    expect(Object.keys(conflict.fields ?? {})).toEqual(["recipient.id"]);
    expect(conflict.fields?.["recipient.id"]).toEqual([
      "Differs from the payout that already uses this business reference.",
    ]);
    expect(conflict.message).toContain("recipient.id");
    const several = await errorOf(
      await post(allKey, campaignA.id, {
        ...first,
        recipient: { type: "LOGIN_ID", id: "13800000000" },
        scene: "MANUAL",
        memo: "other",
      }),
      409,
      "IDEMPOTENCY_CONFLICT",
    );
    expect(Object.keys(several.fields ?? {}).sort()).toEqual([
      "memo",
      "recipient.id",
      "recipient.type",
      "scene",
    ]);
    expect(await db.payout.count({ where: { outBizNo: "conflict_1" } })).toBe(1);
  });

  it("a scene left out is the campaign's default, so leaving it out again (or naming it) is a replay", async () => {
    const first = body("scene_1", { memo: undefined });
    const created = await payoutOf(await post(allKey, campaignA.id, first), 201);
    expect(created).toMatchObject({ scene: campaignA.defaultScene, memo: null });
    expect((await payoutOf(await post(allKey, campaignA.id, first), 200)).id).toBe(created.id);
    const named = { ...first, scene: campaignA.defaultScene, memo: "" };
    expect((await payoutOf(await post(allKey, campaignA.id, named), 200)).id).toBe(created.id);
    const other = await errorOf(
      await post(allKey, campaignA.id, { ...first, scene: "MANUAL" }),
      409,
      "IDEMPOTENCY_CONFLICT",
    );
    expect(Object.keys(other.fields ?? {})).toEqual(["scene"]);
  });
});

describe("the request path's refusals", () => {
  it("answers a campaign that cannot pay, an exhausted budget and a recipient's limit with 422 codes", async () => {
    const unpaid = await createCampaign(client, marketer.actor, campaignInput());
    expect(unpaid.status).toBe("AWAITING_FUNDING");
    const notPaying = await errorOf(
      await post(allKey, unpaid.id, body("refusal_1")),
      422,
      "CAMPAIGN_NOT_PAYING",
    );
    expect(notPaying.message).toContain("AWAITING_FUNDING");

    const small = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 100,
      packetCount: 1,
      frequencyLifetime: 1,
    });
    autoApproving.push(small);
    const recipient = { type: "USER_ID", id: freshUser() };
    await payoutOf(await post(allKey, small.id, body("refusal_2", { recipient })), 201);
    const limit = await errorOf(
      await post(allKey, small.id, body("refusal_3", { recipient })),
      422,
      "FREQUENCY_LIMIT",
    );
    expect(Object.keys(limit.fields ?? {})).toEqual(["recipient.id"]);
    await errorOf(await post(allKey, small.id, body("refusal_4")), 422, "BUDGET_EXHAUSTED");
    // Refused requests leave nothing behind: the key can be used again once the cause is gone.
    expect(await db.payout.count({ where: { campaignId: small.id } })).toBe(1);
    expect(await db.payout.count({ where: { campaignId: unpaid.id } })).toBe(0);
  });
});

describe("rate limit", () => {
  it("a key of 3 requests a minute gets 429 with Retry-After on the 4th", async () => {
    const slow = await key(["payout:request", "payout:read"], null, 3);
    await awayFromMinuteBoundary();
    const first = await post(slow.secret, campaignA.id, body("rate_1"));
    expect(first.status).toBe(201);
    expect(first.headers.get("x-ratelimit-limit")).toBe("3");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("2");
    expect((await getOne(slow.secret, campaignA.id, "rate_1")).status).toBe(200);
    expect((await list(slow.secret, { limit: "1" })).status).toBe(200);
    const fourth = await post(slow.secret, campaignA.id, body("rate_2"));
    const error = await errorOf(fourth, 429, "RATE_LIMITED");
    expect(error.message).toContain("3 requests per minute");
    const retryAfter = Number(fourth.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(fourth.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(await db.payout.count({ where: { outBizNo: "rate_2" } })).toBe(0);
  });
});

describe("?wait=", () => {
  it("returns the payout paid when a dispatcher is running", async () => {
    const dispatcher = testDispatcher(client);
    dispatcher.start();
    try {
      const sent = body("wait_paid");
      const started = Date.now();
      const paid = await payoutOf(await post(allKey, campaignA.id, sent, { query: "?wait=5" }), 201);
      expect(paid).toMatchObject({ status: "SUCCEEDED", awardedFen: 100, outBizNo: "wait_paid" });
      expect(paid.succeededAt).not.toBeNull();
      expect(Date.now() - started).toBeLessThan(5_000);
      // A replay is answered 200 with the same, settled payout.
      expect(await payoutOf(await post(allKey, campaignA.id, sent, { query: "?wait=5" }), 200)).toEqual(paid);
    } finally {
      await dispatcher.stop();
    }
  });

  it("returns at once for a payout waiting for an approver, and after the time for one not sent", async () => {
    const started = Date.now();
    const pending = await payoutOf(
      await post(allKey, campaignC.id, body("wait_pending"), { query: "?wait=10" }),
      201,
    );
    expect(pending.status).toBe("PENDING_APPROVAL");
    expect(Date.now() - started).toBeLessThan(2_000);

    // No dispatcher runs: the approved payout is still approved when the second is up.
    const before = Date.now();
    const approved = await payoutOf(
      await post(allKey, campaignB.id, body("wait_unsent"), { query: "?wait=1" }),
      201,
    );
    expect(approved.status).toBe("APPROVED");
    expect(Date.now() - before).toBeGreaterThanOrEqual(900);
    expect(Date.now() - before).toBeLessThan(3_000);
  });
});

describe("the list", () => {
  it("pages through 120 payouts by cursor, newest first, without duplicates or gaps (ties included)", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 20_000,
      packetCount: 200,
      autoApproveMaxFen: 0,
      autoApproveDailyCapFen: 0,
    });
    for (let i = 0; i < 120; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          requestPayout(
            marketer.actor,
            payoutRequest(campaign.id, { identity: freshUser(), outBizNo: `list_${i + j}`, source: "API" }),
          ),
        ),
      );
    }
    // Forty payouts requested in the same millisecond: only the id orders them, and the cursor must too.
    const tied = await db.payout.findMany({
      where: { campaignId: campaign.id },
      take: 40,
      select: { id: true },
    });
    await db.payout.updateMany({
      where: { id: { in: tied.map((t) => t.id) } },
      data: { createdAt: new Date(Date.now() - 60_000) },
    });
    const expected = await newestFirst({ campaignId: campaign.id });
    expect(expected).toHaveLength(120);

    const { ids, pages } = await walk(allKey, { campaignId: campaign.id, limit: "25" });
    expect(pages).toBe(5);
    expect(new Set(ids).size).toBe(120);
    expect(ids).toEqual(expected);
    const exact = await walk(allKey, { campaignId: campaign.id, limit: "40" });
    expect(exact).toEqual({ ids: expected, pages: 3 });

    // A key for two campaigns reads both, merged in one order, and nothing else.
    const two = await key(["payout:read"], [campaign.id, campaignC.id]);
    const both = await walk(two.secret, { limit: "7" });
    expect(both.ids).toEqual(await newestFirst({ campaignId: { in: [campaign.id, campaignC.id] } }));
    expect(both.ids.length).toBeGreaterThan(120);
  });

  it("filters by status and since, and returns the API's payout shape", async () => {
    const { ids: pending } = await walk(allKey, {
      campaignId: campaignC.id,
      status: "PENDING_APPROVAL",
      limit: "3",
    });
    expect(pending).toEqual(await newestFirst({ campaignId: campaignC.id, status: "PENDING_APPROVAL" }));
    expect(pending.length).toBeGreaterThan(0);
    const none = (await (
      await list(allKey, { campaignId: campaignC.id, status: "SUCCEEDED" })
    ).json()) as ApiPayoutList;
    expect(none).toEqual({ data: [], nextCursor: null });

    const all = await newestFirst({ campaignId: campaignA.id });
    const middle = await db.payout.findUniqueOrThrow({ where: { id: all[Math.floor(all.length / 2)]! } });
    const since = middle.createdAt.toISOString().replace("Z", "+00:00");
    const { ids: recent } = await walk(allKey, { campaignId: campaignA.id, since, limit: "4" });
    expect(recent).toEqual(
      await newestFirst({ campaignId: campaignA.id, createdAt: { gte: middle.createdAt } }),
    );
    expect(recent).toContain(middle.id);

    const page = (await (
      await list(allKey, { campaignId: campaignA.id, limit: "1" })
    ).json()) as ApiPayoutList;
    const [first] = page.data;
    expect(first).toBeDefined();
    expect(await payoutOf(await getOne(allKey, campaignA.id, first!.outBizNo), 200)).toEqual(first);
    expect(first).toEqual({
      id: expect.any(String),
      campaignId: campaignA.id,
      outBizNo: expect.any(String),
      status: expect.any(String),
      amountFen: 100,
      awardedFen: first!.status === "SUCCEEDED" ? 100 : null,
      recipient: { type: expect.any(String), id: expect.any(String) },
      scene: expect.any(String),
      memo: first!.memo,
      source: expect.any(String),
      autoApproved: expect.any(Boolean),
      failureCode: first!.failureCode,
      failureMessage: first!.failureMessage,
      attentionReason: null,
      decisionReason: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      succeededAt: first!.succeededAt,
    });
  });
});

/** Fixed one-minute rate windows: start a counted burst well inside one, not a moment before it ends. */
async function awayFromMinuteBoundary(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
}
