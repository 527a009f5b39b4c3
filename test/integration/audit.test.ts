import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/auth/actor";
import { listAuditEvents, recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { auditListQuerySchema } from "@/lib/validation/audit";
import { insertUser, uniqueEmail } from "../support/factories";

describe("audit events", () => {
  it("are written in the same transaction as the change: a rolled-back change leaves no event", async () => {
    const email = uniqueEmail("rollback");
    const marker = `rollback-${email}`;
    await expect(
      db.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: { email, name: "Rolled back", role: "viewer", passwordHash: "x" },
        });
        await recordAudit(tx, systemActor("test"), {
          action: "user.create",
          entityType: "User",
          entityId: marker,
        });
        expect(await tx.auditEvent.count({ where: { entityId: marker } })).toBe(1);
        throw new Error(`abort after creating ${user.id}`);
      }),
    ).rejects.toThrow("abort after creating");
    expect(await db.user.count({ where: { email } })).toBe(0);
    expect(await db.auditEvent.count({ where: { entityId: marker } })).toBe(0);
  });

  it("are append-only: the database refuses updates and deletes", async () => {
    const marker = uniqueEmail("append-only");
    await recordAudit(db, systemActor("test"), {
      action: "test.event",
      entityType: "Test",
      entityId: marker,
    });
    const event = await db.auditEvent.findFirstOrThrow({ where: { entityId: marker } });
    await expect(
      db.auditEvent.update({ where: { id: event.id }, data: { action: "tampered" } }),
    ).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    expect((await db.auditEvent.findUniqueOrThrow({ where: { id: event.id } })).action).toBe("test.event");
  });

  it("can be filtered by action, entity and date, newest first", async () => {
    const { actor } = await insertUser("viewer");
    const entityId = uniqueEmail("filter");
    await recordAudit(db, systemActor("test"), { action: "test.first", entityType: "Widget", entityId });
    await recordAudit(db, systemActor("test"), { action: "test.second", entityType: "Widget", entityId });
    const schema = auditListQuerySchema("Asia/Shanghai");

    const both = await listAuditEvents(actor, schema.parse({ entityType: "Widget", entityId }));
    expect(both.rows.map((r) => r.action)).toEqual(["test.second", "test.first"]);

    const first = await listAuditEvents(actor, schema.parse({ entityId, action: "test.first" }));
    expect(first.rows.map((r) => r.action)).toEqual(["test.first"]);

    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const none = await listAuditEvents(actor, schema.parse({ entityId, from: tomorrow }));
    expect(none.total).toBe(0);
  });

  it("are readable only with audit:read", async () => {
    const { actor } = await insertUser("marketer");
    await expect(
      listAuditEvents(actor, auditListQuerySchema("Asia/Shanghai").parse({})),
    ).rejects.toBeInstanceOf(DomainError);
  });
});
