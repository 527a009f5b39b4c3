import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { systemActor, type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import {
  apiKeysListQuerySchema,
  createApiKeySchema,
  type CreateApiKeyFormValues,
} from "@/lib/validation/api-keys";
import { auditEventsFor, insertUser, TEST_META } from "../../test/support/factories";
import { hashApiKeySecret } from "./secret";
import { authenticateApiKey, createApiKey, listApiKeyPage, revokeApiKey } from "./service";

async function expectDomainError(promise: Promise<unknown>, code: DomainError["code"]): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  return error as DomainError;
}

/** Input as a form or the CLI sends it, parsed by the shared schema as the action does. */
function input(overrides: Partial<CreateApiKeyFormValues> = {}) {
  return createApiKeySchema.parse({
    name: `key-${crypto.randomUUID().slice(0, 8)}`,
    permissions: ["payout:request", "payout:read"],
    campaignIds: null,
    ratePerMinute: 600,
    ...overrides,
  });
}

async function insertCampaign(createdById: string) {
  return db.campaign.create({
    data: {
      name: `api-key scope ${crypto.randomUUID().slice(0, 8)}`,
      prizeMessage: "Thanks",
      prizeType: "FIXED",
      rail: "TRANSFER",
      status: "ACTIVE",
      budgetFen: 10_000,
      packetCount: 0,
      maxPacketFen: 100,
      endsAt: new Date(Date.now() + 24 * 60 * 60 * 1000),
      defaultScene: "MANUAL",
      createdById,
    },
  });
}

const OTHER_META = { ip: "198.51.100.20", userAgent: "backend/1.0" };

describe("creating API keys", () => {
  it("returns an hbk_live_ secret once and stores only its SHA-256", async () => {
    const { actor } = await insertUser("admin");
    const { key, secret } = await createApiKey(actor, input({ name: "Points mall" }));

    expect(secret).toMatch(/^hbk_live_[A-Za-z0-9_-]{43}$/);
    expect(key.prefix).toBe(secret.slice(0, "hbk_live_".length + 8));
    expect(key).not.toHaveProperty("secretHash");
    expect(JSON.stringify(key)).not.toContain(secret);

    const stored = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(stored.secretHash).toBe(hashApiKeySecret(secret));
    expect(stored.secretHash).toMatch(/^[0-9a-f]{64}$/);
    // No column holds the secret: every value of the row, as text, is searched for it.
    for (const [column, value] of Object.entries(stored)) {
      expect(JSON.stringify(value) ?? "", column).not.toContain(secret);
    }
    expect(stored).toMatchObject({
      name: "Points mall",
      permissions: ["payout:request", "payout:read"],
      allCampaigns: true,
      campaignIds: [],
      ratePerMinute: 600,
      createdById: actor.userId,
      createdByLabel: actor.email,
      revokedAt: null,
      lastUsedAt: null,
    });
  });

  it("gives every key a different secret", async () => {
    const { actor } = await insertUser("admin");
    const a = await createApiKey(actor, input());
    const b = await createApiKey(actor, input());
    expect(a.secret).not.toBe(b.secret);
    expect(a.key.prefix).not.toBe(b.key.prefix);
  });

  it("refuses a campaign that does not exist on campaignIds, and writes nothing", async () => {
    const { actor } = await insertUser("admin");
    const campaign = await insertCampaign(actor.userId);
    const name = `unknown-campaign-${crypto.randomUUID().slice(0, 8)}`;
    const before = await db.auditEvent.count();
    const error = await expectDomainError(
      createApiKey(actor, input({ name, campaignIds: [campaign.id, "no-such-campaign"] })),
      "VALIDATION",
    );
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["campaignIds"]);
    expect(error.fieldErrors?.campaignIds?.[0]?.key).toBe("apiKeys.validation.campaignUnknown");
    expect(await db.apiKey.count({ where: { name } })).toBe(0);
    expect(await db.auditEvent.count()).toBe(before);
  });

  it.each(["marketer", "approver", "viewer"] as const)("refuses a %s (FORBIDDEN)", async (role) => {
    const { actor } = await insertUser(role);
    const { actor: admin } = await insertUser("admin");
    const { key } = await createApiKey(admin, input());
    await expectDomainError(createApiKey(actor, input()), "FORBIDDEN");
    await expectDomainError(revokeApiKey(actor, key.id), "FORBIDDEN");
    await expectDomainError(listApiKeyPage(actor, apiKeysListQuerySchema.parse({})), "FORBIDDEN");
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).toBeNull();
  });

  it("refuses an API key acting for itself (keys never hold apikey:manage)", async () => {
    const { actor: admin } = await insertUser("admin");
    const { secret } = await createApiKey(admin, input({ permissions: ["campaign:read"] }));
    const keyActor: Actor = await authenticateApiKey(secret, OTHER_META);
    await expectDomainError(createApiKey(keyActor, input()), "FORBIDDEN");
  });

  it("writes the key's scope to the audit log, never its secret or hash", async () => {
    const { actor } = await insertUser("admin");
    const campaign = await insertCampaign(actor.userId);
    const { key, secret } = await createApiKey(
      actor,
      input({ campaignIds: [campaign.id], permissions: ["campaign:read"], ratePerMinute: 30 }),
    );
    expect(key.campaigns).toEqual([{ id: campaign.id, name: campaign.name }]);
    await revokeApiKey(actor, key.id);

    const events = await auditEventsFor(key.id);
    expect(events.map((e) => e.action)).toEqual(["api_key.create", "api_key.revoke"]);
    expect(events[0]).toMatchObject({
      entityType: "ApiKey",
      actorType: "USER",
      actorId: actor.userId,
      actorLabel: actor.email,
      ip: TEST_META.ip,
      before: null,
      after: {
        name: key.name,
        prefix: key.prefix,
        permissions: ["campaign:read"],
        campaignIds: [campaign.id],
        ratePerMinute: 30,
        revoked: false,
      },
    });
    expect(events[1]).toMatchObject({ before: { revoked: false }, after: { revoked: true } });
    const hash = hashApiKeySecret(secret);
    for (const event of events) {
      const text = JSON.stringify(event);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(hash);
      expect(text).not.toContain(secret.slice("hbk_live_".length + 8)); // nor the part the prefix leaves out
    }
  });

  it("records a key made by the CLI's system actor under its label", async () => {
    const { key } = await createApiKey(systemActor("cli"), input());
    const stored = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(stored.createdById).toBeNull();
    expect(stored.createdByLabel).toBe("cli");
    expect((await auditEventsFor(key.id))[0]).toMatchObject({
      actorType: "SYSTEM",
      action: "api_key.create",
    });
  });
});

describe("authenticating with an API key", () => {
  it("accepts the secret and acts with exactly the key's permissions and campaigns", async () => {
    const { actor } = await insertUser("admin");
    const campaign = await insertCampaign(actor.userId);
    const { key, secret } = await createApiKey(
      actor,
      input({ permissions: ["payout:request", "campaign:read"], campaignIds: [campaign.id] }),
    );
    const keyActor = await authenticateApiKey(secret, OTHER_META);
    expect(keyActor).toMatchObject({
      type: "API_KEY",
      keyId: key.id,
      label: `api:${key.name} (${key.prefix}…)`,
      permissions: ["payout:request", "campaign:read"],
      campaignIds: [campaign.id],
      ...OTHER_META,
    });

    const all = await createApiKey(actor, input());
    expect((await authenticateApiKey(all.secret, OTHER_META)).campaignIds).toBeNull();
  });

  it("refuses an unknown secret and a near miss (UNAUTHENTICATED)", async () => {
    const { actor } = await insertUser("admin");
    const { secret } = await createApiKey(actor, input());
    const unknown = await expectDomainError(
      authenticateApiKey(`hbk_live_${crypto.randomBytes(32).toString("base64url")}`, OTHER_META),
      "UNAUTHENTICATED",
    );
    expect(unknown.ref.key).toBe("api.errors.unknownKey");
    const last = secret.at(-1) === "A" ? "B" : "A";
    await expectDomainError(
      authenticateApiKey(`${secret.slice(0, -1)}${last}`, OTHER_META),
      "UNAUTHENTICATED",
    );
    await expectDomainError(authenticateApiKey("", OTHER_META), "UNAUTHENTICATED");
  });

  it("refuses a revoked key; revoking it again is a conflict", async () => {
    const { actor } = await insertUser("admin");
    const { key, secret } = await createApiKey(actor, input());
    await authenticateApiKey(secret, OTHER_META);

    const revoked = await revokeApiKey(actor, key.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect(revoked.revokedByLabel).toBe(actor.email);
    const refused = await expectDomainError(authenticateApiKey(secret, OTHER_META), "UNAUTHENTICATED");
    expect(refused.ref.key).toBe("api.errors.revokedKey");

    const again = await expectDomainError(revokeApiKey(actor, key.id), "CONFLICT");
    expect(again.ref.key).toBe("apiKeys.errors.alreadyRevoked");
    expect((await auditEventsFor(key.id)).filter((e) => e.action === "api_key.revoke")).toHaveLength(1);
    await expectDomainError(revokeApiKey(actor, "no-such-key"), "NOT_FOUND");
  });

  it("notes when and from where the key was last used, at most once a minute", async () => {
    const { actor } = await insertUser("admin");
    const { key, secret } = await createApiKey(actor, input());
    const read = () => db.apiKey.findUniqueOrThrow({ where: { id: key.id } });

    const before = Date.now();
    await authenticateApiKey(secret, OTHER_META);
    const first = await read();
    expect(first.lastUsedIp).toBe(OTHER_META.ip);
    expect(first.lastUsedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);

    // Within the minute, from the same address: nothing is written.
    await authenticateApiKey(secret, OTHER_META);
    expect((await read()).lastUsedAt).toEqual(first.lastUsedAt);

    // A minute later (moved back in time here) the next request writes again, with its address.
    await db.apiKey.update({
      where: { id: key.id },
      data: { lastUsedAt: new Date(Date.now() - 2 * 60_000) },
    });
    await authenticateApiKey(secret, { ip: "192.0.2.44", userAgent: null });
    const later = await read();
    expect(later.lastUsedIp).toBe("192.0.2.44");
    expect(later.lastUsedAt?.getTime()).toBeGreaterThanOrEqual(before);

    const [row] = (await listApiKeyPage(actor, apiKeysListQuerySchema.parse({ q: key.name }))).rows;
    expect(row).toMatchObject({
      id: key.id,
      lastUsedIp: "192.0.2.44",
      lastUsedAt: later.lastUsedAt?.toISOString(),
    });
  });
});

describe("the settings table", () => {
  it("searches by name or prefix, filters by status and never returns a secret or hash", async () => {
    const { actor } = await insertUser("admin");
    const tag = `table-${crypto.randomUUID().slice(0, 8)}`;
    const campaign = await insertCampaign(actor.userId);
    const active = await createApiKey(actor, input({ name: `${tag} active`, campaignIds: [campaign.id] }));
    const revoked = await createApiKey(actor, input({ name: `${tag} revoked` }));
    await revokeApiKey(actor, revoked.key.id);
    const page = (query: Record<string, string>) =>
      listApiKeyPage(actor, apiKeysListQuerySchema.parse(query));

    const both = await page({ q: tag.toUpperCase(), sort: "name.asc" });
    expect(both.total).toBe(2);
    expect(both.rows.map((r) => r.name)).toEqual([`${tag} active`, `${tag} revoked`]);
    expect(both.rows[0]?.campaigns).toEqual([{ id: campaign.id, name: campaign.name }]);
    expect(both.rows[1]?.campaigns).toBeNull();
    expect(JSON.stringify(both)).not.toContain(active.secret);
    expect(JSON.stringify(both)).not.toContain(hashApiKeySecret(active.secret));

    expect((await page({ q: tag, status: "active" })).rows.map((r) => r.id)).toEqual([active.key.id]);
    expect((await page({ q: tag, status: "revoked" })).rows.map((r) => r.id)).toEqual([revoked.key.id]);
    expect((await page({ q: active.key.prefix })).rows.map((r) => r.id)).toEqual([active.key.id]);
  });
});
