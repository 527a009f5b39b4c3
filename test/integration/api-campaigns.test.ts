/**
 * The machine API's campaign endpoints, called as Next calls them (the exported route handlers with real
 * `Request`s), against the real database and the Alipay simulator over HTTP: creation with the console form's
 * rules and messages under the API's field names, the key's campaign scope on every read and change (and in
 * the services themselves), a scoped key refused creation, pause/resume/close with audit events naming the key,
 * status conflicts, Alipay's refusals and silences, and every answer checked against the OpenAPI document.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as GET_ONE } from "@/app/api/v1/campaigns/[campaignId]/route";
import { POST as CLOSE } from "@/app/api/v1/campaigns/[campaignId]/close/route";
import { POST as PAUSE } from "@/app/api/v1/campaigns/[campaignId]/pause/route";
import { POST as RESUME } from "@/app/api/v1/campaigns/[campaignId]/resume/route";
import { POST as SYNC } from "@/app/api/v1/campaigns/[campaignId]/sync/route";
import { GET as LIST, POST as CREATE } from "@/app/api/v1/campaigns/route";
import type { AlipayClient } from "@/lib/alipay/client";
import type { ApiErrorBody } from "@/lib/api/errors";
import { buildOpenApiDocument, openApiPathOf } from "@/lib/api/openapi";
import type { ApiCampaign } from "@/lib/api/resources";
import type { ApiCampaignList } from "@/lib/api/schemas/campaigns";
import { apiKeyLabel, authenticateApiKey, createApiKey } from "@/lib/api-keys/service";
import type { ApiRouteName } from "@/lib/auth/permissions";
import { createCampaign, setCampaignPaused, syncCampaign } from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { translate } from "@/lib/i18n/messages";
import { fieldErrorsFromZod } from "@/lib/validation/errors";
import { campaignFormSchema } from "@/lib/validation/campaigns";
import type { ApiKeyPermission } from "@/lib/validation/api-keys";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import { validate } from "../support/json-schema";
import { campaignInput } from "../support/payouts";

const BASE = "http://localhost/api/v1";
const DAY = 24 * 60 * 60 * 1000;
const document = buildOpenApiDocument();

let alipay: TestAlipay;
let client: AlipayClient;
let admin: Awaited<ReturnType<typeof insertUser>>;
let marketer: Awaited<ReturnType<typeof insertUser>>;
/** Every campaign permission, every campaign. */
let allKey: { id: string; secret: string };
let n = 0;

/**
 * The route handlers take the process's client from `alipay()` (lib/alipay/index.ts), which keeps it on
 * globalThis so development reloads share one; the tests put the simulator's client there before any call.
 */
function useClientForRoutes(c: AlipayClient | undefined): void {
  (globalThis as unknown as { hongbaoAlipay?: AlipayClient }).hongbaoAlipay = c;
}

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 8000 });
  useClientForRoutes(client);
  admin = await insertUser("admin");
  marketer = await insertUser("marketer");
  allKey = await key(["campaign:read", "campaign:create", "campaign:fund", "campaign:manage"]);
});
afterAll(async () => {
  useClientForRoutes(undefined);
  await alipay.sim.stop();
});
afterEach(() => alipay.sim.setFaults({ rules: [] }));

async function key(
  permissions: ApiKeyPermission[],
  campaignIds: string[] | null = null,
): Promise<{ id: string; secret: string }> {
  n += 1;
  const created = await createApiKey(admin.actor, {
    name: `api-campaigns ${n}`,
    permissions,
    campaignIds,
    ratePerMinute: 10_000,
  });
  return { id: created.key.id, secret: created.secret };
}

function request(
  secret: string | null,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Request {
  return new Request(`${BASE}${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(secret === null ? {} : { authorization: `Bearer ${secret}` }),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === "string"
          ? init.body
          : JSON.stringify(init.body),
  });
}

const noParams = { params: Promise.resolve({}) };
const onCampaign = (campaignId: string) => ({ params: Promise.resolve({ campaignId }) });

function create(secret: string | null, body: unknown) {
  return CREATE(request(secret, "/campaigns", { method: "POST", body }), noParams);
}
function list(secret: string, query: Record<string, string> = {}) {
  return LIST(request(secret, `/campaigns?${new URLSearchParams(query)}`), noParams);
}
function getOne(secret: string, campaignId: string) {
  return GET_ONE(request(secret, `/campaigns/${campaignId}`), onCampaign(campaignId));
}
const ACTIONS = { sync: SYNC, pause: PAUSE, resume: RESUME, close: CLOSE } as const;
function act(secret: string | null, action: keyof typeof ACTIONS, campaignId: string) {
  return ACTIONS[action](
    request(secret, `/campaigns/${campaignId}/${action}`, { method: "POST" }),
    onCampaign(campaignId),
  );
}

/**
 * The answer's JSON, after checking it against what the OpenAPI document says this route answers with this
 * status (the status must be documented, and the body must conform).
 */
async function json<T>(response: Response, route: ApiRouteName): Promise<T> {
  const body: unknown = await response.json();
  const { method, path } = openApiPathOf(route);
  const operation = document.paths[path]?.[method];
  const answer = operation?.responses[String(response.status)];
  expect(answer, `${route} documents status ${response.status}`).toBeDefined();
  const schema = answer && "content" in answer ? answer.content?.["application/json"]?.schema : undefined;
  expect(schema, `${route} ${response.status} has a schema`).toBeDefined();
  if (schema) expect(validate(body, schema, document), `${route} ${response.status}`).toEqual([]);
  return body as T;
}

function body(overrides: Record<string, unknown> = {}) {
  n += 1;
  return {
    name: `API campaign ${Date.now()}-${n}`,
    prizeMessage: "Thanks",
    prizeType: "FIXED",
    budgetFen: 10_000,
    packetCount: 50,
    endsAt: new Date(Date.now() + 30 * DAY).toISOString(),
    ...overrides,
  };
}

async function pay(crowdNo: string | null): Promise<void> {
  await alipay.admin(`/__sim/campaigns/${encodeURIComponent(crowdNo ?? "")}/pay`, {});
}

/** Created by the API, paid at the simulator's cashier and synced by the API: ACTIVE. */
async function activeViaApi(secret: string): Promise<ApiCampaign> {
  const created = await json<{ campaign: ApiCampaign; payUrl: string }>(
    await create(secret, body()),
    "POST /api/v1/campaigns",
  );
  const row = await db.campaign.findUniqueOrThrow({ where: { id: created.campaign.id } });
  await pay(row.crowdNo);
  const synced = await json<ApiCampaign>(
    await act(secret, "sync", created.campaign.id),
    "POST /api/v1/campaigns/[campaignId]/sync",
  );
  expect(synced.status).toBe("ACTIVE");
  return synced;
}

describe("POST /api/v1/campaigns", () => {
  it("creates the campaign at Alipay: 201 with the cashier link, credited to the key", async () => {
    const response = await create(allKey.secret, body({ startsAt: null }));
    expect(response.status).toBe(201);
    const created = await json<{ campaign: ApiCampaign; payUrl: string }>(response, "POST /api/v1/campaigns");
    expect(created.campaign).toMatchObject({
      status: "AWAITING_FUNDING",
      budgetFen: 10_000,
      packetCount: 50,
      availableFen: 0,
      startsAt: null,
    });
    expect(created.payUrl).toContain("/cashier/campaign?crowdNo=");
    expect(created.campaign.payUrl).toBe(created.payUrl);
    expect(response.headers.get("x-ratelimit-limit")).toBe("10000");

    const row = await db.campaign.findUniqueOrThrow({ where: { id: created.campaign.id } });
    const label = apiKeyLabel(await db.apiKey.findUniqueOrThrow({ where: { id: allKey.id } }));
    expect(label).toMatch(/^api:api-campaigns \d+ \(hbk_live_.{8}…\)$/);
    // No user row stands behind a key: the label names it.
    expect(row).toMatchObject({ createdById: null, createdByLabel: label });
    // The form's default policy for a budget left without one: one packet automatically, 10 % a day.
    expect(row).toMatchObject({ autoApproveMaxFen: 200, autoApproveDailyCapFen: 1_000, merchantLink: null });
    const events = await db.auditEvent.findMany({
      where: { entityId: row.id },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((e) => [e.action, e.actorLabel])).toEqual([
      ["campaign.create", label],
      ["campaign.alipay_created", "alipay"],
    ]);
  });

  it("takes the policy, window and limits it is given", async () => {
    const startsAt = new Date(Math.floor((Date.now() + 2 * DAY) / 1000) * 1000);
    const response = await create(
      allKey.secret,
      body({
        prizeType: "RANDOM",
        budgetFen: 20_000,
        packetCount: 40,
        startsAt: startsAt.toISOString().replace("Z", "+00:00"),
        frequencyLifetime: 3,
        frequencyPeriod: "DAY",
        frequencyPeriodLimit: 1,
        merchantLink: "https://example.com/funded",
        defaultScene: "INVITE_REWARD",
        autoApproveMaxFen: 0,
        autoApproveDailyCapFen: 0,
      }),
    );
    expect(response.status).toBe(201);
    const { campaign } = await json<{ campaign: ApiCampaign }>(response, "POST /api/v1/campaigns");
    expect(campaign).toMatchObject({ prizeType: "RANDOM", startsAt: startsAt.toISOString() });
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      frequencyLifetime: 3,
      frequencyPeriod: "DAY",
      frequencyPeriodLimit: 1,
      merchantLink: "https://example.com/funded",
      defaultScene: "INVITE_REWARD",
      autoApproveMaxFen: 0,
      autoApproveDailyCapFen: 0,
    });
  });

  it("refuses what the console form refuses, with the form's messages under the API's field names", async () => {
    const form = campaignFormSchema({ timeZone: "UTC" });
    const formMessages = (values: Record<string, unknown>) => {
      const parsed = form.safeParse({
        name: "N",
        prizeMessage: "M",
        prizeType: "FIXED",
        rail: "CASH_CAMPAIGN",
        startMode: "now",
        endAt: new Date(Date.now() + 30 * DAY).toISOString().slice(0, 16),
        frequencyLifetime: 1,
        defaultScene: "POINTS_REDEMPTION",
        ...values,
      });
      expect(parsed.success).toBe(false);
      const errors = parsed.success ? {} : fieldErrorsFromZod(parsed.error);
      return Object.fromEntries(
        Object.entries(errors).map(([field, refs]) => [
          field,
          refs.map((r) => translate("en", r.key, r.params)),
        ]),
      );
    };
    const before = await db.campaign.count();

    // ¥100.00 in 3 fixed packets is not whole fen: the form's explanation, on packetCount.
    const split = await create(allKey.secret, body({ budgetFen: 10_000, packetCount: 3 }));
    expect(split.status).toBe(422);
    const splitError = (await json<ApiErrorBody>(split, "POST /api/v1/campaigns")).error;
    expect(splitError.code).toBe("VALIDATION");
    expect(splitError.fields).toEqual({
      packetCount: formMessages({ total: "100.00", packetCount: 3 }).packetCount,
    });
    expect(splitError.fields?.packetCount?.[0]).toContain("¥33.33⅓");

    // The form's `total`, `autoApproveDailyCap` and `startAt` are the API's budgetFen, …Fen and startsAt.
    const many = await create(
      allKey.secret,
      body({
        budgetFen: 50,
        packetCount: 1,
        startsAt: new Date(Date.now() - DAY).toISOString(),
        autoApproveMaxFen: 500,
        autoApproveDailyCapFen: 100,
      }),
    );
    expect(many.status).toBe(422);
    const { fields } = (await json<ApiErrorBody>(many, "POST /api/v1/campaigns")).error;
    expect(fields?.budgetFen).toEqual(formMessages({ total: "0.50", packetCount: 1 }).total);
    expect(Object.keys(fields ?? {}).sort()).toEqual(["budgetFen"]);

    const dates = await create(
      allKey.secret,
      body({
        startsAt: new Date(Date.now() - DAY).toISOString(),
        endsAt: new Date(Date.now() + 400 * DAY).toISOString(),
        autoApproveMaxFen: 500,
        autoApproveDailyCapFen: 100,
      }),
    );
    const dateFields = (await json<ApiErrorBody>(dates, "POST /api/v1/campaigns")).error.fields ?? {};
    expect(Object.keys(dateFields).sort()).toEqual(["autoApproveDailyCapFen", "endsAt", "startsAt"]);
    expect(dateFields.startsAt?.[0]).toMatch(/^The start must be in the future/);
    expect(dateFields.endsAt?.[0]).toMatch(/^A campaign can last at most 6 months/);
    expect(dateFields.autoApproveDailyCapFen).toEqual(
      formMessages({ total: "100.00", packetCount: 50, autoApproveMax: "5.00", autoApproveDailyCap: "1.00" })
        .autoApproveDailyCap,
    );

    // Wrong types are named before any rule runs; a body that is not a JSON object is INVALID_JSON.
    const types = await create(allKey.secret, { name: "N", budgetFen: "100.00", endsAt: "tomorrow" });
    const typeFields = (await json<ApiErrorBody>(types, "POST /api/v1/campaigns")).error.fields ?? {};
    expect(Object.keys(typeFields).sort()).toEqual([
      "budgetFen",
      "endsAt",
      "packetCount",
      "prizeMessage",
      "prizeType",
    ]);
    const notJson = await create(allKey.secret, "[1, 2]");
    expect(notJson.status).toBe(400);
    expect((await json<ApiErrorBody>(notJson, "POST /api/v1/campaigns")).error.code).toBe("INVALID_JSON");

    expect(await db.campaign.count()).toBe(before);
  });

  it("is refused to a key limited to some campaigns (403 saying why), and in the service too", async () => {
    const own = await createCampaign(client, marketer.actor, campaignInput());
    const scoped = await key(["campaign:read", "campaign:create"], [own.id]);
    const before = await db.campaign.count();
    const response = await create(scoped.secret, body());
    expect(response.status).toBe(403);
    const { error } = await json<ApiErrorBody>(response, "POST /api/v1/campaigns");
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toBe(translate("en", "api.errors.scopedKeyCannotCreate"));
    expect(await db.campaign.count()).toBe(before);

    const actor = await authenticateApiKey(scoped.secret, { ip: null, userAgent: null });
    await expect(createCampaign(client, actor, campaignInput())).rejects.toMatchObject({
      code: "FORBIDDEN",
      ref: { key: "api.errors.scopedKeyCannotCreate" },
    });
    expect(await db.campaign.count()).toBe(before);
  });

  it("answers 502 with Alipay's reason when Alipay refuses, the campaign recorded as FAILED", async () => {
    // A start that has passed by the time Alipay processes the call (the simulator holds it for 3 s).
    alipay.sim.setFaults({ rules: [{ methods: "alipay.marketing.campaign.cash.create", latencyMs: 3000 }] });
    const name = `Refused ${Date.now()}`;
    const response = await create(
      allKey.secret,
      body({ name, startsAt: new Date(Date.now() + 1500).toISOString() }),
    );
    expect(response.status).toBe(502);
    const { error } = await json<ApiErrorBody>(response, "POST /api/v1/campaigns");
    const row = await db.campaign.findFirstOrThrow({ where: { name } });
    expect(row).toMatchObject({ status: "FAILED", failureCode: "isv.CASH_TIME_CHECK_FAILED" });
    expect(error.code).toBe("ALIPAY_UNAVAILABLE");
    expect(error.message).toContain(`campaign ${row.id} (FAILED)`);
  });

  it("answers 202 when Alipay's answer is not known: the campaign is UNKNOWN and looked up, never re-created", async () => {
    alipay.sim.setFaults({ rules: [{ methods: "alipay.marketing.campaign.cash.create", unknownRate: 1 }] });
    const response = await create(allKey.secret, body());
    expect(response.status).toBe(202);
    const created = await json<{ campaign: ApiCampaign; payUrl: string | null }>(
      response,
      "POST /api/v1/campaigns",
    );
    expect(created).toMatchObject({ campaign: { status: "UNKNOWN" }, payUrl: null });
  });
});

describe("reading campaigns", () => {
  it("lists newest first a page at a time, filters by status, and a key sees only its campaigns", async () => {
    const a = await createCampaign(client, marketer.actor, campaignInput());
    const b = await createCampaign(client, marketer.actor, campaignInput());
    const c = await createCampaign(client, marketer.actor, campaignInput());
    const forA = await key(["campaign:read"], [a.id]);
    const forAc = await key(["campaign:read"], [a.id, c.id]);

    const onlyA = await json<ApiCampaignList>(await list(forA.secret), "GET /api/v1/campaigns");
    expect(onlyA).toEqual({ data: [expect.objectContaining({ id: a.id })], nextCursor: null });

    // Page by page, one at a time: c then a, never b.
    const first = await json<ApiCampaignList>(
      await list(forAc.secret, { limit: "1" }),
      "GET /api/v1/campaigns",
    );
    expect(first.data.map((x) => x.id)).toEqual([c.id]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await json<ApiCampaignList>(
      await list(forAc.secret, { limit: "1", cursor: first.nextCursor ?? "" }),
      "GET /api/v1/campaigns",
    );
    expect(second.data.map((x) => x.id)).toEqual([a.id]);
    // The last page says so: no cursor to a page that would be empty.
    expect(second.nextCursor).toBeNull();

    // A key for every campaign walks all of them, newest first, each once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiCampaignList = await json<ApiCampaignList>(
        await list(allKey.secret, { limit: "7", ...(cursor ? { cursor } : {}) }),
        "GET /api/v1/campaigns",
      );
      seen.push(...page.data.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(await db.campaign.count());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.indexOf(c.id)).toBeLessThan(seen.indexOf(b.id));
    expect(seen.indexOf(b.id)).toBeLessThan(seen.indexOf(a.id));

    const awaiting = await json<ApiCampaignList>(
      await list(allKey.secret, { status: "AWAITING_FUNDING", limit: "200" }),
      "GET /api/v1/campaigns",
    );
    expect(awaiting.data.length).toBeGreaterThanOrEqual(3);
    expect(awaiting.data.every((x) => x.status === "AWAITING_FUNDING")).toBe(true);

    const wrong = await list(allKey.secret, { status: "NOPE", limit: "0", cursor: "not-a-cursor" });
    expect(wrong.status).toBe(422);
    expect(
      Object.keys((await json<ApiErrorBody>(wrong, "GET /api/v1/campaigns")).error.fields ?? {}).sort(),
    ).toEqual(["cursor", "limit", "status"]);
  });

  it("gets one campaign with its figures; one outside the key's campaigns is a 404 like an unknown one", async () => {
    const a = await createCampaign(client, marketer.actor, campaignInput());
    const b = await createCampaign(client, marketer.actor, campaignInput());
    const forA = await key(["campaign:read"], [a.id]);

    const own = await getOne(forA.secret, a.id);
    expect(own.status).toBe(200);
    expect(await json<ApiCampaign>(own, "GET /api/v1/campaigns/[campaignId]")).toMatchObject({
      id: a.id,
      name: a.name,
      status: "AWAITING_FUNDING",
      budgetFen: a.budgetFen,
      reservedFen: 0,
      spentFen: 0,
      refundedFen: 0,
      availableFen: 0,
      sentCount: 0,
    });

    const other = await getOne(forA.secret, b.id);
    const unknown = await getOne(forA.secret, "no-such-campaign");
    expect([other.status, unknown.status]).toEqual([404, 404]);
    expect(await json<ApiErrorBody>(other, "GET /api/v1/campaigns/[campaignId]")).toEqual(
      await json<ApiErrorBody>(unknown, "GET /api/v1/campaigns/[campaignId]"),
    );
  });
});

describe("changing campaigns", () => {
  it("pause → resume → close, each audited under the key's name; a closed campaign cannot be paused (409)", async () => {
    const manager = await key(["campaign:read", "campaign:create", "campaign:fund", "campaign:manage"]);
    const label = apiKeyLabel(await db.apiKey.findUniqueOrThrow({ where: { id: manager.id } }));
    const campaign = await activeViaApi(manager.secret);

    const paused = await act(manager.secret, "pause", campaign.id);
    expect(paused.status).toBe(200);
    expect((await json<ApiCampaign>(paused, "POST /api/v1/campaigns/[campaignId]/pause")).status).toBe(
      "PAUSED",
    );
    const resumed = await act(manager.secret, "resume", campaign.id);
    expect((await json<ApiCampaign>(resumed, "POST /api/v1/campaigns/[campaignId]/resume")).status).toBe(
      "ACTIVE",
    );
    const closed = await act(manager.secret, "close", campaign.id);
    expect((await json<ApiCampaign>(closed, "POST /api/v1/campaigns/[campaignId]/close")).status).toBe(
      "CLOSED",
    );

    const events = await db.auditEvent.findMany({
      where: {
        entityId: campaign.id,
        action: { in: ["campaign.create", "campaign.pause", "campaign.resume", "campaign.close"] },
      },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((e) => [e.action, e.actorType, e.actorLabel])).toEqual([
      ["campaign.create", "API_KEY", label],
      ["campaign.pause", "API_KEY", label],
      ["campaign.resume", "API_KEY", label],
      ["campaign.close", "API_KEY", label],
    ]);

    const again = await act(manager.secret, "pause", campaign.id);
    expect(again.status).toBe(409);
    const { error } = await json<ApiErrorBody>(again, "POST /api/v1/campaigns/[campaignId]/pause");
    expect(error.code).toBe("CONFLICT");
    expect((await act(manager.secret, "resume", campaign.id)).status).toBe(409);
    expect((await act(manager.secret, "close", campaign.id)).status).toBe(409);
  });

  it("closing before the budget is paid cancels the campaign", async () => {
    const created = await json<{ campaign: ApiCampaign }>(
      await create(allKey.secret, body()),
      "POST /api/v1/campaigns",
    );
    const closed = await act(allKey.secret, "close", created.campaign.id);
    expect(closed.status).toBe(200);
    expect((await json<ApiCampaign>(closed, "POST /api/v1/campaigns/[campaignId]/close")).status).toBe(
      "CLOSED",
    );
  });

  it("answers 502 ALIPAY_UNAVAILABLE when Alipay does not answer a pause, after reading its actual state", async () => {
    const campaign = await activeViaApi(allKey.secret);
    alipay.sim.setFaults({
      rules: [{ methods: "alipay.marketing.campaign.cash.status.modify", unknownRate: 1 }],
    });
    const response = await act(allKey.secret, "pause", campaign.id);
    expect(response.status).toBe(502);
    expect((await json<ApiErrorBody>(response, "POST /api/v1/campaigns/[campaignId]/pause")).error.code).toBe(
      "ALIPAY_UNAVAILABLE",
    );
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe("ACTIVE");
  });

  it("never touches a campaign outside the key's list (404), in the route and in the services", async () => {
    const a = await activeViaApi(allKey.secret);
    const b = await activeViaApi(allKey.secret);
    const forA = await key(["campaign:read", "campaign:fund", "campaign:manage"], [a.id]);
    for (const action of ["sync", "pause", "resume", "close"] as const) {
      const response = await act(forA.secret, action, b.id);
      expect(response.status, action).toBe(404);
      expect(
        (await json<ApiErrorBody>(response, `POST /api/v1/campaigns/[campaignId]/${action}`)).error.code,
      ).toBe("NOT_FOUND");
    }
    expect((await db.campaign.findUniqueOrThrow({ where: { id: b.id } })).status).toBe("ACTIVE");

    // Defence in depth: the services refuse the key's actor on their own.
    const actor = await authenticateApiKey(forA.secret, { ip: null, userAgent: null });
    await expect(setCampaignPaused(client, actor, b.id, true)).rejects.toBeInstanceOf(DomainError);
    await expect(syncCampaign(client, actor, b.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await act(forA.secret, "pause", a.id)).status).toBe(200);
  });

  it("needs the endpoint's permission (403) and a key (401)", async () => {
    const campaign = await activeViaApi(allKey.secret);
    const reader = await key(["campaign:read", "payout:request"]);
    const refused = await act(reader.secret, "pause", campaign.id);
    expect(refused.status).toBe(403);
    const { error } = await json<ApiErrorBody>(refused, "POST /api/v1/campaigns/[campaignId]/pause");
    expect(error).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("campaign:manage") });
    expect((await create(reader.secret, body())).status).toBe(403);
    expect((await act(reader.secret, "sync", campaign.id)).status).toBe(403);

    const anonymous = await act(null, "close", campaign.id);
    expect(anonymous.status).toBe(401);
    expect(
      (await json<ApiErrorBody>(anonymous, "POST /api/v1/campaigns/[campaignId]/close")).error.code,
    ).toBe("UNAUTHENTICATED");
    expect((await list("hbk_live_not-a-real-key", {})).status).toBe(401);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe("ACTIVE");
  });
});
