/**
 * The campaign lifecycle against the Alipay simulator (real SDK over HTTP) and a real database:
 * create → pay → sync → ACTIVE → pause → resume → close → settle; refusal; unknown outcomes resolved by
 * list.query without creating twice; drift detection; and the budget invariant under concurrency.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AlipayClient } from "@/lib/alipay/client";
import { systemActor } from "@/lib/auth/actor";
import {
  availableFen,
  checkBudgets,
  recomputeBudget,
  reserveBudget,
  settleReservation,
} from "@/lib/budget/service";
import { getCampaignDetail, listCampaigns } from "@/lib/campaigns/queries";
import { getCashCampaignDetail } from "@/lib/alipay/campaign";
import {
  applyCampaignDetail,
  closeCampaign,
  createCampaign,
  resubmitCampaign,
  setCampaignPaused,
  sweepStaleCreates,
  syncCampaign,
} from "@/lib/campaigns/service";
import { syncDueCampaigns } from "@/lib/campaigns/sync";
import { db, type DbOrTx } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { campaignListQuerySchema, type CampaignInput } from "@/lib/validation/campaigns";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { consoleEnv, runConsoleScript } from "../support/child-process";
import { insertUser } from "../support/factories";

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 800 });
  marketer = await insertUser("marketer");
});
afterAll(() => alipay.sim.stop());
afterEach(() => alipay.sim.setFaults({ rules: [] }));

const DAY = 24 * 60 * 60 * 1000;
let n = 0;

function input(overrides: Partial<CampaignInput> = {}): CampaignInput {
  n += 1;
  return {
    name: `Campaign ${Date.now()}-${n}`,
    prizeMessage: "Thanks",
    prizeType: "FIXED",
    rail: "CASH_CAMPAIGN",
    budgetFen: 10_000,
    packetCount: 50,
    startsAt: null,
    // Whole seconds: Alipay's times have no milliseconds.
    endsAt: new Date(Math.floor((Date.now() + 30 * DAY) / 1000) * 1000),
    frequencyLifetime: 1,
    frequencyPeriod: null,
    frequencyPeriodLimit: null,
    merchantLink: null,
    defaultScene: "POINTS_REDEMPTION",
    autoApproveMaxFen: 0,
    autoApproveDailyCapFen: 0,
    maxPacketFen: null,
    dailyAmountPerUserFen: null,
    ...overrides,
  };
}

async function auditActions(campaignId: string): Promise<string[]> {
  const events = await db.auditEvent.findMany({
    where: { entityId: campaignId },
    orderBy: { createdAt: "asc" },
  });
  return events.map((e) => e.action);
}

async function pay(crowdNo: string | null): Promise<void> {
  await alipay.admin(`/__sim/campaigns/${encodeURIComponent(crowdNo ?? "")}/pay`, {});
}

/** A campaign created, paid and synced: ACTIVE, with ¥1 packets. */
async function activeCampaign(budgetFen: number) {
  const created = await createCampaign(
    client,
    marketer.actor,
    input({ budgetFen, packetCount: budgetFen / 100 }),
  );
  await pay(created.crowdNo);
  return syncCampaign(client, marketer.actor, created.id);
}

describe("the campaign lifecycle", () => {
  it("create → awaiting funding → paid → ACTIVE → paused → resumed → closed → settled", async () => {
    const created = await createCampaign(client, marketer.actor, input());
    expect(created.status).toBe("AWAITING_FUNDING");
    expect(created.crowdNo).toBeTruthy();
    expect(created.payUrl).toContain("/cashier/campaign?crowdNo=");
    expect(created.payUrlExpiresAt!.getTime() - Date.now()).toBeGreaterThan(23 * 60 * 60 * 1000);

    // Not paid yet: a sync changes nothing.
    expect((await syncCampaign(client, marketer.actor, created.id)).status).toBe("AWAITING_FUNDING");

    await pay(created.crowdNo);
    const active = await syncCampaign(client, marketer.actor, created.id);
    expect(active).toMatchObject({
      status: "ACTIVE",
      alipayStatus: "READY",
      alipaySentFen: 0,
      alipayTotalFen: 10_000,
    });

    const paused = await setCampaignPaused(client, marketer.actor, created.id, true);
    expect(paused.status).toBe("PAUSED");
    expect(
      (await alipay.admin<{ status: string }>(`/__sim/campaigns/${encodeURIComponent(created.crowdNo!)}`))
        .status,
    ).toBe("PAUSE");

    const resumed = await setCampaignPaused(client, marketer.actor, created.id, false);
    expect(resumed.status).toBe("ACTIVE");

    const closed = await closeCampaign(client, marketer.actor, created.id);
    expect(closed).toMatchObject({ status: "CLOSED", alipayStatus: "PAUSE" });
    // Alipay ends it at its end time and settles it later; the console follows.
    alipay.sim.advanceTime(31 * DAY);
    try {
      expect((await syncCampaign(client, marketer.actor, created.id)).status).toBe("SETTLED");
    } finally {
      alipay.sim.reset(); // back to the real clock for the other tests
    }

    expect(await auditActions(created.id)).toEqual([
      "campaign.create",
      "campaign.alipay_created",
      "campaign.status_sync",
      "campaign.pause",
      "campaign.resume",
      "campaign.close",
      "campaign.status_sync",
      "campaign.refund",
    ]);
    // Alipay returned the unsent budget when it settled: recorded as a refund, so nothing is left "available".
    const settled = await db.campaign.findUniqueOrThrow({
      where: { id: created.id },
      include: { refunds: true },
    });
    expect(settled.refunds.map((r) => [r.kind, r.amountFen])).toEqual([["SETTLEMENT", 10_000]]);
    expect(availableFen(settled)).toBe(0);
  });

  it("credits what Alipay did to the system and what people did to them, each once", async () => {
    const created = await createCampaign(client, marketer.actor, input());
    await pay(created.crowdNo);
    await syncCampaign(client, marketer.actor, created.id);
    const events = await db.auditEvent.findMany({
      where: { entityId: created.id },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((e) => [e.action, e.actorType, e.actorLabel])).toEqual([
      ["campaign.create", "USER", marketer.user.email],
      ["campaign.alipay_created", "SYSTEM", "alipay"],
      ["campaign.status_sync", "SYSTEM", "alipay"],
    ]);
  });

  it("applying Alipay's answer to a campaign that changed meanwhile keeps the change and does not wait", async () => {
    const created = await createCampaign(client, marketer.actor, input());
    await pay(created.crowdNo);
    const asReadBeforeAsking = await db.campaign.findUniqueOrThrow({ where: { id: created.id } });
    const detail = await getCashCampaignDetail(client, created.crowdNo!);
    if (detail.kind !== "ok") throw new Error("detail.query failed");
    // Someone cancels it while the answer is on its way: the guarded update misses. Reading the current row on
    // the outer client inside the transaction would wait for the transaction itself (embedded database).
    await closeCampaign(client, marketer.actor, created.id);
    const result = await applyCampaignDetail(asReadBeforeAsking, detail.data);
    expect(result.status).toBe("CLOSED");
    expect((await db.campaign.findUniqueOrThrow({ where: { id: created.id } })).alipayStatus).toBe("CREATED");
  });

  it("refuses to pause a campaign that is not running, and leaves it unchanged", async () => {
    const created = await createCampaign(client, marketer.actor, input());
    await expect(setCampaignPaused(client, marketer.actor, created.id, true)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: created.id } })).status).toBe(
      "AWAITING_FUNDING",
    );
  });

  it("a campaign Alipay refuses is FAILED with the reason, and can be corrected and resubmitted", async () => {
    // A start time that is already past by the time Alipay sees it (e.g. a slow form submission).
    const failed = await createCampaign(
      client,
      marketer.actor,
      input({ startsAt: new Date(Date.now() - 60_000) }),
    );
    expect(failed).toMatchObject({
      status: "FAILED",
      failureCode: "isv.CASH_TIME_CHECK_FAILED",
      crowdNo: null,
    });
    expect(failed.failureMessage).toBeTruthy();

    const fixed = await resubmitCampaign(
      client,
      marketer.actor,
      failed.id,
      input({ name: failed.name, startsAt: null }),
    );
    expect(fixed.status).toBe("AWAITING_FUNDING");
    expect(await auditActions(failed.id)).toEqual([
      "campaign.create",
      "campaign.alipay_rejected",
      "campaign.resubmit",
      "campaign.alipay_created",
    ]);
  });

  it("a create that times out is UNKNOWN, then found with list.query, not created twice", async () => {
    alipay.sim.setFaults({
      rules: [{ methods: "alipay.marketing.campaign.cash.create", timeoutRate: 1, timeoutDelayMs: 2500 }],
    });
    const spec = input();
    const unknown = await createCampaign(client, marketer.actor, spec);
    expect(unknown).toMatchObject({ status: "UNKNOWN", crowdNo: null, failureCode: "timeout" });
    alipay.sim.setFaults({ rules: [] });

    const found = await syncCampaign(client, marketer.actor, unknown.id);
    expect(found.status).toBe("AWAITING_FUNDING");
    expect(found.crowdNo).toBeTruthy();
    const atAlipay = (
      await alipay.admin<Array<{ crowdNo: string; couponName: string }>>("/__sim/campaigns")
    ).filter((c) => c.couponName === spec.name);
    expect(atAlipay).toHaveLength(1);
    expect(await auditActions(unknown.id)).toContain("campaign.alipay_found");
  });

  it("a create that Alipay never processed is declared FAILED after repeated lookups, never re-created", async () => {
    alipay.sim.setFaults({ rules: [{ methods: "alipay.marketing.campaign.cash.create", unknownRate: 1 }] });
    const spec = input();
    const unknown = await createCampaign(client, marketer.actor, spec);
    expect(unknown.status).toBe("UNKNOWN");
    alipay.sim.setFaults({ rules: [] });
    // The lookups must also be spread over time: move the attempt into the past rather than wait.
    await db.campaign.update({
      where: { id: unknown.id },
      data: { createAttemptedAt: new Date(Date.now() - 10 * 60_000) },
    });
    expect((await syncCampaign(client, marketer.actor, unknown.id)).status).toBe("UNKNOWN");
    expect((await syncCampaign(client, marketer.actor, unknown.id)).status).toBe("UNKNOWN");
    const failed = await syncCampaign(client, marketer.actor, unknown.id);
    expect(failed).toMatchObject({ status: "FAILED", failureCode: "NOT_CREATED" });
    const atAlipay = (await alipay.admin<Array<{ couponName: string }>>("/__sim/campaigns")).filter(
      (c) => c.couponName === spec.name,
    );
    expect(atAlipay).toHaveLength(0);
  });

  it("detects drift between Alipay's send_amount and the console's spent figure", async () => {
    const created = await createCampaign(client, marketer.actor, input());
    await pay(created.crowdNo);
    await syncCampaign(client, marketer.actor, created.id);
    await alipay.admin(`/__sim/campaigns/${encodeURIComponent(created.crowdNo!)}/send-amount`, {
      sendAmountFen: 600,
    });
    const synced = await syncCampaign(client, marketer.actor, created.id);
    expect(synced).toMatchObject({ alipaySentFen: 600, spentFen: 0 });
    const detail = await getCampaignDetail(marketer.actor, created.id);
    expect(detail.alipaySentFen! - detail.spentFen).toBe(600);
    // The change in Alipay's figure is kept for the burn-down chart.
    expect(detail.snapshots.map((s) => s.alipaySentFen)).toEqual([0, 600]);
  });

  it("the background sync follows every campaign that is due, and leaves settled ones alone", async () => {
    const created = await createCampaign(client, marketer.actor, input());
    await pay(created.crowdNo);
    const result = await syncDueCampaigns(client);
    expect(result.failed).toBe(0);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: created.id } })).status).toBe("ACTIVE");
  });
});

describe("a process that dies while creating a campaign", () => {
  async function createInChild(crashAt: string) {
    const spec = input();
    const result = await runConsoleScript(
      "test/support/create-campaign-child.ts",
      [marketer.user.id, marketer.user.email, JSON.stringify(spec)],
      consoleEnv(alipay, { HONGBAO_CRASH_AT: crashAt }),
    );
    expect(result.signal, result.output).toBe("SIGKILL");
    const campaign = await db.campaign.findFirstOrThrow({ where: { name: spec.name } });
    expect(campaign.status).toBe("CREATING"); // stuck: no person can act on it
    return { spec, campaign };
  }

  async function atAlipay(name: string) {
    const all = await alipay.admin<Array<{ couponName: string }>>("/__sim/campaigns");
    return all.filter((c) => c.couponName === name);
  }

  it("after Alipay created it: the sweeper finds it with list.query and links it, never creating it twice", async () => {
    const { spec, campaign } = await createInChild("campaign.create.after-alipay");
    expect(await atAlipay(spec.name)).toHaveLength(1);
    // Not stale yet: left alone (the create call may still be under way).
    expect((await sweepStaleCreates(client)).swept).toBe(0);
    expect((await sweepStaleCreates(client, { staleAfterMs: 0 })).swept).toBe(1);
    const swept = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(swept.status).toBe("AWAITING_FUNDING");
    expect(swept.crowdNo).toBeTruthy();
    expect(await atAlipay(spec.name)).toHaveLength(1);
    expect(await auditActions(campaign.id)).toEqual([
      "campaign.create",
      "campaign.create_interrupted",
      "campaign.alipay_found",
    ]);
  });

  it("before the call went out: the sweeper's lookups find nothing and it becomes resubmittable", async () => {
    const { spec, campaign } = await createInChild("campaign.create.before-alipay");
    await sweepStaleCreates(client, { staleAfterMs: 0 });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe("UNKNOWN");
    await db.campaign.update({
      where: { id: campaign.id },
      data: { createAttemptedAt: new Date(Date.now() - 10 * 60_000) },
    });
    await syncCampaign(client, marketer.actor, campaign.id);
    const failed = await syncCampaign(client, marketer.actor, campaign.id);
    expect(failed).toMatchObject({ status: "FAILED", failureCode: "NOT_CREATED" });
    expect(await atAlipay(spec.name)).toHaveLength(0);
  });
});

describe("who may do what", () => {
  it("viewers can read but not create, pause or close", async () => {
    const viewer = await insertUser("viewer");
    const created = await createCampaign(client, marketer.actor, input());
    await expect(createCampaign(client, viewer.actor, input())).rejects.toBeInstanceOf(DomainError);
    await expect(closeCampaign(client, viewer.actor, created.id)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(syncCampaign(client, viewer.actor, created.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await getCampaignDetail(viewer.actor, created.id)).status).toBe("AWAITING_FUNDING");
    expect((await db.campaign.findUniqueOrThrow({ where: { id: created.id } })).status).toBe(
      "AWAITING_FUNDING",
    );
  });

  it("shows the campaign's activity to every reader, its audit details only to audit:read", async () => {
    const created = await createCampaign(client, marketer.actor, input());
    const approver = await insertUser("approver");
    const viewer = await insertUser("viewer");
    for (const reader of [marketer, approver]) {
      const { activity } = await getCampaignDetail(reader.actor, created.id);
      expect(activity.map((e) => e.action)).toContain("campaign.create");
      expect(activity.every((e) => e.details === null)).toBe(true);
      expect(JSON.stringify(activity)).not.toContain(marketer.actor.ip!);
    }
    const forAuditors = await getCampaignDetail(viewer.actor, created.id);
    const creation = forAuditors.activity.find((e) => e.action === "campaign.create");
    expect(creation?.details).toMatchObject({ ip: marketer.actor.ip, after: { name: created.name } });
  });

  it("shows an unpaid campaign's budget as a plan: nothing available until it is paid", async () => {
    const created = await createCampaign(
      client,
      marketer.actor,
      input({ budgetFen: 5_000, packetCount: 25 }),
    );
    const unpaid = await getCampaignDetail(marketer.actor, created.id);
    expect(unpaid).toMatchObject({ funded: false, budgetFen: 5_000, availableFen: 0 });
    await pay(created.crowdNo);
    await syncCampaign(client, marketer.actor, created.id);
    expect(await getCampaignDetail(marketer.actor, created.id)).toMatchObject({
      funded: true,
      availableFen: 5_000,
    });
  });

  it("lists campaigns with filters and search on the server", async () => {
    const created = await createCampaign(client, marketer.actor, input({ defaultScene: "INVITE_REWARD" }));
    const query = (q: Record<string, string>) => campaignListQuerySchema().parse(q);
    const byName = await listCampaigns(marketer.actor, query({ q: created.name }), "Asia/Shanghai");
    expect(byName.rows.map((r) => r.id)).toEqual([created.id]);
    const byCrowdNo = await listCampaigns(
      marketer.actor,
      query({ q: created.crowdNo ?? "" }),
      "Asia/Shanghai",
    );
    expect(byCrowdNo.rows.map((r) => r.id)).toEqual([created.id]);
    const filtered = await listCampaigns(
      marketer.actor,
      query({ q: created.name, scene: "POINTS_REDEMPTION" }),
      "Asia/Shanghai",
    );
    expect(filtered.total).toBe(0);
  });
});

describe("the budget invariant: available = budget − reserved − spent − refunded ≥ 0", () => {
  it("holds under 50 concurrent reservations: exactly as many succeed as fit", async () => {
    const campaign = await activeCampaign(10_000);
    const attempts = await Promise.all(Array.from({ length: 50 }, () => reserveBudget(db, campaign.id, 300)));
    expect(attempts.filter(Boolean)).toHaveLength(33); // 33 × ¥3.00 = ¥99.00 of ¥100.00
    const after = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(after.reservedFen).toBe(9_900);
    expect(availableFen(after)).toBe(100);
  });

  it("refuses reservations on a campaign that is not active", async () => {
    const created = await createCampaign(client, marketer.actor, input());
    expect(await reserveBudget(db, created.id, 100)).toBe(false);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: created.id } })).reservedFen).toBe(0);
  });

  it("is enforced by the database itself", async () => {
    const campaign = await activeCampaign(1_000);
    await expect(
      db.campaign.update({ where: { id: campaign.id }, data: { spentFen: 1_001 } }),
    ).rejects.toThrow(/Campaign_available_not_negative/);
  });

  it("recomputes from payouts, and the consistency check flags and clears disagreements", async () => {
    const campaign = await activeCampaign(5_000);
    const payout = (
      outBizNo: string,
      amountFen: number,
      status: "SUCCEEDED" | "PENDING_APPROVAL" | "FAILED",
      client: DbOrTx = db, // inside a transaction, only the transaction's client (PGlite would wait for itself)
    ) =>
      client.payout.create({
        data: {
          campaignId: campaign.id,
          outBizNo,
          identityType: "USER_ID",
          identity: "2088000000000001",
          amountFen,
          scene: "MANUAL",
          source: "CONSOLE",
          requestedByType: "SYSTEM",
          requestedByLabel: "test",
          status,
          succeededAt: status === "SUCCEEDED" ? new Date() : null,
        },
      });
    // The stored figures move with the payouts, as the payout flow does it.
    await db.$transaction(async (tx) => {
      await payout("a", 300, "SUCCEEDED", tx);
      expect(await reserveBudget(tx, campaign.id, 300)).toBe(true);
      await settleReservation(tx, campaign.id, 300, { spentFen: 300 });
      await payout("b", 200, "PENDING_APPROVAL", tx);
      expect(await reserveBudget(tx, campaign.id, 200)).toBe(true);
    });
    await payout("c", 999, "FAILED");
    expect(await recomputeBudget(db, campaign.id)).toEqual({
      reservedFen: 200,
      spentFen: 300,
      sentCount: 1,
      refundedFen: 0,
    });
    expect((await checkBudgets()).map((m) => m.campaignId)).not.toContain(campaign.id);

    // A figure changed behind the payouts' back is caught.
    await db.campaign.update({ where: { id: campaign.id }, data: { spentFen: 250 } });
    const mismatches = await checkBudgets();
    expect(mismatches.find((m) => m.campaignId === campaign.id)).toMatchObject({
      stored: { spentFen: 250 },
      recomputed: { spentFen: 300 },
    });
    expect(
      (await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).budgetMismatchAt,
    ).not.toBeNull();
    expect(await auditActions(campaign.id)).toContain("campaign.budget_mismatch");
    await db.campaign.update({ where: { id: campaign.id }, data: { spentFen: 300 } });
    await checkBudgets();
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).budgetMismatchAt).toBeNull();
  });
});

describe("the consistency check", () => {
  it("raises no false alarm while payouts are recorded concurrently (one snapshot for both sides)", async () => {
    const campaign = await activeCampaign(100_000);
    let written = 0;
    const writer = async (w: number) => {
      for (let i = 0; i < 25; i++) {
        await db.$transaction(async (tx) => {
          await tx.payout.create({
            data: {
              campaignId: campaign.id,
              outBizNo: `load_${w}_${i}`,
              identityType: "USER_ID",
              identity: "2088000000000001",
              amountFen: 10,
              requestedByType: "SYSTEM",
              requestedByLabel: "test",
              scene: "MANUAL",
              source: "CONSOLE",
              status: "PENDING_APPROVAL",
            },
          });
          expect(await reserveBudget(tx, campaign.id, 10)).toBe(true);
        });
        written += 1;
      }
    };
    const writers = Promise.all([0, 1, 2, 3].map(writer));
    const alarms: unknown[] = [];
    let checks = 0;
    while (written < 100) {
      alarms.push(...(await checkBudgets()).filter((m) => m.campaignId === campaign.id));
      checks += 1;
    }
    await writers;
    alarms.push(...(await checkBudgets()).filter((m) => m.campaignId === campaign.id));
    expect(checks).toBeGreaterThan(0);
    expect(alarms).toEqual([]);
    const after = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(after).toMatchObject({ reservedFen: 1_000, budgetMismatchAt: null });
  });

  it("includes refunds: a refunded figure that disagrees with the refund records is flagged", async () => {
    const created = await activeCampaign(2_000);
    await closeCampaign(client, marketer.actor, created.id);
    alipay.sim.advanceTime(31 * DAY);
    try {
      await syncCampaign(client, marketer.actor, created.id);
    } finally {
      alipay.sim.reset();
    }
    const settled = await db.campaign.findUniqueOrThrow({ where: { id: created.id } });
    expect(settled).toMatchObject({ status: "SETTLED", refundedFen: 2_000 });
    expect((await checkBudgets()).map((m) => m.campaignId)).not.toContain(created.id);

    await db.campaign.update({ where: { id: created.id }, data: { refundedFen: 1_500 } });
    expect((await checkBudgets()).find((m) => m.campaignId === created.id)).toMatchObject({
      stored: { refundedFen: 1_500 },
      recomputed: { refundedFen: 2_000 },
    });
  });
});

describe("system actors", () => {
  it("can sync (the background job) but create nothing in anyone's name", async () => {
    await expect(createCampaign(client, systemActor("job"), input())).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
