/**
 * Property-based tests of the form schemas the browser and the server share (lib/validation: campaign, send
 * red packet, user, API key, webhook): random input never throws (safeParse), every error names a field the form
 * has and reads in every language, and valid values built from the documented limits are accepted. Then the
 * services behind the create actions, given whatever those schemas let through (valid values with one field made
 * hostile), against the real database: a refusal is a DomainError that wrote nothing, an acceptance wrote its row
 * and its audit event — never a raw database error.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { z } from "zod";
import type { AlipayClient } from "@/lib/alipay/client";
import { createApiKey } from "@/lib/api-keys/service";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/auth/password-rules";
import { ROLES } from "@/lib/auth/permissions";
import { CAMPAIGN_LIMITS } from "@/lib/campaigns/limits";
import { createCampaign } from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import { SCENES } from "@/lib/enums";
import { DomainError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format/date";
import { fenToYuanInput } from "@/lib/format/money";
import { LOCALES } from "@/lib/i18n/locales";
import { isMessageKey, translate } from "@/lib/i18n/messages";
import { createUser } from "@/lib/users/service";
import { API_KEY_PERMISSIONS, API_KEY_RATE_MAX, createApiKeySchema } from "@/lib/validation/api-keys";
import { campaignFormSchema } from "@/lib/validation/campaigns";
import { fieldErrorsFromZod } from "@/lib/validation/errors";
import { payoutRequestSchema } from "@/lib/validation/payouts";
import { createUserSchema } from "@/lib/validation/users";
import { createWebhookEndpointSchema } from "@/lib/validation/webhooks";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import { createWebhookEndpoint } from "@/lib/webhooks/service";
import {
  anythingAsJson,
  applyMutation,
  fuzzParams,
  fuzzTimeout,
  hostileValue,
  mutationOf,
} from "../support/arbitraries";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";

// Per property, scaled with FUZZ_RUNS: well above what one takes on a loaded machine (see fuzzTimeout).
vi.setConfig({ testTimeout: fuzzTimeout(180_000) });

const DAY = 24 * 60 * 60 * 1000;
const TIME_ZONE = "Asia/Shanghai";

type Form = {
  name: string;
  schema: z.ZodType;
  fields: readonly string[];
  valid: fc.Arbitrary<Record<string, unknown>>;
};

// ---------------------------------------------------------------------------------------------------------------
// Valid values, from the documented limits.

const text = (min: number, max: number) =>
  fc.string({ minLength: min, maxLength: max }).filter((s) => s.trim().length >= min && s.trim() === s);

/** A wall-clock time in the form's zone, `days` from now, as <input type="datetime-local"> gives it. */
const inDays = (days: number) =>
  formatDateTime(new Date(Date.now() + days * DAY), TIME_ZONE).replace(" ", "T");

/** A yuan amount as a person types it: plain, with ¥, with thousands separators, or with spaces around. */
function typed(fen: number): fc.Arbitrary<string> {
  const plain = fenToYuanInput(fen);
  const [whole = "", decimals] = plain.split(".");
  const grouped = `${whole.replace(/\B(?=(\d{3})+$)/g, ",")}${decimals === undefined ? "" : `.${decimals}`}`;
  return fc.constantFrom(plain, `¥${plain}`, ` ${plain} `, grouped, `¥${grouped}`);
}

const campaignCommon = {
  name: text(1, CAMPAIGN_LIMITS.nameMax),
  prizeMessage: text(1, CAMPAIGN_LIMITS.messageMax),
  startMode: fc.constant("now"),
  endAt: fc.integer({ min: 2, max: 150 }).map(inDays),
  frequencyLifetime: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }).map(String)),
  frequencyPeriod: fc.constant(""),
  defaultScene: fc.constantFrom(...SCENES),
  autoApproveMax: fc.constant(""),
  autoApproveDailyCap: fc.constant(""),
};

const validCampaign: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc
    .record({
      packet: fc.integer({ min: CAMPAIGN_LIMITS.packetMinFen, max: CAMPAIGN_LIMITS.packetMaxFen }),
      count: fc.integer({ min: 1, max: 1_000 }),
    })
    .filter(({ packet, count }) => packet * count >= CAMPAIGN_LIMITS.totalMinFen)
    .chain(({ packet, count }) =>
      fc.record({
        ...campaignCommon,
        rail: fc.constant("CASH_CAMPAIGN"),
        prizeType: fc.constant("FIXED"),
        total: typed(packet * count),
        packetCount: fc.constantFrom(count, String(count)),
        merchantLink: fc.constantFrom("", "https://shop.example/return?x=1"),
      }),
    ),
  fc
    .record({
      max: fc.integer({ min: 1, max: 40_000 }),
      budget: fc.integer({ min: 40_000, max: 10_000_000 }),
    })
    .chain(({ max, budget }) =>
      fc.record({
        ...campaignCommon,
        rail: fc.constant("TRANSFER"),
        total: typed(budget),
        maxPacket: typed(max),
        dailyAmountPerUser: fc.constantFrom("", fenToYuanInput(max)),
      }),
    ),
  fc.integer({ min: 1, max: 40_000 }).chain((max) =>
    fc.record({
      ...campaignCommon,
      rail: fc.constant("FUND_COUPON"),
      maxPacket: typed(max),
      dailyAmountPerUser: fc.constant(""),
    }),
  ),
);

const FORMS: Form[] = [
  {
    name: "campaign",
    schema: campaignFormSchema({ timeZone: TIME_ZONE }),
    fields: [
      "rail",
      "name",
      "prizeMessage",
      "startMode",
      "startAt",
      "endAt",
      "frequencyLifetime",
      "frequencyPeriod",
      "frequencyPeriodLimit",
      "defaultScene",
      "autoApproveMax",
      "autoApproveDailyCap",
      "prizeType",
      "total",
      "packetCount",
      "merchantLink",
      "maxPacket",
      "dailyAmountPerUser",
    ],
    valid: validCampaign,
  },
  {
    name: "send red packet",
    schema: payoutRequestSchema,
    fields: ["campaignId", "identityType", "identity", "scene", "memo", "outBizNo", "amount", "payeeName"],
    valid: fc.record({
      campaignId: fc.constant("cmp_1"),
      identityType: fc.constant("USER_ID"),
      identity: fc.integer({ min: 0, max: 999_999_999_999 }).map((n) => `2088${String(n).padStart(12, "0")}`),
      scene: fc.constantFrom(...SCENES),
      memo: text(0, 200),
      outBizNo: fc.stringMatching(/^[A-Za-z0-9_]{1,64}$/),
      amount: fc.oneof(fc.constant(""), fc.integer({ min: 1, max: 1_000_000 }).chain(typed)),
      payeeName: text(0, 50),
    }),
  },
  {
    name: "user",
    schema: createUserSchema,
    fields: ["email", "name", "role", "password"],
    valid: fc.record({
      email: fc
        .tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.stringMatching(/^[a-z]{1,20}$/))
        .map(([local, domain]) => `${local}@${domain}.example`),
      name: text(1, 100),
      role: fc.constantFrom(...ROLES),
      password: fc.string({
        minLength: PASSWORD_MIN_LENGTH,
        maxLength: PASSWORD_MAX_LENGTH,
        unit: "grapheme-ascii",
      }),
    }),
  },
  {
    name: "API key",
    schema: createApiKeySchema,
    fields: ["name", "permissions", "campaignIds", "ratePerMinute"],
    valid: fc.record({
      name: text(1, 100),
      permissions: fc.subarray([...API_KEY_PERMISSIONS], { minLength: 1 }),
      campaignIds: fc.oneof(
        fc.constant(null),
        fc.array(fc.stringMatching(/^c[a-z0-9]{1,40}$/), { minLength: 1, maxLength: 5 }),
      ),
      ratePerMinute: fc.oneof(
        fc.integer({ min: 1, max: API_KEY_RATE_MAX }),
        fc.integer({ min: 1, max: API_KEY_RATE_MAX }).map(String),
      ),
    }),
  },
  {
    name: "webhook",
    schema: createWebhookEndpointSchema,
    fields: ["url", "description", "events"],
    valid: fc.record({
      url: fc
        .webUrl({ validSchemes: ["http", "https"], withQueryParameters: true })
        .filter((u) => u.length <= 2000),
      description: text(0, 200),
      events: fc.subarray([...WEBHOOK_EVENT_TYPES], { minLength: 1 }),
    }),
  },
];

// ---------------------------------------------------------------------------------------------------------------

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** safeParse never throws; a refusal names fields of the form, each with a message every language can show. */
function expectWellRefused(form: Form, input: unknown): z.ZodSafeParseResult<unknown> {
  const parsed = form.schema.safeParse(input);
  if (parsed.success) return parsed;
  expect(parsed.error.issues.length).toBeGreaterThan(0);
  const fieldErrors = fieldErrorsFromZod(parsed.error);
  for (const [field, refs] of Object.entries(fieldErrors)) {
    const top = field.split(".")[0] ?? "";
    // Only input that is not an object at all is refused as a whole ("_form").
    if (top === "_form") expect(isPlainObject(input), `${form.name}: ${JSON.stringify(input)}`).toBe(false);
    else expect(form.fields, `${form.name}: ${field}`).toContain(top);
    for (const ref of refs) {
      expect(isMessageKey(ref.key), ref.key).toBe(true);
      for (const locale of LOCALES) expect(translate(locale, ref.key, ref.params)).not.toMatch(/\{\w+\}/);
    }
  }
  return parsed;
}

/** Objects with the form's own field names holding anything, as a tampered FormData or fetch would send. */
function hostileObject(form: Form): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(fc.constantFrom(...form.fields, "rail", "extra"), hostileValue(), {
    maxKeys: form.fields.length,
  });
}

describe.each(FORMS)("the $name form's schema", (form) => {
  it("never throws on random input and names only its own fields", () => {
    fc.assert(
      fc.property(fc.oneof(anythingAsJson(), fc.jsonValue(), hostileObject(form)), (input) => {
        expectWellRefused(form, input);
      }),
      fuzzParams(200),
    );
  });

  it("accepts every valid value built from the documented limits", () => {
    fc.assert(
      fc.property(form.valid, (input) => {
        const parsed = form.schema.safeParse(input);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      }),
      fuzzParams(150),
    );
  });

  it("refuses a valid value with one hostile field by naming that form's fields only", () => {
    fc.assert(
      fc.property(form.valid, mutationOf(form.fields.map((f) => [f])), (valid, m) => {
        expectWellRefused(form, applyMutation(valid, m));
      }),
      fuzzParams(200),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The services behind the create actions, with whatever the schemas let through.

let alipay: TestAlipay;
let client: AlipayClient;
let admin: Awaited<ReturnType<typeof insertUser>>;
let marketer: Awaited<ReturnType<typeof insertUser>>;

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 3000 });
  [admin, marketer] = await Promise.all([insertUser("admin"), insertUser("marketer")]);
});
afterAll(() => alipay.sim.stop());

function formNamed(name: string): Form {
  const form = FORMS.find((f) => f.name === name);
  if (!form) throw new Error(name);
  return form;
}

/**
 * Runs the service on what the schema made of the input (skipped when the schema refused it): a DomainError must
 * leave `count` unchanged, a result must have added exactly one row and one audit event `action` by `actorId`.
 */
async function serviceProperty(
  form: Form,
  runs: number,
  run: (input: never) => Promise<{ id: string }>,
  count: () => Promise<number>,
  action: string,
  actorId: string,
  examples: [
    Record<string, unknown>,
    ReturnType<typeof mutationOf> extends fc.Arbitrary<infer M> ? M : never,
  ][] = [],
) {
  let served = 0;
  await fc.assert(
    fc.asyncProperty(form.valid, mutationOf(form.fields.map((f) => [f])), async (valid, m) => {
      const parsed = form.schema.safeParse(applyMutation(valid, m));
      if (!parsed.success) return;
      served += 1;
      const [rows, events] = await Promise.all([count(), db.auditEvent.count({ where: { actorId } })]);
      let created: { id: string } | null = null;
      try {
        created = await run(parsed.data as never);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
      }
      const [rowsAfter, eventsAfter] = await Promise.all([
        count(),
        db.auditEvent.count({ where: { actorId } }),
      ]);
      if (created === null) {
        expect({ rowsAfter, eventsAfter }).toEqual({ rowsAfter: rows, eventsAfter: events });
        return;
      }
      expect(rowsAfter).toBe(rows + 1);
      const audited = await db.auditEvent.findMany({ where: { entityId: created.id, action } });
      expect(audited).toHaveLength(1);
      expect(eventsAfter).toBeGreaterThanOrEqual(events + 1);
    }),
    fuzzParams(runs, examples),
  );
  // Not vacuous: some generated values got past the schema and reached the service.
  expect(served).toBeGreaterThan(examples.length);
}

describe("the services behind the create actions", () => {
  it("createUser: a hostile value the schema lets through is created and audited, or refused writing nothing", async () => {
    await serviceProperty(
      formNamed("user"),
      40,
      (input) => createUser(admin.actor, input),
      () => db.user.count(),
      "user.create",
      admin.user.id,
      [
        [
          { email: "nul@fuzz.example", name: "a\u0000b", role: "viewer", password: "long-enough-password" },
          { kind: "extra", key: "x", value: 1 },
        ],
        [
          {
            email: "surrogate@fuzz.example",
            name: "a\uD800b",
            role: "viewer",
            password: "long-enough-password",
          },
          { kind: "extra", key: "x", value: 1 },
        ],
      ],
    );
  });

  it("createApiKey: unknown or hostile campaign ids are a refusal naming campaignIds, writing nothing", async () => {
    await serviceProperty(
      formNamed("API key"),
      40,
      (input) => createApiKey(admin.actor, input).then((created) => created.key),
      () => db.apiKey.count(),
      "api_key.create",
      admin.user.id,
      [
        [
          { name: "nul", permissions: ["payout:read"], campaignIds: ["c\u0000"], ratePerMinute: 10 },
          { kind: "extra", key: "x", value: 1 },
        ],
        [
          { name: "a\u0000b", permissions: ["payout:read"], campaignIds: null, ratePerMinute: 10 },
          { kind: "extra", key: "x", value: 1 },
        ],
      ],
    );
    // The refusal of ids that exist nowhere names the field.
    const refused = await createApiKey(admin.actor, {
      name: "fuzz",
      permissions: ["payout:read"],
      campaignIds: ["c_does_not_exist"],
      ratePerMinute: 10,
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(DomainError);
    expect(Object.keys((refused as DomainError).fieldErrors ?? {})).toEqual(["campaignIds"]);
  });

  it("createWebhookEndpoint: whatever the schema lets through is created and audited, or refused writing nothing", async () => {
    await serviceProperty(
      formNamed("webhook"),
      40,
      (input) => createWebhookEndpoint(admin.actor, input).then((created) => created.endpoint),
      () => db.webhookEndpoint.count(),
      "webhook.create",
      admin.user.id,
      [
        [
          { url: "https://hooks.example/x", description: "a\u0000b", events: ["payout.failed"] },
          { kind: "extra", key: "x", value: 1 },
        ],
      ],
    );
  });

  it("createCampaign: whatever the schema lets through is created at Alipay and audited, or refused writing nothing", async () => {
    await serviceProperty(
      formNamed("campaign"),
      25,
      (input) => createCampaign(client, marketer.actor, input),
      () => db.campaign.count(),
      "campaign.create",
      marketer.user.id,
      [
        [
          {
            name: "a\u0000b",
            prizeMessage: "Thanks",
            startMode: "now",
            endAt: inDays(10),
            frequencyLifetime: 1,
            frequencyPeriod: "",
            defaultScene: "POINTS_REDEMPTION",
            autoApproveMax: "",
            autoApproveDailyCap: "",
            rail: "FUND_COUPON",
            maxPacket: "5.00",
            dailyAmountPerUser: "",
          },
          { kind: "extra", key: "x", value: 1 },
        ],
      ],
    );
  });
});
