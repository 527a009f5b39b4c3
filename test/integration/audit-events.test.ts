import { describe, expect, it } from "vitest";
import { attemptLogin } from "@/lib/auth/login";
import { listAuditEvents, recordRefusal } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { setUserLocale } from "@/lib/users/service";
import { auditListQuerySchema } from "@/lib/validation/audit";
import { insertUser, TEST_PASSWORD, uniqueEmail } from "../support/factories";

const schema = auditListQuerySchema("Asia/Shanghai");

let ipCounter = 0;
/** A fresh IP per attempt series, so the per-IP throttle of one test does not reach another. */
function freshMeta() {
  ipCounter += 1;
  return { ip: `192.0.2.${ipCounter}`, userAgent: `audit-events-test/${ipCounter}` };
}

describe("failed sign-ins in the audit log", () => {
  it("records each failure with the email tried, the IP and user agent, and never the password", async () => {
    const { user } = await insertUser("marketer");
    const { user: disabled } = await insertUser("viewer", { disabled: true });
    const unknown = uniqueEmail("nobody");
    const meta = freshMeta();
    const password = "a-secret-guess-1234";

    await attemptLogin({ email: user.email, password, meta });
    await attemptLogin({ email: unknown.toUpperCase(), password, meta });
    await attemptLogin({ email: disabled.email, password: TEST_PASSWORD, meta });

    const events = await db.auditEvent.findMany({
      where: { action: "auth.sign_in_failed", ip: meta.ip },
      orderBy: { createdAt: "asc" },
    });
    expect(
      events.map((e) => ({
        actorType: e.actorType,
        actorLabel: e.actorLabel,
        actorId: e.actorId,
        entityType: e.entityType,
        entityId: e.entityId,
        after: e.after,
        userAgent: e.userAgent,
      })),
    ).toEqual([
      {
        actorType: "ANONYMOUS",
        actorLabel: user.email,
        actorId: null,
        entityType: "User",
        entityId: user.id,
        after: { email: user.email, reason: "wrong_password" },
        userAgent: meta.userAgent,
      },
      {
        actorType: "ANONYMOUS",
        actorLabel: unknown,
        actorId: null,
        entityType: "User",
        entityId: null,
        after: { email: unknown, reason: "unknown_account" },
        userAgent: meta.userAgent,
      },
      {
        actorType: "ANONYMOUS",
        actorLabel: disabled.email,
        actorId: null,
        entityType: "User",
        entityId: disabled.id,
        after: { email: disabled.email, reason: "disabled" },
        userAgent: meta.userAgent,
      },
    ]);
    for (const event of events) {
      expect(JSON.stringify(event)).not.toContain(password);
      expect(JSON.stringify(event)).not.toContain(TEST_PASSWORD);
    }
  });

  it("are filterable on the audit page by action and by the email tried, named by the account's email", async () => {
    const { user } = await insertUser("approver");
    const { actor: viewer } = await insertUser("viewer");
    await attemptLogin({ email: user.email, password: "wrong-password", meta: freshMeta() });

    const page = await listAuditEvents(
      viewer,
      schema.parse({ action: "auth.sign_in_failed", q: user.email }),
    );
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({
      actorType: "ANONYMOUS",
      actorLabel: user.email,
      entityId: user.id,
      entity: { name: user.email, href: null },
    });
  });

  it("are told apart from successful sign-ins by the action filter, which also takes a family of actions", async () => {
    const { user } = await insertUser("viewer");
    const { actor: admin } = await insertUser("admin");
    await attemptLogin({ email: user.email, password: "wrong-password", meta: freshMeta() });
    await attemptLogin({ email: user.email, password: TEST_PASSWORD, meta: freshMeta() });
    const actions = async (action: string) =>
      (await listAuditEvents(admin, schema.parse({ action, q: user.email }))).rows
        .map((r) => r.action)
        .sort();

    expect(await actions("auth.sign_in")).toEqual(["auth.sign_in"]);
    expect(await actions("auth.sign_in_failed")).toEqual(["auth.sign_in_failed"]);
    expect(await actions("auth.")).toEqual(["auth.sign_in", "auth.sign_in_failed"]);
  });

  it("records the failure that locks an account, the lockout, and the attempts refused while locked", async () => {
    const { user } = await insertUser("marketer");
    const now = new Date();
    for (let i = 0; i < 5; i++) {
      await attemptLogin({ email: user.email, password: "wrong", meta: freshMeta(), now });
    }
    const refused = await attemptLogin({
      email: user.email,
      password: TEST_PASSWORD,
      meta: freshMeta(),
      now,
    });
    expect(refused.kind).toBe("locked");

    const failures = await db.auditEvent.findMany({
      where: { action: "auth.sign_in_failed", actorLabel: user.email },
      select: { after: true },
    });
    expect(failures.map((f) => (f.after as { reason: string }).reason).sort()).toEqual([
      "locked",
      "wrong_password",
      "wrong_password",
      "wrong_password",
      "wrong_password",
      "wrong_password",
    ]);
    expect(await db.auditEvent.count({ where: { action: "auth.lockout", entityId: user.id } })).toBe(1);
  });

  it("leaves a successful sign-in as the only event of a correct attempt", async () => {
    const { user } = await insertUser("viewer");
    expect((await attemptLogin({ email: user.email, password: TEST_PASSWORD, meta: freshMeta() })).kind).toBe(
      "ok",
    );
    const actions = await db.auditEvent.findMany({
      where: { OR: [{ entityId: user.id }, { actorLabel: user.email }] },
      select: { action: true },
    });
    expect(actions.map((a) => a.action)).toEqual(["auth.sign_in"]);
  });
});

describe("refused page visits in the audit log", () => {
  it("are recorded with the user, the page's path, IP and user agent, and filterable as Page refusals", async () => {
    const { user, actor } = await insertUser("marketer");
    const { actor: admin } = await insertUser("admin");
    await recordRefusal(actor, { entityType: "Page", entityId: "/audit" });

    const page = await listAuditEvents(
      admin,
      schema.parse({ action: "authz.denied", entityType: "Page", actor: user.email }),
    );
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({
      actorType: "USER",
      actorLabel: user.email,
      entityType: "Page",
      entityId: "/audit",
      entity: { name: "/audit", href: null },
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
  });
});

describe("language switches", () => {
  it("save the language on the account and write no audit event", async () => {
    const { user, actor } = await insertUser("viewer");
    const before = await db.auditEvent.count();
    await setUserLocale(actor, "en");
    await setUserLocale(actor, "en");
    await setUserLocale(actor, "zh-CN");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).locale).toBe("zh-CN");
    await setUserLocale(actor, "en");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).locale).toBe("en");
    expect(await db.auditEvent.count({ where: { entityId: user.id } })).toBe(0);
    expect(await db.auditEvent.count()).toBe(before);
  });
});
