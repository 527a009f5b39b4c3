/**
 * The payout history, detail and export against a real database, with payouts made through the real request
 * path and sent to the simulator over HTTP: filters, bounded counts, exact totals, masking, the raw reply for
 * administrators only, and the CSV.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlipayClient } from "@/lib/alipay/client";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format/date";
import { translator } from "@/lib/i18n/messages";
import { decidePayouts } from "@/lib/payouts/decisions";
import { iteratePayouts, payoutsCsv } from "@/lib/payouts/export";
import {
  getPayoutDetail,
  listCampaignOptions,
  listPayouts,
  PAYOUT_COUNT_BOUND,
  payoutTotals,
} from "@/lib/payouts/queries";
import { requestPayout, type PayoutRequest } from "@/lib/payouts/request";
import { payoutListQuerySchema } from "@/lib/validation/payouts";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser, TEST_META } from "../support/factories";
import { activeCampaign, testDispatcher, userId, waitUntilNone, payoutRequest } from "../support/payouts";

const TIME_ZONE = "Asia/Shanghai";
const schema = payoutListQuerySchema(TIME_ZONE);
const UNKNOWN_USER = "2088999900000001"; // the simulator refuses it: "user does not exist"
const tag = `pq_${crypto.randomUUID().slice(0, 8)}`;

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let approver: Awaited<ReturnType<typeof insertUser>>;
let admin: Awaited<ReturnType<typeof insertUser>>;
let viewer: Awaited<ReturnType<typeof insertUser>>;
/** Campaign A: three sent payouts (two paid, one refused). Campaign B: two that wait for an approver. */
let campaignA: { id: string; name: string };
let campaignB: { id: string; name: string };
const ids = { paid1: "", paid2: "", failed: "", rejected: "", pending: "" };

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

async function csvText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 2000 });
  [marketer, approver, admin, viewer] = await Promise.all([
    insertUser("marketer"),
    insertUser("approver"),
    insertUser("admin"),
    insertUser("viewer"),
  ]);
  campaignA = await activeCampaign(alipay, client, marketer.actor, { name: `History A ${tag}` });
  campaignB = await activeCampaign(alipay, client, marketer.actor, {
    name: `History B ${tag}`,
    autoApproveMaxFen: 0,
  });
  const send = async (campaignId: string, overrides: Partial<PayoutRequest>) =>
    (await requestPayout(marketer.actor, payoutRequest(campaignId, overrides))).payout.id;
  ids.paid1 = await send(campaignA.id, { identity: userId(901), outBizNo: `${tag}_1` });
  ids.paid2 = await send(campaignA.id, {
    identity: userId(902),
    outBizNo: `${tag}_2`,
    scene: "INVITE_REWARD",
    source: "API",
  });
  ids.failed = await send(campaignA.id, { identity: UNKNOWN_USER, outBizNo: `${tag}_3` });
  ids.rejected = await send(campaignB.id, { identity: userId(903), outBizNo: `${tag}_4`, source: "BATCH" });
  ids.pending = await send(campaignB.id, {
    identityType: "LOGIN_ID",
    identity: "alice.history@example.com",
    outBizNo: `${tag}_5`,
    memo: "=SUM(A1)",
    scene: "MANUAL",
    source: "API",
  });
  await decidePayouts(approver.actor, {
    payoutIds: [ids.rejected],
    decision: "reject",
    reason: "not eligible",
  });

  const dispatcher = testDispatcher(client);
  dispatcher.start();
  await waitUntilNone(campaignA.id, ["APPROVED", "SENDING", "UNKNOWN"]);
  await dispatcher.stop();

  // Fixed request times for the date filters and the export's time zone (fixture set-up, not behaviour):
  // 2026-03-02 00:30 and 2026-03-01 23:30 in Shanghai, and a later day.
  await db.payout.update({ where: { id: ids.paid1 }, data: { createdAt: new Date("2026-03-01T16:30:00Z") } });
  await db.payout.update({ where: { id: ids.paid2 }, data: { createdAt: new Date("2026-03-01T15:30:00Z") } });
  await db.payout.update({
    where: { id: ids.failed },
    data: { createdAt: new Date("2026-03-05T04:00:00Z") },
  });
}, 120_000);

afterAll(() => alipay.sim.stop());

describe("the history's filters", () => {
  const list = (query: Record<string, string>) => listPayouts(viewer.actor, schema.parse(query));
  const idsOf = (page: { rows: { id: string }[] }) => page.rows.map((r) => r.id).sort();

  it("by campaign, status, outBizNo, recipient, scene and source", async () => {
    expect(idsOf(await list({ campaign: campaignA.id }))).toEqual([ids.paid1, ids.paid2, ids.failed].sort());
    expect(idsOf(await list({ campaign: campaignA.id, status: "SUCCEEDED" }))).toEqual(
      [ids.paid1, ids.paid2].sort(),
    );
    expect(idsOf(await list({ campaign: campaignA.id, status: "FAILED" }))).toEqual([ids.failed]);
    expect(idsOf(await list({ campaign: campaignB.id, status: "REJECTED" }))).toEqual([ids.rejected]);
    expect(idsOf(await list({ outBizNo: `${tag}_2` }))).toEqual([ids.paid2]);
    expect(idsOf(await list({ recipient: userId(901) }))).toEqual([ids.paid1]);
    expect(idsOf(await list({ recipient: "alice.history@example.com" }))).toEqual([ids.pending]);
    expect(idsOf(await list({ campaign: campaignA.id, scene: "INVITE_REWARD" }))).toEqual([ids.paid2]);
    expect(idsOf(await list({ campaign: campaignB.id, source: "BATCH" }))).toEqual([ids.rejected]);
    expect(idsOf(await list({ campaign: campaignB.id, source: "API" }))).toEqual([ids.pending]);
    // Free text is an exact reference, recipient or id; a part of one matches nothing.
    expect(idsOf(await list({ q: `${tag}_5` }))).toEqual([ids.pending]);
    expect(idsOf(await list({ q: ids.failed }))).toEqual([ids.failed]);
    expect((await list({ q: tag })).rows).toEqual([]);
  });

  it("by request day in the viewer's zone", async () => {
    expect(idsOf(await list({ campaign: campaignA.id, from: "2026-03-02", to: "2026-03-02" }))).toEqual([
      ids.paid1,
    ]);
    expect(idsOf(await list({ campaign: campaignA.id, to: "2026-03-01" }))).toEqual([ids.paid2]);
    expect(idsOf(await list({ campaign: campaignA.id, from: "2026-03-02" }))).toEqual(
      [ids.paid1, ids.failed].sort(),
    );
  });

  it("sorts and pages on the server, and a campaign page's scope wins over the campaign filter", async () => {
    const byTime = await list({ campaign: campaignA.id, sort: "createdAt.asc" });
    expect(byTime.rows.map((r) => r.id)).toEqual([ids.paid2, ids.paid1, ids.failed]);
    expect(byTime).toMatchObject({ total: 3, totalIsEstimate: false, page: 1 });
    const byStatus = await list({ campaign: campaignA.id, sort: "status.desc" });
    expect(byStatus.rows.map((r) => r.status)).toEqual(["FAILED", "SUCCEEDED", "SUCCEEDED"]);
    const pastEnd = await list({ campaign: campaignA.id, pageSize: "10", page: "7" });
    expect(pastEnd).toMatchObject({ page: 1, total: 3 });
    expect(pastEnd.rows).toHaveLength(3);

    const scoped = await listPayouts(viewer.actor, schema.parse({ campaign: campaignB.id }), {
      campaignId: campaignA.id,
    });
    expect(scoped.rows.map((r) => r.campaignId)).toEqual([campaignA.id, campaignA.id, campaignA.id]);
  });

  it("shows rows with their campaign, the masked recipient and the amount paid", async () => {
    const { rows } = await list({ outBizNo: `${tag}_1` });
    expect(rows[0]).toMatchObject({
      campaignId: campaignA.id,
      campaignName: campaignA.name,
      identityType: "USER_ID",
      recipient: "2088********0901",
      amountFen: 100,
      status: "SUCCEEDED",
      scene: "POINTS_REDEMPTION",
      source: "CONSOLE",
      requestedByLabel: marketer.actor.email,
    });
    // Masked for everyone in the list, requesters included.
    const asMarketer = await listPayouts(marketer.actor, schema.parse({ outBizNo: `${tag}_5` }));
    expect(asMarketer.rows[0]?.recipient).toBe("a***@example.com");
  });

  it("offers every campaign in the campaign filter", async () => {
    const options = await listCampaignOptions(viewer.actor);
    expect(options).toEqual(
      expect.arrayContaining([campaignA, campaignB].map(({ id, name }) => ({ id, name }))),
    );
  });
});

describe("totals of the filtered view", () => {
  it("count every matching payout and add up what was paid, else what is held", async () => {
    expect(await payoutTotals(viewer.actor, schema.parse({ campaign: campaignA.id }))).toEqual({
      count: 3,
      amountFen: 300,
    });
    expect(
      await payoutTotals(viewer.actor, schema.parse({ campaign: campaignA.id, status: "SUCCEEDED" })),
    ).toEqual({ count: 2, amountFen: 200 });
    expect(await payoutTotals(viewer.actor, schema.parse({}), { campaignId: campaignB.id })).toEqual({
      count: 2,
      amountFen: 200,
    });
  });
});

describe("a large history", () => {
  const BULK = PAYOUT_COUNT_BOUND + 5;
  let bulkCampaignId = "";

  beforeAll(async () => {
    // Fixture: ten thousand old, cancelled payouts in a campaign of their own, three to a timestamp.
    const bulk = await db.campaign.create({
      data: {
        name: `History bulk ${tag}`,
        prizeMessage: "Thanks",
        prizeType: "FIXED",
        rail: "TRANSFER",
        maxPacketFen: 100,
        status: "CLOSED",
        budgetFen: 10_000,
        packetCount: 100,
        endsAt: new Date("2020-12-31T00:00:00Z"),
        defaultScene: "OTHER",
        createdById: marketer.user.id,
      },
    });
    bulkCampaignId = bulk.id;
    await db.$executeRaw`
      INSERT INTO "Payout" (id, "campaignId", "outBizNo", "identityType", identity, "amountFen", scene, source,
                            status, "requestedByType", "requestedByLabel", "createdAt", "updatedAt")
      SELECT ${`${tag}_bulk_`} || g, ${bulk.id}, ${`${tag}_bulk_`} || g, 'USER_ID'::"IdentityType",
             '2088' || lpad(g::text, 12, '0'), 100, 'OTHER'::"PayoutScene", 'BATCH'::"PayoutSource",
             'CANCELED'::"PayoutStatus", 'SYSTEM'::"ActorType", 'bulk',
             TIMESTAMP '2020-01-01 00:00:00' + (g / 3) * INTERVAL '1 second', now()
      FROM generate_series(1, ${BULK}::int) AS g`;
  }, 60_000);

  it("counts no further than the bound and says the total is at least that", async () => {
    const first = await listPayouts(viewer.actor, schema.parse({ campaign: bulkCampaignId }));
    expect(first).toMatchObject({ total: PAYOUT_COUNT_BOUND, totalIsEstimate: true, page: 1 });
    expect(first.rows).toHaveLength(20);
    // Past the bound the count reaches the page asked for: near the end it is exact again.
    const deep = await listPayouts(
      viewer.actor,
      schema.parse({ campaign: bulkCampaignId, pageSize: "100", page: "101" }),
    );
    expect(deep).toMatchObject({ total: BULK, totalIsEstimate: false, page: 101 });
    expect(deep.rows).toHaveLength(5);
    // The totals are exact.
    expect(await payoutTotals(viewer.actor, schema.parse({ campaign: bulkCampaignId }))).toEqual({
      count: BULK,
      amountFen: BULK * 100,
    });
  });

  it("exports every row by keyset, in time order, without skipping or repeating ties", async () => {
    const rows = await collect(
      iteratePayouts(viewer.actor, schema.parse({ campaign: bulkCampaignId }), undefined, 1000),
    );
    expect(rows).toHaveLength(BULK);
    expect(new Set(rows.map((r) => r.id)).size).toBe(BULK);
    const times = rows.map((r) => Date.parse(r.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const asc = await collect(
      iteratePayouts(
        viewer.actor,
        schema.parse({ campaign: bulkCampaignId, sort: "createdAt.asc" }),
        undefined,
        499, // not a multiple of 3: chunks end inside a run of equal times
      ),
    );
    expect(asc.slice(0, 10).map((r) => r.id)).toEqual(
      rows
        .slice(-10)
        .map((r) => r.id)
        .reverse(),
    );
  }, 60_000);
});

describe("the detail", () => {
  it("shows the recipient in full to requesters and approvers, masked to viewers", async () => {
    for (const who of [marketer, approver, admin]) {
      const detail = await getPayoutDetail(who.actor, ids.paid1);
      expect(detail).toMatchObject({ recipient: userId(901), recipientMasked: false });
    }
    expect(await getPayoutDetail(viewer.actor, ids.paid1)).toMatchObject({
      recipient: "2088********0901",
      recipientMasked: true,
    });
  });

  it("gives the raw Alipay reply to administrators only", async () => {
    const forAdmin = await getPayoutDetail(admin.actor, ids.paid1);
    expect(forAdmin.rawIncluded).toBe(true);
    expect(forAdmin.attempts).toHaveLength(1);
    expect(forAdmin.attempts[0]?.rawReply).toContain("trigger_result");
    for (const who of [marketer, approver, viewer]) {
      const detail = await getPayoutDetail(who.actor, ids.paid1);
      expect(detail.rawIncluded).toBe(false);
      expect(detail.attempts.map((a) => a.rawReply)).toEqual([null]);
      expect(JSON.stringify(detail)).not.toContain("trigger_result");
    }
  });

  it("has the header facts, the attempts and the timeline oldest first", async () => {
    const detail = await getPayoutDetail(viewer.actor, ids.paid1);
    expect(detail).toMatchObject({
      campaignName: campaignA.name,
      outBizNo: `${tag}_1`,
      status: "SUCCEEDED",
      amountFen: 100,
      heldFen: 100,
      awardedFen: 100,
      autoApproved: true,
      requestedByLabel: marketer.actor.email,
      requestIp: TEST_META.ip,
    });
    expect(detail.alipayReference).toBeTruthy();
    expect(detail.attempts[0]).toMatchObject({ number: 1, outcome: "OK", code: "10000", awardedFen: 100 });
    expect(detail.attempts[0]?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(detail.timeline.map((e) => e.action)).toEqual([
      "payout.request",
      "payout.claim",
      "payout.succeed",
    ]);
    expect(detail.timeline[0]).toMatchObject({ source: "CONSOLE", ip: TEST_META.ip, actorType: "USER" });
    expect(detail.timeline[2]).toMatchObject({ source: null, ip: null, actorType: "SYSTEM" });
  });

  it("explains a refusal and a rejection", async () => {
    const failed = await getPayoutDetail(marketer.actor, ids.failed);
    expect(failed).toMatchObject({ status: "FAILED", failureRetryable: false });
    expect(failed.failureMessage).toBeTruthy();
    expect(failed.attempts[0]).toMatchObject({ outcome: "REJECTED" });
    const rejected = await getPayoutDetail(viewer.actor, ids.rejected);
    expect(rejected).toMatchObject({ status: "REJECTED", decidedByLabel: approver.actor.email });
    expect(rejected.timeline.map((e) => [e.action, e.reason])).toEqual([
      ["payout.request", null],
      ["payout.reject", "not eligible"],
    ]);
  });

  it("is NOT_FOUND for an unknown id", async () => {
    const error = await getPayoutDetail(viewer.actor, "no-such-payout").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("NOT_FOUND");
  });
});

describe("the CSV export", () => {
  it("writes a BOM, a header and one line per payout, in the reader's language and zone", async () => {
    const t = translator("en");
    const text = await csvText(
      payoutsCsv(viewer.actor, schema.parse({ campaign: campaignA.id }), { t, timeZone: "Europe/Berlin" }),
    );
    expect(text.startsWith("\uFEFF")).toBe(true);
    const lines = text.slice(1).trimEnd().split("\r\n");
    expect(lines).toHaveLength(1 + 3);
    expect(lines[0]).toBe(
      "Time,Campaign,Business reference,Recipient type,Recipient (masked),Scene,Source,Status,Amount (yuan),Memo,Requested by",
    );
    // Newest first; 16:30 UTC is 17:30 in Berlin.
    expect(lines[2]).toBe(
      `2026-03-01 17:30:00,${campaignA.name},${tag}_1,Alipay user id,2088********0901,Points redemption,Console,Paid,1.00,,${marketer.actor.email}`,
    );
    expect(lines[1]).toContain(`${tag}_3`);
    expect(lines[1]).toContain(",Failed,1.00,");
    expect(lines[3]).toContain(formatDateTime("2026-03-01T15:30:00Z", "Europe/Berlin", { seconds: true }));
    expect(lines[3]).toContain(",Invite reward,API,Paid,1.00,");
  });

  it("translates labels, masks recipients and neutralises formulas", async () => {
    const t = translator("zh-CN");
    const text = await csvText(
      payoutsCsv(viewer.actor, schema.parse({ outBizNo: `${tag}_5` }), { t, timeZone: TIME_ZONE }),
    );
    const [header, row] = text.slice(1).trimEnd().split("\r\n");
    expect(header?.split(",")[0]).toBe("时间");
    expect(row).toContain("a***@example.com");
    expect(row).not.toContain("alice.history");
    expect(row).toContain(",待审批,1.00,'=SUM(A1),");
  });

  it("refuses readers without payout:export before anything is streamed", async () => {
    const t = translator("en");
    let refusal: unknown = null;
    try {
      payoutsCsv(marketer.actor, schema.parse({}), { t, timeZone: TIME_ZONE });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe("FORBIDDEN");
    await expect(collect(iteratePayouts(approver.actor, schema.parse({})))).rejects.toThrow(DomainError);
    // Admins hold it as well as viewers.
    expect(() => payoutsCsv(admin.actor, schema.parse({}), { t, timeZone: TIME_ZONE })).not.toThrow();
  });
});
