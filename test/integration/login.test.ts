import { describe, expect, it } from "vitest";
import { attemptLogin } from "@/lib/auth/login";
import { db } from "@/lib/db";
import { insertUser, TEST_PASSWORD, uniqueEmail } from "../support/factories";

function metaFor(ip: string) {
  return { ip, userAgent: "vitest" };
}

let ipCounter = 0;
/** A fresh IP per test, so per-IP counting in one test does not leak into another. */
function freshIp(): string {
  ipCounter += 1;
  return `198.51.100.${ipCounter}`;
}

describe("attemptLogin", () => {
  it("signs in with the right password, recording the attempt and an audit event", async () => {
    const { user } = await insertUser("marketer");
    const result = await attemptLogin({
      email: user.email.toUpperCase(),
      password: TEST_PASSWORD,
      meta: metaFor(freshIp()),
    });
    expect(result).toMatchObject({ kind: "ok", user: { id: user.id, role: "marketer" } });
    expect(await db.loginAttempt.count({ where: { email: user.email, outcome: "SUCCESS" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { entityId: user.id, action: "auth.sign_in" } })).toBe(1);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).not.toBeNull();
  });

  it("refuses a wrong password, an unknown email and a disabled account alike", async () => {
    const { user } = await insertUser("viewer");
    const { user: disabled } = await insertUser("viewer", { disabled: true });
    const ip = freshIp();
    expect(await attemptLogin({ email: user.email, password: "wrong", meta: metaFor(ip) })).toEqual({
      kind: "invalid",
    });
    expect(await attemptLogin({ email: uniqueEmail("nobody"), password: "x", meta: metaFor(ip) })).toEqual({
      kind: "invalid",
    });
    expect(await attemptLogin({ email: disabled.email, password: TEST_PASSWORD, meta: metaFor(ip) })).toEqual(
      {
        kind: "invalid",
      },
    );
  });

  it("locks an account for 15 minutes after 5 failures, even for the right password", async () => {
    const { user } = await insertUser("approver");
    const start = new Date();
    for (let i = 0; i < 4; i++) {
      const r = await attemptLogin({
        email: user.email,
        password: "wrong",
        meta: metaFor(freshIp()),
        now: start,
      });
      expect(r.kind).toBe("invalid");
    }
    const fifth = await attemptLogin({
      email: user.email,
      password: "wrong",
      meta: metaFor(freshIp()),
      now: start,
    });
    expect(fifth.kind).toBe("locked");

    const refused = await attemptLogin({
      email: user.email,
      password: TEST_PASSWORD,
      meta: metaFor(freshIp()),
      now: start,
    });
    expect(refused).toEqual({ kind: "locked", until: new Date(start.getTime() + 15 * 60_000) });
    expect(await db.loginAttempt.count({ where: { email: user.email, outcome: "LOCKED" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { entityId: user.id, action: "auth.lockout" } })).toBe(1);

    const later = new Date(start.getTime() + 15 * 60_000 + 1000);
    const after = await attemptLogin({
      email: user.email,
      password: TEST_PASSWORD,
      meta: metaFor(freshIp()),
      now: later,
    });
    expect(after.kind).toBe("ok");
  });

  it("locks an IP after 20 failures across accounts", async () => {
    const ip = freshIp();
    const now = new Date();
    for (let i = 0; i < 20; i++) {
      await attemptLogin({ email: uniqueEmail("spray"), password: "guess", meta: metaFor(ip), now });
    }
    const { user } = await insertUser("viewer");
    expect(
      (await attemptLogin({ email: user.email, password: TEST_PASSWORD, meta: metaFor(ip), now })).kind,
    ).toBe("locked");
    expect(
      (await attemptLogin({ email: user.email, password: TEST_PASSWORD, meta: metaFor(freshIp()), now }))
        .kind,
    ).toBe("ok");
  });
});
