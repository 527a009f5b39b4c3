/**
 * Property-based tests of the machine API's POST routes (every one under app/api/v1), called as Next calls them
 * — the exported handlers with WHATWG Requests and a real API key — against the real database and the simulator
 * over HTTP. Bodies are random JSON, random values in a valid body's fields, non-JSON text and lying content
 * types; path ids are random text. Whatever arrives, the answer is never a 5xx fault, a 4xx has the one error
 * shape (documented code and status, a message, and for VALIDATION the fields it names — all fields of the
 * request), and a 4xx changes nothing: no payout, campaign, fund order or audit event, the budget figures as
 * they were. A 2xx wrote exactly its rows and its audit event.
 */
import { isStorableText } from "@/lib/validation/text";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as CLOSE } from "@/app/api/v1/campaigns/[campaignId]/close/route";
import { POST as PAUSE } from "@/app/api/v1/campaigns/[campaignId]/pause/route";
import { POST as PAYOUT } from "@/app/api/v1/campaigns/[campaignId]/payouts/route";
import { POST as RESUME } from "@/app/api/v1/campaigns/[campaignId]/resume/route";
import { POST as SYNC } from "@/app/api/v1/campaigns/[campaignId]/sync/route";
import { POST as CREATE_CAMPAIGN } from "@/app/api/v1/campaigns/route";
import { POST as CLAIM } from "@/app/api/v1/red-packets/[packetId]/claims/route";
import { POST as PAYMENT } from "@/app/api/v1/red-packets/[packetId]/payment/route";
import { POST as APP_PAY_ORDER } from "@/app/api/v1/red-packets/app-pay-orders/route";
import type { AlipayClient } from "@/lib/alipay/client";
import { API_ERRORS, type ApiErrorBody } from "@/lib/api/errors";
import { createApiKey } from "@/lib/api-keys/service";
import { db } from "@/lib/db";
import { SCENES } from "@/lib/enums";
import { translate } from "@/lib/i18n/messages";
import type { ApiKeyPermission } from "@/lib/validation/api-keys";
import {
  anythingAsJson,
  applyMutation,
  CONTENT_TYPES,
  fuzzParams,
  fuzzTimeout,
  fuzzUserId,
  hostileString,
  hostileValue,
  mutationOf,
  nonJsonObjectBody,
  type Mutation,
} from "../support/arbitraries";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import { activeCampaign, testDispatcher, waitUntilNone } from "../support/payouts";

// Per property, scaled with FUZZ_RUNS: well above what one takes on a loaded machine (see fuzzTimeout).
vi.setConfig({ testTimeout: fuzzTimeout(180_000) });

const BASE = "http://localhost/api/v1";
const DAY = 24 * 60 * 60 * 1000;
/** Recipients of this file: 4_400_000 + i, apart from every other test file's. */
const USERS = 4_400_000;

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Campaign = Awaited<ReturnType<typeof activeCampaign>>;

let alipay: TestAlipay;
let client: AlipayClient;
let admin: Awaited<ReturnType<typeof insertUser>>;
let marketer: Awaited<ReturnType<typeof insertUser>>;
/** A cash campaign whose payouts all wait for an approver: nothing this file requests is ever sent. */
let waiting: Campaign;
/** Limited to `waiting`: payouts and campaign automation on it. */
let scoped: { id: string; secret: string };
/** Every permission, every campaign: creates campaigns and user-funded packets. */
let unscoped: { id: string; secret: string };
let seq = 0;

function useClientForRoutes(c: AlipayClient | undefined): void {
  (globalThis as unknown as { hongbaoAlipay?: AlipayClient }).hongbaoAlipay = c;
}

async function key(permissions: ApiKeyPermission[], campaignIds: string[] | null) {
  seq += 1;
  const created = await createApiKey(admin.actor, {
    name: `fuzz-api ${seq}`,
    permissions,
    campaignIds,
    ratePerMinute: 60_000,
  });
  return { id: created.key.id, secret: created.secret };
}

const ALL: ApiKeyPermission[] = [
  "payout:request",
  "payout:read",
  "campaign:read",
  "campaign:create",
  "campaign:fund",
  "campaign:manage",
];

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 8000, notifyUrl: "http://127.0.0.1:9/nowhere" });
  useClientForRoutes(client);
  [admin, marketer] = await Promise.all([insertUser("admin"), insertUser("marketer")]);
  waiting = await activeCampaign(alipay, client, marketer.actor, {
    budgetFen: 1_000_000,
    packetCount: 10_000,
    frequencyLifetime: 100,
    autoApproveMaxFen: 0,
    autoApproveDailyCapFen: 0,
  });
  scoped = await key(ALL, [waiting.id]);
  unscoped = await key(ALL, null);
});

afterAll(async () => {
  useClientForRoutes(undefined);
  await alipay.sim.stop();
});

/** A request as a client may send it: any body text, any content type, the key's bearer secret. */
function request(
  secret: string,
  path: string,
  body: string | undefined,
  contentType: string = "application/json",
): Request {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, ...(contentType ? { "content-type": contentType } : {}) },
    body,
  });
}

/** A path segment for the request's URL; Next hands the handler the decoded id (`params`), which is what counts. */
function pathSegment(id: string): string {
  try {
    return encodeURIComponent(id);
  } catch {
    return "x"; // a lone surrogate cannot be in a URL at all
  }
}

function call(handler: Handler, req: Request, params: Record<string, string>): Promise<Response> {
  return handler(req, { params: Promise.resolve(params) });
}

/** What a 4xx may never change, scoped to the campaigns and key of this property. */
async function snapshot(campaignIds: readonly string[], keyIds: readonly string[]) {
  const [payouts, audit, campaigns, fundOrders, batches, campaignCount] = await Promise.all([
    db.payout.count({ where: { campaignId: { in: [...campaignIds] } } }),
    db.auditEvent.count({
      where: { OR: [{ actorId: { in: [...keyIds] } }, { entityId: { in: [...campaignIds] } }] },
    }),
    db.campaign.findMany({
      where: { id: { in: [...campaignIds] } },
      orderBy: { id: "asc" },
      select: {
        id: true,
        status: true,
        budgetFen: true,
        reservedFen: true,
        spentFen: true,
        refundedFen: true,
        updatedAt: true,
      },
    }),
    db.fundOrder.findMany({
      where: { campaignId: { in: [...campaignIds] } },
      orderBy: { id: "asc" },
      select: { id: true, status: true, amountFen: true, refundedFen: true, authNo: true },
    }),
    db.batch.count({ where: { campaignId: { in: [...campaignIds] } } }),
    db.campaign.count(),
  ]);
  return { payouts, audit, campaigns, fundOrders, batches, campaignCount };
}

/**
 * The error shape of every 4xx: a documented code with its status, a message, and for VALIDATION at least one
 * field, each one a field of this request (`allowed`).
 */
async function expectErrorShape(response: Response, allowed: ReadonlySet<string>): Promise<ApiErrorBody> {
  const text = await response.text();
  let body: ApiErrorBody;
  try {
    body = JSON.parse(text) as ApiErrorBody;
  } catch {
    throw new Error(`a ${response.status} answered with non-JSON: ${text.slice(0, 200)}`);
  }
  const code = body.error?.code;
  expect(Object.keys(API_ERRORS), text).toContain(code);
  expect(API_ERRORS[code].status, text).toBe(response.status);
  expect(typeof body.error.message, text).toBe("string");
  expect(body.error.message.length, text).toBeGreaterThan(0);
  if (code === "VALIDATION" || code === "IDEMPOTENCY_CONFLICT") {
    const fields = Object.keys(body.error.fields ?? {});
    expect(fields.length, text).toBeGreaterThan(0);
    for (const field of fields) expect(allowed.has(field), `${field} in ${text}`).toBe(true);
    for (const messages of Object.values(body.error.fields ?? {})) {
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) expect(message).toMatch(/\S/);
    }
  }
  return body;
}

/** Never a fault: the status is below 500 (502 only as Alipay's documented refusal, checked by the caller). */
function expectNoFault(response: Response, what: unknown): void {
  expect(
    response.status,
    `answered ${response.status} to ${JSON.stringify(what)?.slice(0, 500)}`,
  ).toBeLessThan(500);
}

// ---------------------------------------------------------------------------------------------------------------
// POST /api/v1/campaigns/{campaignId}/payouts

const PAYOUT_FIELDS = new Set([
  "outBizNo",
  "recipient",
  "recipient.type",
  "recipient.id",
  "recipient.name",
  "scene",
  "memo",
  "amountFen",
  "wait",
  "campaignId",
]);
const PAYOUT_PATHS = [
  ["outBizNo"],
  ["recipient"],
  ["recipient", "type"],
  ["recipient", "id"],
  ["recipient", "name"],
  ["scene"],
  ["memo"],
  ["amountFen"],
] as const;

function validPayoutBody(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      outBizNo: fc.nat().map((n) => {
        seq += 1;
        return `fz_${Date.now().toString(36)}_${seq}_${n}`;
      }),
      recipient: fc.record({ type: fc.constant("USER_ID"), id: fuzzUserId(USERS) }),
      scene: fc.constantFrom(...SCENES),
      memo: fc.oneof(fc.constant(null), fc.string({ maxLength: 50 })),
    },
    { requiredKeys: ["outBizNo", "recipient"] },
  );
}

type PayoutCase = { body: string; contentType: string; query: string; what: unknown };

function payoutCase(): fc.Arbitrary<PayoutCase> {
  const json = (value: unknown) => JSON.stringify(value) ?? "null";
  const contentType = fc.oneof(
    { weight: 5, arbitrary: fc.constant("application/json") },
    { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
  );
  // encodeURIComponent throws on a lone surrogate; send its (invalid) UTF-8 bytes instead, as a client might.
  const encodeHostile = (text: string) =>
    [...text].map((c) => (isStorableText(c) ? encodeURIComponent(c) : "%ED%A0%80")).join("");
  const query = fc.oneof(
    { weight: 6, arbitrary: fc.constant("") },
    {
      weight: 1,
      arbitrary: fc.constantFrom("?wait=0", "?wait=", "?wait=-1", "?wait=11", "?wait=1e1", "?wait=NaN"),
    },
    { weight: 1, arbitrary: hostileString({ maxLength: 20 }).map((w) => `?wait=${encodeHostile(w)}`) },
  );
  const body = fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(validPayoutBody(), mutationOf(PAYOUT_PATHS))
        .map(([valid, m]) => ({ value: applyMutation(valid, m), what: { valid, mutation: m } })),
    },
    { weight: 2, arbitrary: validPayoutBody().map((valid) => ({ value: valid, what: { valid } })) },
    {
      weight: 2,
      arbitrary: fc
        .record({
          outBizNo: hostileValue(),
          recipient: fc.oneof(hostileValue(), fc.record({ type: hostileValue(), id: hostileValue() })),
          scene: hostileValue(),
          memo: hostileValue(),
          amountFen: hostileValue(),
        })
        .map((value) => ({ value, what: { random: value } })),
    },
    { weight: 1, arbitrary: fc.jsonValue().map((value) => ({ value, what: { json: value } })) },
    { weight: 1, arbitrary: anythingAsJson().map((value) => ({ value, what: { anything: value } })) },
  );
  return fc.oneof(
    {
      weight: 9,
      arbitrary: fc.record({ body, contentType, query }).map(({ body: b, contentType: c, query: q }) => ({
        body: json(b.value),
        contentType: c,
        query: q,
        what: b.what,
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ text: nonJsonObjectBody(), contentType, query })
        .map(({ text, contentType: c, query: q }) => ({
          body: text,
          contentType: c,
          query: q,
          what: { text },
        })),
    },
  );
}

/** Hand-picked cases run before the random ones (and kept as regressions when one of them found a bug). */
const HOSTILE_PAYOUT_EXAMPLES: [PayoutCase][] = [
  { memo: "a\u0000b" },
  { memo: "\uD800" },
  { recipient: { type: "USER_ID", id: "2088000000000001", name: "\u0000" } },
  { amountFen: 2 ** 53 + 2 },
  { amountFen: 1e308 },
  { scene: "POINTS_REDEMPTION\u0000" },
].map((overrides, i) => [
  {
    body: JSON.stringify({
      outBizNo: `fz_example_${Date.now().toString(36)}_${i}`,
      recipient: { type: "USER_ID", id: `2088${String(100_000_000_000 + USERS + 100_000 + i).slice(-12)}` },
      ...overrides,
    }),
    contentType: "application/json",
    query: "",
    what: overrides,
  },
]);

async function postPayout(secret: string, campaignId: string, c: PayoutCase): Promise<Response> {
  return call(
    PAYOUT as Handler,
    request(secret, `/campaigns/${pathSegment(campaignId)}/payouts${c.query}`, c.body, c.contentType),
    { campaignId },
  );
}

/** A 201 wrote one payout under the body's outBizNo, holding the packet, with its `payout.request` event. */
async function expectOnePayoutWritten(
  response: Response,
  before: Awaited<ReturnType<typeof snapshot>>,
  after: Awaited<ReturnType<typeof snapshot>>,
) {
  const payout = (await response.json()) as {
    id: string;
    outBizNo: string;
    amountFen: number;
    status: string;
  };
  expect(after.payouts).toBe(before.payouts + 1);
  const row = await db.payout.findUniqueOrThrow({ where: { id: payout.id } });
  expect(row).toMatchObject({
    campaignId: waiting.id,
    outBizNo: payout.outBizNo,
    status: "PENDING_APPROVAL",
  });
  const events = await db.auditEvent.findMany({ where: { entityId: payout.id } });
  expect(events.map((e) => e.action)).toEqual(["payout.request"]);
  expect(events[0]?.actorId).toBe(scoped.id);
  const [c0, c1] = [before.campaigns[0], after.campaigns[0]];
  expect(c1?.reservedFen).toBe((c0?.reservedFen ?? 0) + row.amountFen);
  expect(c1?.spentFen).toBe(c0?.spentFen);
  expect(after.fundOrders).toEqual(before.fundOrders);
  expect(after.campaignCount).toBe(before.campaignCount);
  // Its own event, and nothing else by this key.
  expect(after.audit).toBe(before.audit + 1);
}

describe("POST /api/v1/campaigns/{campaignId}/payouts", () => {
  it("never faults; a 4xx has the error shape and changes nothing; a 201 writes one payout and its event", async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(payoutCase(), async (c) => {
        const before = await snapshot([waiting.id], [scoped.id]);
        const response = await postPayout(scoped.secret, waiting.id, c);
        seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
        expectNoFault(response, c);
        const after = await snapshot([waiting.id], [scoped.id]);
        if (response.status === 201) return expectOnePayoutWritten(response, before, after);
        if (response.status >= 400) await expectErrorShape(response, PAYOUT_FIELDS);
        // A 4xx, or a 200 replay of an outBizNo already used: nothing new.
        expect(after).toEqual(before);
      }),
      fuzzParams(60, HOSTILE_PAYOUT_EXAMPLES),
    );
    // The generator reaches both sides: some bodies are accepted, most are refused.
    expect(seen.get(201) ?? 0).toBeGreaterThan(0);
    expect(seen.get(422) ?? 0).toBeGreaterThan(0);
  });

  it("the same outBizNo again with a body changed in one field: 200 when equal, else a 4xx naming fields; nothing new", async () => {
    await fc.assert(
      fc.asyncProperty(
        validPayoutBody(),
        mutationOf(PAYOUT_PATHS.filter((p) => p[0] !== "outBizNo")),
        async (valid, m) => {
          const first = await postPayout(scoped.secret, waiting.id, {
            body: JSON.stringify(valid),
            contentType: "application/json",
            query: "",
            what: valid,
          });
          // A recipient past the campaign's per-user limit is refused the first time; no key to replay then.
          if (first.status !== 201) {
            expect(first.status).toBe(422);
            return;
          }
          const before = await snapshot([waiting.id], [scoped.id]);
          const second = await postPayout(scoped.secret, waiting.id, {
            body: JSON.stringify(applyMutation(valid, m)),
            contentType: "application/json",
            query: "",
            what: { valid, m },
          });
          expectNoFault(second, { valid, m });
          if (second.status !== 200) {
            expect([409, 422]).toContain(second.status);
            await expectErrorShape(second, PAYOUT_FIELDS);
          }
          expect(await snapshot([waiting.id], [scoped.id])).toEqual(before);
        },
      ),
      fuzzParams(20),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// POST /api/v1/campaigns/{campaignId}/{pause,resume,close,sync}: no body; the path id and any body are hostile.

const ACTIONS = { pause: PAUSE, resume: RESUME, close: CLOSE, sync: SYNC } as const;
type ActionName = keyof typeof ACTIONS;

describe("POST /api/v1/campaigns/{campaignId}/(pause|resume|close|sync)", () => {
  it("a hostile campaign id or body never faults and changes nothing", async () => {
    const ids = fc.oneof(
      hostileString({ maxLength: 100 }),
      fc
        .constant(waiting.id)
        .chain((id) => fc.constantFrom(`${id}\u0000`, `${id} `, id.toUpperCase(), `${id}/..`)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<ActionName>("pause", "resume", "close", "sync"),
        ids,
        fc.constantFrom(scoped, unscoped),
        fc.option(nonJsonObjectBody(), { nil: undefined }),
        async (action, campaignId, k, body) => {
          const before = await snapshot([waiting.id], [scoped.id, unscoped.id]);
          const response = await call(
            ACTIONS[action] as Handler,
            request(k.secret, `/campaigns/${pathSegment(campaignId)}/${action}`, body),
            { campaignId },
          );
          expectNoFault(response, { action, campaignId });
          expect(response.status).toBeGreaterThanOrEqual(400);
          await expectErrorShape(response, new Set(["campaignId"]));
          expect(await snapshot([waiting.id], [scoped.id, unscoped.id])).toEqual(before);
        },
      ),
      fuzzParams<[ActionName, string, { id: string; secret: string }, string | undefined]>(50, [
        // Regressions: a NUL or a lone surrogate in the id reached the database lookup and answered 500.
        ["pause", "2088\u0000000000000001", unscoped, undefined],
        ["sync", "\uD800", unscoped, undefined],
      ]),
    );
  });

  it("any sequence of actions on a campaign answers 200 with its event or 409 changing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<ActionName>("pause", "resume", "close", "sync"), {
          minLength: 1,
          maxLength: 5,
        }),
        async (actions) => {
          const campaign = await activeCampaign(alipay, client, marketer.actor, {
            budgetFen: 1_000,
            packetCount: 10,
          });
          for (const action of actions) {
            const before = await snapshot([campaign.id], [unscoped.id]);
            const response = await call(
              ACTIONS[action] as Handler,
              request(unscoped.secret, `/campaigns/${campaign.id}/${action}`, undefined),
              { campaignId: campaign.id },
            );
            expectNoFault(response, actions);
            const after = await snapshot([campaign.id], [unscoped.id]);
            if (response.status === 200) {
              const answered = (await response.json()) as { status: string };
              expect(answered.status).toBe(after.campaigns[0]?.status);
              // A change of status is audited, by this key; a sync that found nothing new writes nothing.
              if (after.campaigns[0]?.status !== before.campaigns[0]?.status) {
                const events = await db.auditEvent.findMany({
                  where: { entityId: campaign.id, actorId: unscoped.id, action: `campaign.${action}` },
                });
                expect(events.length, `${action} audited`).toBeGreaterThan(0);
              }
            } else {
              expect(response.status, actions.join(",")).toBe(409);
              await expectErrorShape(response, new Set());
              expect(after).toEqual(before);
            }
          }
        },
      ),
      fuzzParams(5),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// POST /api/v1/campaigns

const CAMPAIGN_FIELDS = new Set([
  "rail",
  "name",
  "prizeMessage",
  "startsAt",
  "endsAt",
  "frequencyLifetime",
  "frequencyPeriod",
  "frequencyPeriodLimit",
  "defaultScene",
  "autoApproveMaxFen",
  "autoApproveDailyCapFen",
  "prizeType",
  "budgetFen",
  "packetCount",
  "merchantLink",
  "maxPacketFen",
  "dailyAmountPerUserFen",
]);

function validCampaignBody(): fc.Arbitrary<Record<string, unknown>> {
  const endsAt = new Date(Math.floor((Date.now() + 20 * DAY) / 1000) * 1000).toISOString();
  const common = {
    name: fc
      .string({ minLength: 1, maxLength: 20 })
      .filter((s) => s.trim() !== "")
      .map((s) => `fz ${s}`),
    prizeMessage: fc.constantFrom("Thanks", "恭喜发财", "谢谢参与 😀"),
    endsAt: fc.constant(endsAt),
    frequencyLifetime: fc.integer({ min: 1, max: 10 }),
    defaultScene: fc.constantFrom(...SCENES),
  };
  return fc.oneof(
    fc
      .record({
        ...common,
        rail: fc.constant("CASH_CAMPAIGN"),
        prizeType: fc.constant("FIXED"),
        packetCount: fc.integer({ min: 1, max: 100 }),
        budgetFen: fc.constant(0),
      })
      .map((b) => ({ ...b, budgetFen: (b.packetCount as number) * 100 })),
    fc.record({
      ...common,
      rail: fc.constant("TRANSFER"),
      budgetFen: fc.integer({ min: 1_000, max: 100_000 }),
      maxPacketFen: fc.integer({ min: 100, max: 1_000 }),
    }),
    fc.record({
      ...common,
      rail: fc.constant("FUND_COUPON"),
      maxPacketFen: fc.integer({ min: 100, max: 1_000 }),
    }),
  );
}

const CAMPAIGN_PATHS = [...CAMPAIGN_FIELDS].map((f) => [f]);

describe("POST /api/v1/campaigns", () => {
  it("never faults; a 4xx names the body's fields and creates nothing; a 201 creates one audited campaign", async () => {
    const cases: fc.Arbitrary<{ body: string; what: unknown }> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .tuple(validCampaignBody(), mutationOf(CAMPAIGN_PATHS))
          .map(([valid, m]): { body: string; what: unknown } => ({
            body: JSON.stringify(applyMutation(valid, m)),
            what: { valid, m },
          })),
      },
      { weight: 1, arbitrary: anythingAsJson().map((v) => ({ body: JSON.stringify(v) ?? "null", what: v })) },
      { weight: 1, arbitrary: nonJsonObjectBody().map((text) => ({ body: text, what: text })) },
    );
    let created = 0;
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const before = await snapshot([], [unscoped.id]);
        const response = await call(
          CREATE_CAMPAIGN as Handler,
          request(unscoped.secret, "/campaigns", c.body),
          {},
        );
        expectNoFault(response, c.what);
        const after = await snapshot([], [unscoped.id]);
        if (response.status === 201 || response.status === 202) {
          created += 1;
          const answer = (await response.json()) as { campaign: { id: string } };
          expect(after.campaignCount).toBe(before.campaignCount + 1);
          const events = await db.auditEvent.findMany({
            where: { entityId: answer.campaign.id, action: "campaign.create" },
          });
          expect(events).toHaveLength(1);
          expect(events[0]?.actorId).toBe(unscoped.id);
          return;
        }
        await expectErrorShape(response, CAMPAIGN_FIELDS);
        expect(after).toEqual(before);
      }),
      fuzzParams(
        30,
        [{ name: "a\u0000b" }, { prizeMessage: "\u0000" }, { merchantLink: "https://x.example/\u0000" }].map(
          (overrides): [{ body: string; what: unknown }] => [
            {
              body: JSON.stringify({
                ...fc.sample(validCampaignBody(), { numRuns: 1, seed: 1 })[0],
                rail: "CASH_CAMPAIGN",
                prizeType: "FIXED",
                packetCount: 10,
                budgetFen: 1_000,
                ...overrides,
              }),
              what: overrides,
            },
          ],
        ),
      ),
    );
    expect(created).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// POST /api/v1/red-packets/app-pay-orders, …/{packetId}/payment, …/{packetId}/claims

const ORDER_FIELDS = new Set([
  "outOrderNo",
  "payerUserId",
  "amountFen",
  "packetCount",
  "title",
  "greeting",
  "expiresInMinutes",
]);

function validOrderBody(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    outOrderNo: fc.nat().map((n) => {
      seq += 1;
      return `fzo_${Date.now().toString(36)}_${seq}_${n}`;
    }),
    payerUserId: fuzzUserId(USERS),
    amountFen: fc.integer({ min: 100, max: 20_000 }),
    packetCount: fc.integer({ min: 1, max: 10 }),
    title: fc.constantFrom("新年快乐", "Happy new year"),
    greeting: fc.constantFrom("恭喜发财", "Best wishes"),
    expiresInMinutes: fc.integer({ min: 60, max: 1440 }),
  });
}

/** The simulated Alipay app pays an order string, answering as the client SDK does. */
async function payOnPhone(orderString: string): Promise<string> {
  const response = await fetch(`${alipay.sim.url}/__sim/client/app-pay`, {
    method: "POST",
    body: orderString,
  });
  const paid = (await response.json()) as { resultStatus: string; result: string };
  expect(paid.resultStatus).toBe("9000");
  return paid.result;
}

describe("POST /api/v1/red-packets/…", () => {
  it("app-pay-orders: never faults; a 4xx creates nothing; a 201 creates the packet, its order and both events", async () => {
    let created = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 5, arbitrary: fc.tuple(validOrderBody(), mutationOf([...ORDER_FIELDS].map((f) => [f]))) },
          { weight: 1, arbitrary: fc.tuple(validOrderBody(), fc.constant<Mutation | null>(null)) },
        ),
        async ([valid, m]) => {
          const before = await snapshot([], [unscoped.id]);
          const body = m ? applyMutation(valid, m) : valid;
          const response = await call(
            APP_PAY_ORDER as Handler,
            request(unscoped.secret, "/red-packets/app-pay-orders", JSON.stringify(body)),
            {},
          );
          expectNoFault(response, body);
          const after = await snapshot([], [unscoped.id]);
          if (response.status === 201) {
            created += 1;
            const order = (await response.json()) as { id: string };
            expect(after.campaignCount).toBe(before.campaignCount + 1);
            const fundOrders = await db.fundOrder.findMany({ where: { campaignId: order.id } });
            expect(fundOrders).toHaveLength(1);
            const events = await db.auditEvent.findMany({
              where: { entityId: { in: [order.id, fundOrders[0]?.id ?? ""] } },
            });
            expect(events.map((e) => e.action).sort()).toEqual([
              "campaign.user_packet_create",
              "fund_order.create",
            ]);
            return;
          }
          await expectErrorShape(response, ORDER_FIELDS);
          expect(after).toEqual(before);
        },
      ),
      fuzzParams(
        30,
        [{ title: "a\u0000b" }, { greeting: "\u0000" }, { outOrderNo: "a\u0000" }].map((overrides) => [
          [{ ...fc.sample(validOrderBody(), { numRuns: 1, seed: 1 })[0], ...overrides }, null] as [
            Record<string, unknown>,
            Mutation | null,
          ],
        ]),
      ),
    );
    expect(created).toBeGreaterThan(0);
  });

  it("payment: a hostile result never faults, is refused on `result`, audited when it was read, and pays nothing", async () => {
    const order = (await (
      await call(
        APP_PAY_ORDER as Handler,
        request(
          unscoped.secret,
          "/red-packets/app-pay-orders",
          JSON.stringify(fc.sample(validOrderBody(), 1)[0]),
        ),
        {},
      )
    ).json()) as { id: string; orderString: string };
    const genuine = await payOnPhone(order.orderString);
    const results = fc.oneof(
      hostileString({ maxLength: 500 }),
      // The genuine result, damaged: cut short, one character changed, a field's value replaced.
      fc.integer({ min: 0, max: genuine.length - 1 }).map((n) => genuine.slice(0, n)),
      fc
        .tuple(fc.integer({ min: 0, max: genuine.length - 1 }), fc.constantFrom("A", "0", '"', "}", "\u0000"))
        .map(([i, c]) => `${genuine.slice(0, i)}${c}${genuine.slice(i + 1)}`),
      fc
        .constantFrom('"total_amount":"1.00"', '"out_order_no":"other"', '"app_id":"2021000000000001"')
        .map((swap) => {
          const [name] = swap.split(":");
          return genuine.replace(new RegExp(`${name}:"[^"]*"`), swap);
        }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          results.map((result) => ({ result })),
          hostileValue(),
        ),
        async (body) => {
          const before = await snapshot([order.id], [unscoped.id]);
          const response = await call(
            PAYMENT as Handler,
            request(unscoped.secret, `/red-packets/${order.id}/payment`, JSON.stringify(body)),
            { packetId: order.id },
          );
          expectNoFault(response, body);
          const after = await snapshot([order.id], [unscoped.id]);
          if (response.status === 200) {
            // Only the genuine result (a damaged copy can still be it, e.g. whitespace) pays, and only once.
            expect(after.fundOrders.map((o) => o.status)).toEqual(["PAID"]);
            return;
          }
          const error = await expectErrorShape(response, new Set(["result"]));
          expect(after.fundOrders).toEqual(before.fundOrders);
          expect(after.campaigns).toEqual(before.campaigns);
          expect(after.payouts).toBe(before.payouts);
          // A well-formed string that is not Alipay's signed payment of this order is audited for a person.
          const audited = error.error.message === translate("en", "userPackets.errors.resultInvalid");
          const refusals = await db.auditEvent.count({
            where: { entityId: before.fundOrders[0]?.id, action: "fund_order.app_pay_refused" },
          });
          expect(after.audit - before.audit).toBe(audited ? 1 : 0);
          if (audited) expect(refusals).toBeGreaterThan(0);
        },
      ),
      fuzzParams(40),
    );
  });

  it("claims: never faults; a 4xx changes nothing; a 201 is one payout with its event", async () => {
    const body = { ...fc.sample(validOrderBody(), 1)[0], amountFen: 100_000, packetCount: 100 };
    const created = await call(
      APP_PAY_ORDER as Handler,
      request(unscoped.secret, "/red-packets/app-pay-orders", JSON.stringify(body)),
      {},
    );
    expect(created.status).toBe(201);
    const order = (await created.json()) as { id: string; orderString: string };
    const paid = await call(
      PAYMENT as Handler,
      request(
        unscoped.secret,
        `/red-packets/${order.id}/payment`,
        JSON.stringify({ result: await payOnPhone(order.orderString) }),
      ),
      { packetId: order.id },
    );
    expect(paid.status).toBe(200);

    const claimFields = new Set([
      "outBizNo",
      "recipient",
      "recipient.type",
      "recipient.id",
      "amountFen",
      "packetId",
    ]);
    const validClaim = fc.record({
      outBizNo: fc.nat().map((n) => {
        seq += 1;
        return `fzc_${seq}_${n}`;
      }),
      recipient: fc.record({ type: fc.constant("USER_ID"), id: fuzzUserId(USERS + 200_000) }),
      amountFen: fc.integer({ min: 1, max: 500 }),
    });
    const claimPaths = [
      ["outBizNo"],
      ["recipient"],
      ["recipient", "type"],
      ["recipient", "id"],
      ["amountFen"],
    ];
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            {
              weight: 5,
              arbitrary: fc.tuple(validClaim, mutationOf(claimPaths)).map(([v, m]) => applyMutation(v, m)),
            },
            { weight: 1, arbitrary: validClaim },
            { weight: 1, arbitrary: anythingAsJson() },
          ),
          async (claim) => {
            const before = await snapshot([order.id], [unscoped.id]);
            const response = await call(
              CLAIM as Handler,
              request(unscoped.secret, `/red-packets/${order.id}/claims`, JSON.stringify(claim) ?? "null"),
              { packetId: order.id },
            );
            expectNoFault(response, claim);
            const after = await snapshot([order.id], [unscoped.id]);
            if (response.status === 201) {
              const payout = (await response.json()) as { id: string };
              expect(after.payouts).toBe(before.payouts + 1);
              const events = await db.auditEvent.findMany({ where: { entityId: payout.id } });
              expect(events.map((e) => e.action)).toContain("payout.request");
              return;
            }
            if (response.status === 200) {
              expect(after.payouts).toBe(before.payouts);
              return;
            }
            await expectErrorShape(response, claimFields);
            expect({ ...after, campaigns: after.campaigns.map(({ updatedAt: _u, ...c }) => c) }).toEqual({
              ...before,
              campaigns: before.campaigns.map(({ updatedAt: _u, ...c }) => c),
            });
          },
        ),
        fuzzParams(25),
      );
    } finally {
      // Pay what the claims left approved, so no later dispatcher (and simulator) meets it.
      const dispatcher = testDispatcher(client);
      dispatcher.start();
      try {
        await waitUntilNone(order.id, ["APPROVED", "SENDING", "UNKNOWN"]);
      } finally {
        await dispatcher.stop();
      }
    }
  });
});
