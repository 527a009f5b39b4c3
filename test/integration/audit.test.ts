import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/auth/actor";
import { AUDIT_COUNT_BOUND, auditFacets, listAuditEvents, recordAudit } from "@/lib/audit/service";
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

  it("counts a large log only up to a bound and reports the total as at least that many", async () => {
    const { actor } = await insertUser("admin");
    const schema = auditListQuerySchema("Asia/Shanghai");
    const action = `test.bulk-${Date.now()}`;
    const event = (entityId: string) => ({
      actorType: "SYSTEM" as const,
      actorLabel: "test",
      action,
      entityType: "Widget",
      entityId,
    });
    await db.auditEvent.createMany({
      data: Array.from({ length: AUDIT_COUNT_BOUND }, (_, i) => event(`w${i}`)),
    });
    const exact = await listAuditEvents(actor, schema.parse({ action }));
    expect(exact).toMatchObject({ total: AUDIT_COUNT_BOUND, totalIsEstimate: false });

    await db.auditEvent.create({ data: event("one-more") });
    const bounded = await listAuditEvents(actor, schema.parse({ action }));
    expect(bounded).toMatchObject({ total: AUDIT_COUNT_BOUND, totalIsEstimate: true, page: 1 });
    expect(bounded.rows).toHaveLength(20);

    // A page past the bound is counted to its end: past the end of the log, the last page, counted exactly.
    const deep = await listAuditEvents(actor, schema.parse({ action, page: "600", pageSize: "20" }));
    expect(deep).toMatchObject({ total: AUDIT_COUNT_BOUND + 1, totalIsEstimate: false, page: 501 });
    expect(deep.rows).toHaveLength(1);
  }, 120_000); // 10,000 events written, on a shared machine

  it("offers every distinct action and entity type exactly once, for the filters", async () => {
    const { actor } = await insertUser("admin");
    const suffix = Date.now();
    for (const [action, entityType] of [
      [`test.zeta-${suffix}`, `Zeta${suffix}`],
      [`test.alpha-${suffix}`, `Alpha${suffix}`],
      [`test.alpha-${suffix}`, `Alpha${suffix}`],
    ] as const) {
      await recordAudit(db, systemActor("test"), { action, entityType, entityId: "x" });
    }
    const facets = await auditFacets(actor);
    const distinctSorted = async (column: "action" | "entityType") =>
      (await db.auditEvent.findMany({ select: { [column]: true } }))
        .map((e) => (e as Record<string, string>)[column] ?? "")
        .filter((v, i, all) => all.indexOf(v) === i)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(facets.actions).toContain(`test.alpha-${suffix}`);
    expect(facets.actions.filter((a) => a === `test.alpha-${suffix}`)).toHaveLength(1);
    expect(facets.entityTypes).toContain(`Zeta${suffix}`);
    expect(new Set(facets.actions).size).toBe(facets.actions.length);
    expect([...facets.actions].sort()).toEqual(await distinctSorted("action").then((v) => [...v].sort()));
    expect([...facets.entityTypes].sort()).toEqual(
      await distinctSorted("entityType").then((v) => [...v].sort()),
    );
  });
});
