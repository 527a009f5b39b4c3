import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { changeUserRole, createUser, listUsers, setUserActive } from "@/lib/users/service";
import { usersListQuerySchema } from "@/lib/validation/users";
import { auditEventsFor, insertUser, uniqueEmail } from "../support/factories";

async function expectDomainError(promise: Promise<unknown>, code: DomainError["code"]): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  return error as DomainError;
}

describe("creating users", () => {
  it("stores the user with a password hash and writes one audit event", async () => {
    const { actor } = await insertUser("admin");
    const email = uniqueEmail("new");
    const row = await createUser(actor, {
      email,
      name: "New Person",
      role: "marketer",
      password: "a-long-password",
    });

    const stored = await db.user.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored.email).toBe(email);
    expect(stored.role).toBe("marketer");
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row).not.toHaveProperty("passwordHash");

    const events = await auditEventsFor(row.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "user.create",
      entityType: "User",
      actorId: actor.userId,
      actorLabel: actor.email,
      actorType: "USER",
      ip: "203.0.113.7",
      before: null,
      after: { email, name: "New Person", role: "marketer", active: true },
    });
    expect(JSON.stringify(events[0]?.after)).not.toContain("argon2");
  });

  it("refuses a duplicate email on the email field and writes nothing", async () => {
    const { actor } = await insertUser("admin");
    const { user: existing } = await insertUser("viewer");
    const before = await db.auditEvent.count();
    const error = await expectDomainError(
      createUser(actor, { email: existing.email, name: "Dup", role: "viewer", password: "a-long-password" }),
      "CONFLICT",
    );
    expect(error.fieldErrors?.email?.[0]?.key).toBe("errors.emailTaken");
    expect(await db.auditEvent.count()).toBe(before);
    expect(await db.user.count({ where: { email: existing.email } })).toBe(1);
  });

  it("refuses actors without user:manage", async () => {
    const { actor } = await insertUser("marketer");
    const email = uniqueEmail();
    await expectDomainError(
      createUser(actor, { email, name: "X", role: "viewer", password: "a-long-password" }),
      "FORBIDDEN",
    );
    expect(await db.user.count({ where: { email } })).toBe(0);
  });
});

describe("changing roles", () => {
  it("updates the role and records before and after", async () => {
    const { actor } = await insertUser("admin");
    const { user } = await insertUser("viewer");
    const row = await changeUserRole(actor, { userId: user.id, role: "approver" });
    expect(row.role).toBe("approver");
    const [event] = await auditEventsFor(user.id);
    expect(event).toMatchObject({
      action: "user.role_change",
      before: { role: "viewer" },
      after: { role: "approver" },
    });
  });

  it("does not let admins change their own role", async () => {
    const { actor, user } = await insertUser("admin");
    await expectDomainError(changeUserRole(actor, { userId: user.id, role: "viewer" }), "FORBIDDEN");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("admin");
  });

  it("reports an unknown user as not found", async () => {
    const { actor } = await insertUser("admin");
    await expectDomainError(changeUserRole(actor, { userId: "no-such-user", role: "viewer" }), "NOT_FOUND");
  });
});

describe("the last active admin", () => {
  it("cannot be demoted or disabled; the refused change leaves no trace", async () => {
    // Make `keeper` the only active admin, then let a second admin try to remove it...
    const keeper = await insertUser("admin");
    await db.user.updateMany({
      where: { role: "admin", disabledAt: null, id: { not: keeper.user.id } },
      data: { disabledAt: new Date() },
    });
    // ...which needs an acting admin: a SYSTEM actor (start-up tasks) holds every permission.
    const system = { type: "SYSTEM" as const, label: "test", ip: null, userAgent: null };
    const auditBefore = await db.auditEvent.count();

    await expectDomainError(changeUserRole(system, { userId: keeper.user.id, role: "viewer" }), "CONFLICT");
    await expectDomainError(setUserActive(system, { userId: keeper.user.id, active: false }), "CONFLICT");

    const after = await db.user.findUniqueOrThrow({ where: { id: keeper.user.id } });
    expect(after.role).toBe("admin");
    expect(after.disabledAt).toBeNull();
    expect(after.sessionVersion).toBe(keeper.user.sessionVersion);
    expect(await db.auditEvent.count()).toBe(auditBefore);
  });
});

describe("listing users", () => {
  it("filters, searches, sorts and paginates on the server", async () => {
    const { actor } = await insertUser("admin");
    const tag = uniqueEmail("list").split("@")[0] ?? "list";
    for (const role of ["viewer", "viewer", "approver"] as const) {
      await insertUser(role, {
        email: `${tag}-${role}-${Math.random().toString(36).slice(2, 6)}@test.example`,
      });
    }
    const all = await listUsers(actor, usersListQuerySchema.parse({ q: tag }));
    expect(all.total).toBe(3);
    const viewers = await listUsers(actor, usersListQuerySchema.parse({ q: tag, role: "viewer" }));
    expect(viewers.total).toBe(2);
    expect(viewers.rows.every((r) => r.role === "viewer")).toBe(true);
    const pastEnd = await listUsers(actor, usersListQuerySchema.parse({ q: tag, pageSize: "10", page: "2" }));
    expect(pastEnd).toMatchObject({ page: 1, total: 3 });
    expect(pastEnd.rows).toHaveLength(3);
    const sorted = await listUsers(actor, usersListQuerySchema.parse({ q: tag, sort: "email.asc" }));
    expect(sorted.rows.map((r) => r.email)).toEqual([...sorted.rows.map((r) => r.email)].sort());
  });
});
