import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { auditCsv, iterateAuditEvents } from "@/lib/audit/export";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { translator } from "@/lib/i18n/messages";
import { auditListQuerySchema } from "@/lib/validation/audit";
import { insertUser } from "../support/factories";

const TIME_ZONE = "Asia/Shanghai";
const schema = auditListQuerySchema(TIME_ZONE);

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

async function csvText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}

/**
 * Events of a type no other test uses, at chosen times: several share a timestamp, so the keyset's tie-break
 * on id is what keeps chunks from skipping or repeating rows.
 */
async function insertEvents(entityType: string, times: Date[], action = "test.export") {
  for (const [i, createdAt] of times.entries()) {
    await db.auditEvent.create({
      data: { actorType: "SYSTEM", actorLabel: "test", action, entityType, entityId: `e${i}`, createdAt },
    });
  }
}

describe("audit export (service)", () => {
  it("walks every matching row in time order across many chunks, without skipping or repeating ties", async () => {
    const { actor } = await insertUser("viewer");
    const entityType = `Export${crypto.randomUUID().slice(0, 8)}`;
    const t0 = new Date("2026-03-01T04:00:00.000Z");
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    await insertEvents(entityType, [
      at(0),
      at(0),
      at(0),
      at(0),
      at(0),
      at(1),
      at(1),
      at(1),
      at(-1),
      at(-1),
      at(2),
    ]);
    await insertEvents(entityType, [at(0), at(3)], "test.other");

    const expected = await db.auditEvent.findMany({
      where: { entityType, action: "test.export" },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    expect(expected).toHaveLength(11);

    const desc = await collect(
      iterateAuditEvents(actor, schema.parse({ entityType, action: "test.export" }), 4),
    );
    expect(desc.map((r) => r.id)).toEqual(expected.map((e) => e.id));

    const asc = await collect(
      iterateAuditEvents(
        actor,
        schema.parse({ entityType, action: "test.export", sort: "createdAt.asc" }),
        3,
      ),
    );
    expect(asc.map((r) => r.id)).toEqual(expected.map((e) => e.id).reverse());

    // A chunk size that divides the row count exactly ends cleanly too.
    const whole = await collect(iterateAuditEvents(actor, schema.parse({ entityType }), 13));
    expect(whole).toHaveLength(13);
    const exact = await collect(iterateAuditEvents(actor, schema.parse({ entityType }), 1));
    expect(exact.map((r) => r.id)).toEqual(whole.map((r) => r.id));
  });

  it("applies the page's filters: date range, actor and free text", async () => {
    const { actor } = await insertUser("viewer");
    const entityType = `Export${crypto.randomUUID().slice(0, 8)}`;
    // 2026-03-01 23:30 and 2026-03-02 00:30 in Shanghai: the day filter follows the display time zone.
    await insertEvents(entityType, [new Date("2026-03-01T15:30:00Z"), new Date("2026-03-01T16:30:00Z")]);
    const onSecond = await collect(
      iterateAuditEvents(actor, schema.parse({ entityType, from: "2026-03-02" })),
    );
    expect(onSecond.map((r) => r.entityId)).toEqual(["e1"]);
    const onFirst = await collect(iterateAuditEvents(actor, schema.parse({ entityType, to: "2026-03-01" })));
    expect(onFirst.map((r) => r.entityId)).toEqual(["e0"]);
    expect(await collect(iterateAuditEvents(actor, schema.parse({ entityType, q: "e1" })))).toHaveLength(1);
    expect(await collect(iterateAuditEvents(actor, schema.parse({ entityType, actor: "nobody" })))).toEqual(
      [],
    );
  });

  it("refuses readers without audit:read before anything is streamed", async () => {
    const { actor } = await insertUser("marketer");
    const t = translator("en");
    expect(() => auditCsv(actor, schema.parse({}), { t, timeZone: TIME_ZONE })).toThrow(DomainError);
  });
});

describe("audit export (CSV)", () => {
  it("writes the filtered rows with translated labels, names, display-zone times and neutralised formulas", async () => {
    const { actor: viewer } = await insertUser("viewer");
    const { user: mallory, actor: malloryActor } = await insertUser("marketer", {
      email: `=cmd-${crypto.randomUUID().slice(0, 8)}@test.example`,
    });
    const campaign = await db.campaign.create({
      data: {
        name: "新年红包, 第一批",
        prizeMessage: "Thanks",
        prizeType: "FIXED",
        rail: "TRANSFER",
        maxPacketFen: 100,
        status: "ACTIVE",
        budgetFen: 10_000,
        packetCount: 100,
        endsAt: new Date(Date.now() + 86_400_000),
        defaultScene: "MANUAL",
        createdById: mallory.id,
      },
    });
    await recordAudit(db, malloryActor, {
      action: "campaign.pause",
      entityType: "Campaign",
      entityId: campaign.id,
      before: { status: "ACTIVE" },
      after: { status: "PAUSED" },
    });
    const event = await db.auditEvent.findFirstOrThrow({ where: { entityId: campaign.id } });
    const time = new Intl.DateTimeFormat("sv-SE", {
      timeZone: TIME_ZONE,
      dateStyle: "short",
      timeStyle: "medium",
    }).format(event.createdAt);

    const query = schema.parse({ entityId: campaign.id });
    const en = await csvText(auditCsv(viewer, query, { t: translator("en"), timeZone: TIME_ZONE }));
    expect(en.startsWith("\uFEFF")).toBe(true);
    expect(en.split("\r\n")).toEqual([
      "\uFEFFTime,Actor,Action,Entity type,Entity name,Entity ID,IP,Before,After",
      [
        time,
        `'${mallory.email}`,
        "Paused campaign",
        "Campaign",
        '"新年红包, 第一批"',
        campaign.id,
        malloryActor.ip,
        '"{""status"":""ACTIVE""}"',
        '"{""status"":""PAUSED""}"',
      ].join(","),
      "",
    ]);

    const zh = await csvText(auditCsv(viewer, query, { t: translator("zh-CN"), timeZone: TIME_ZONE }));
    const [header, row] = zh.split("\r\n");
    expect(header).toBe("\uFEFF时间,操作人,操作,对象类型,对象名称,对象 ID,IP,变更前,变更后");
    expect(row).toContain(",暂停活动,活动,");
  });

  it("writes every row when the log is longer than one chunk", async () => {
    const { actor } = await insertUser("admin");
    const entityType = `Export${crypto.randomUUID().slice(0, 8)}`;
    const base = Date.parse("2026-03-05T02:00:00Z");
    await insertEvents(
      entityType,
      Array.from({ length: 9 }, (_, i) => new Date(base + Math.floor(i / 2) * 1000)),
    );
    const text = await csvText(
      auditCsv(actor, schema.parse({ entityType }), { t: translator("en"), timeZone: TIME_ZONE }, 2),
    );
    const lines = text.split("\r\n").slice(1, -1);
    expect(lines).toHaveLength(9);
    const ids = lines.map((line) => line.split(",")[5]);
    expect(new Set(ids).size).toBe(9);
    expect(lines[0]).toMatch(/^2026-03-05 10:00:04,System · test,test\.export,/);
    expect(lines[8]).toMatch(/^2026-03-05 10:00:00,/);
  });
});
