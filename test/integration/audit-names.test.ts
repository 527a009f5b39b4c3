import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/auth/actor";
import { listAuditEvents, recordAudit, recordRefusal } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { auditListQuerySchema } from "@/lib/validation/audit";
import { insertUser } from "../support/factories";

const schema = auditListQuerySchema("Asia/Shanghai");

async function insertCampaign(createdById: string, name: string) {
  return db.campaign.create({
    data: {
      name,
      prizeMessage: "Thanks",
      prizeType: "FIXED",
      rail: "TRANSFER",
      maxPacketFen: 100,
      status: "ACTIVE",
      budgetFen: 10_000,
      packetCount: 100,
      endsAt: new Date(Date.now() + 24 * 60 * 60 * 1000),
      defaultScene: "MANUAL",
      createdById,
    },
  });
}

/** The rows of the audit page for one action, as a given reader sees them. */
async function rowsFor(reader: Awaited<ReturnType<typeof insertUser>>["actor"], action: string) {
  return (await listAuditEvents(reader, schema.parse({ action, pageSize: "100" }))).rows;
}

describe("audit log entity names", () => {
  it("names campaigns and users instead of showing their ids, linking where the reader may go", async () => {
    const tag = `names-${crypto.randomUUID().slice(0, 8)}`;
    const { actor: admin } = await insertUser("admin");
    const { actor: viewer } = await insertUser("viewer");
    const { user: subject } = await insertUser("marketer");
    const campaigns = await Promise.all(
      ["新年红包", "邀请有礼", "积分兑换"].map((name) => insertCampaign(subject.id, `${tag} ${name}`)),
    );
    const action = `test.${tag}`;
    for (const c of campaigns) {
      await recordAudit(db, systemActor("test"), { action, entityType: "Campaign", entityId: c.id });
    }
    await recordAudit(db, systemActor("test"), { action, entityType: "User", entityId: subject.id });

    const seenByViewer = await rowsFor(viewer, action);
    expect(seenByViewer).toHaveLength(4);
    for (const c of campaigns) {
      const row = seenByViewer.find((r) => r.entityId === c.id);
      expect(row?.entity).toEqual({ name: c.name, href: `/campaigns/${c.id}` });
    }
    // A viewer may not open the users page: the email is shown, without a link that would only answer 403.
    expect(seenByViewer.find((r) => r.entityType === "User")?.entity).toEqual({
      name: subject.email,
      href: null,
    });

    const userRowForAdmin = (await rowsFor(admin, action)).find((r) => r.entityType === "User");
    expect(userRowForAdmin?.entity).toEqual({
      name: subject.email,
      href: `/settings/users?q=${encodeURIComponent(subject.email)}`,
    });
    // The raw id stays available beside the name.
    expect(userRowForAdmin?.entityId).toBe(subject.id);
  });

  it("shows a refused action by its name and a refused page by its path", async () => {
    const { actor: refused } = await insertUser("viewer");
    const { actor: admin } = await insertUser("admin");
    await recordRefusal(refused, { entityType: "Action", entityId: "createUserAction" });
    await recordRefusal(refused, { entityType: "Page", entityId: "/settings/users" });

    const rows = (
      await listAuditEvents(admin, schema.parse({ action: "authz.denied", actor: refused.email }))
    ).rows;
    // Recorded within the same millisecond perhaps: compare without relying on the order of ties.
    expect(rows.map((r) => [r.entityType, r.entity]).sort()).toEqual([
      ["Action", { name: "createUserAction", href: null }],
      ["Page", { name: "/settings/users", href: null }],
    ]);
  });

  it("falls back to the raw id for entities that are gone and types nobody names yet", async () => {
    const { actor: admin } = await insertUser("admin");
    const action = `test.fallback-${crypto.randomUUID().slice(0, 8)}`;
    await recordAudit(db, systemActor("test"), {
      action,
      entityType: "Campaign",
      entityId: "no-such-campaign",
    });
    await recordAudit(db, systemActor("test"), { action, entityType: "Payout", entityId: "payout-1" });
    await recordAudit(db, systemActor("test"), { action, entityType: "User", entityId: null });

    const rows = await rowsFor(admin, action);
    expect(rows.map((r) => [r.entityType, r.entityId, r.entity]).sort()).toEqual([
      ["Campaign", "no-such-campaign", null],
      ["Payout", "payout-1", null],
      ["User", null, null],
    ]);
  });
});
