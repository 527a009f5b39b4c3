/**
 * The approval queue, the send form's context and the dashboard's payout figures, against a real database and
 * the simulator over HTTP: rows as an approver sees them (own requests marked, recipients masked, the budget
 * left and the day's auto-approved total beside each), what the send form is told for fixed and random
 * campaigns, and the dashboard's counts after real payouts pend, fail, succeed and go unresolved.
 */
import crypto from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AlipayClient } from "@/lib/alipay/client";
import { spendableFen } from "@/lib/budget/figures";
import { createCampaign, setCampaignPaused } from "@/lib/campaigns/service";
import { dashboardSummary } from "@/lib/campaigns/queries";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { listPendingApprovals } from "@/lib/payouts/approvals";
import { decidePayouts } from "@/lib/payouts/decisions";
import { requestPayout } from "@/lib/payouts/request";
import { getSendContext } from "@/lib/payouts/send-context";
import { approvalListQuerySchema } from "@/lib/validation/approvals";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import { activeCampaign, campaignInput, testDispatcher, userId, payoutRequest } from "../support/payouts";

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let approver: Awaited<ReturnType<typeof insertUser>>;
let admin: Awaited<ReturnType<typeof insertUser>>;
let viewer: Awaited<ReturnType<typeof insertUser>>;

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 600 });
  [marketer, approver, admin, viewer] = await Promise.all([
    insertUser("marketer"),
    insertUser("approver"),
    insertUser("admin"),
    insertUser("viewer"),
  ]);
});
afterAll(() => alipay.sim.stop());
afterEach(() => alipay.sim.setFaults({ rules: [] }));

function query(params: Record<string, string> = {}) {
  return approvalListQuerySchema().parse(params);
}

/** A name no other test's campaign contains, so `q` finds exactly this test's payouts. */
function tag(): string {
  return `Approvals-${crypto.randomUUID().slice(0, 8)}`;
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/** Runs a dispatcher until nothing due is left to send or resolve anywhere, so counts measured after hold still. */
async function drain(retry?: { baseDelayMs: number; maxDelayMs: number; maxAttempts: number }) {
  const dispatcher = testDispatcher(client, retry ? { retry } : {});
  dispatcher.start();
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      const now = new Date();
      const left = await db.payout.count({
        where: {
          OR: [
            { status: "SENDING", leaseExpiresAt: { gt: now } },
            {
              status: { in: ["APPROVED", "UNKNOWN"] },
              nextAttemptAt: { lte: now },
              campaign: { status: "ACTIVE" },
            },
          ],
        },
      });
      if (left === 0) return;
      if (Date.now() > deadline) throw new Error(`${left} payouts still due`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await dispatcher.stop();
  }
}

describe("listPendingApprovals", () => {
  it("lists pending payouts with own requests marked, recipients masked, budget left and today's auto total", async () => {
    const name = tag();
    // Campaign A approves nothing automatically; B approves up to ¥2.00 a day automatically.
    const a = await activeCampaign(alipay, client, marketer.actor, {
      name: `${name} A`,
      autoApproveMaxFen: 0,
      autoApproveDailyCapFen: 0,
    });
    const b = await activeCampaign(alipay, client, marketer.actor, {
      name: `${name} B`,
      budgetFen: 20_000,
      packetCount: 100,
      autoApproveMaxFen: 1_000,
      autoApproveDailyCapFen: 400,
    });
    const byMarketer = await requestPayout(
      marketer.actor,
      payoutRequest(a.id, { identity: userId(201), memo: "points #1" }),
    );
    const byAdmin = await requestPayout(
      admin.actor,
      payoutRequest(a.id, { identityType: "LOGIN_ID", identity: "13800138000", scene: "INVITE_REWARD" }),
    );
    const autoStatuses = [];
    for (let i = 0; i < 3; i++)
      autoStatuses.push(
        (await requestPayout(marketer.actor, payoutRequest(b.id, { identity: userId(210 + i) }))).payout,
      );
    expect(autoStatuses.map((p) => p.status)).toEqual(["APPROVED", "APPROVED", "PENDING_APPROVAL"]);
    const pendingB = autoStatuses[2]!;

    const asAdmin = await listPendingApprovals(admin.actor, query({ q: name }));
    expect(asAdmin.total).toBe(3);
    expect(asAdmin.page).toBe(1);
    // Oldest first by default: first come, first decided.
    expect(asAdmin.rows.map((r) => r.id)).toEqual([byMarketer.payout.id, byAdmin.payout.id, pendingB.id]);
    const [first, own, fromB] = asAdmin.rows;
    expect(first).toMatchObject({
      isOwn: false,
      requestedByLabel: marketer.actor.email,
      identityType: "USER_ID",
      recipient: "2088********0201",
      amountFen: 100,
      prizeType: "FIXED",
      campaign: { id: a.id, name: `${name} A` },
      scene: "POINTS_REDEMPTION",
      memo: "points #1",
      source: "CONSOLE",
      outBizNo: byMarketer.payout.outBizNo,
      autoApprovedTodayFen: 0,
      autoApproveDailyCapFen: 0,
    });
    expect(own).toMatchObject({ isOwn: true, recipient: "138****8000", scene: "INVITE_REWARD" });
    // The budget left is the campaign's spendable figure, with every hold (these payouts' included) taken out.
    const campaignA = await db.campaign.findUniqueOrThrow({ where: { id: a.id } });
    const campaignB = await db.campaign.findUniqueOrThrow({ where: { id: b.id } });
    expect(first!.budgetLeftFen).toBe(spendableFen(campaignA));
    expect(first!.budgetLeftFen).toBe(10_000 - 200);
    expect(fromB).toMatchObject({
      isOwn: false,
      amountFen: 200,
      budgetLeftFen: spendableFen(campaignB),
      autoApprovedTodayFen: 400,
      autoApproveDailyCapFen: 400,
    });
    // Nothing of the full recipient reaches the page.
    const text = JSON.stringify(asAdmin.rows);
    expect(text).not.toContain(userId(201));
    expect(text).not.toContain("13800138000");

    // Someone else's view: nothing is theirs. A viewer reads the same list.
    const asApprover = await listPendingApprovals(approver.actor, query({ q: name }));
    expect(asApprover.rows.map((r) => r.isOwn)).toEqual([false, false, false]);
    const asViewer = await listPendingApprovals(viewer.actor, query({ q: name }));
    expect(asViewer.rows.map((r) => r.id)).toEqual(asApprover.rows.map((r) => r.id));
    expect((await refusal(listPendingApprovals(marketer.actor, query()))).code).toBe("FORBIDDEN");

    // Sorted by amount, paged; a page past the end shows the last one.
    const byAmount = await listPendingApprovals(approver.actor, query({ q: name, sort: "amountFen.desc" }));
    expect(byAmount.rows[0]!.id).toBe(pendingB.id);
    const pastEnd = await listPendingApprovals(approver.actor, query({ q: name, pageSize: "10", page: "9" }));
    expect(pastEnd).toMatchObject({ total: 3, page: 1 });
    // Finding by business reference.
    const byRef = await listPendingApprovals(approver.actor, query({ q: byAdmin.payout.outBizNo }));
    expect(byRef.rows.map((r) => r.id)).toEqual([byAdmin.payout.id]);

    // Decided payouts leave the queue; the admin's own request stays for someone else.
    const decided = await decidePayouts(admin.actor, {
      payoutIds: [byMarketer.payout.id, byAdmin.payout.id],
      decision: "reject",
      reason: "not eligible",
    });
    expect(decided).toEqual({
      done: [byMarketer.payout.id],
      refused: [{ id: byAdmin.payout.id, reason: "payouts.errors.ownRequest" }],
    });
    const after = await listPendingApprovals(approver.actor, query({ q: name }));
    expect(after.rows.map((r) => r.id)).toEqual([byAdmin.payout.id, pendingB.id]);
    expect(after.rows[0]!.budgetLeftFen).toBe(10_000 - 100);

    await decidePayouts(approver.actor, {
      payoutIds: [byAdmin.payout.id, pendingB.id],
      decision: "reject",
      reason: "tidy up",
    });
    await drain();
  });

  it("says a random packet's hold is the most it can be", async () => {
    const name = tag();
    const random = await activeCampaign(alipay, client, marketer.actor, {
      name,
      prizeType: "RANDOM",
      autoApproveMaxFen: 0,
      autoApproveDailyCapFen: 0,
    });
    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(random.id, { identity: userId(220) }),
    );
    const { rows } = await listPendingApprovals(approver.actor, query({ q: name }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: payout.id,
      prizeType: "RANDOM",
      amountFen: 150,
      budgetLeftFen: 9_850,
    });
    await decidePayouts(approver.actor, { payoutIds: [payout.id], decision: "reject", reason: "tidy up" });
  });
});

describe("getSendContext", () => {
  it("a fixed campaign: the packet, the budget left and the policy with today's auto-approved total", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      defaultScene: "INVITE_REWARD",
      autoApproveMaxFen: 500,
      autoApproveDailyCapFen: 1_000,
    });
    expect(await getSendContext(marketer.actor, campaign.id)).toEqual({
      campaignId: campaign.id,
      canSend: true,
      prizeType: "FIXED",
      packetFen: 100,
      maxPacketFen: 100,
      minPacketFen: 100,
      spendableFen: 10_000,
      autoApproveMaxFen: 500,
      autoApproveDailyCapFen: 1_000,
      autoApprovedTodayFen: 0,
      defaultScene: "INVITE_REWARD",
      // Alipay sizes the cash campaign's packets; no payee name is asked for.
      amountFromRequest: false,
      payeeNameForLoginId: false,
    });
    await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(230) }));
    expect(await getSendContext(admin.actor, campaign.id)).toMatchObject({
      spendableFen: 9_900,
      autoApprovedTodayFen: 100,
    });
    await drain();
  });

  it("a random campaign: decided by Alipay, up to the largest packet", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, { prizeType: "RANDOM" });
    expect(await getSendContext(marketer.actor, campaign.id)).toMatchObject({
      canSend: true,
      prizeType: "RANDOM",
      packetFen: null,
      maxPacketFen: 150,
      minPacketFen: 20,
      spendableFen: 10_000,
    });
  });

  it("cannot send before the budget is paid or while paused; only requesters may ask", async () => {
    const unpaid = await createCampaign(client, marketer.actor, campaignInput());
    expect(await getSendContext(marketer.actor, unpaid.id)).toMatchObject({
      canSend: false,
      spendableFen: 0,
    });
    const paused = await activeCampaign(alipay, client, marketer.actor);
    await setCampaignPaused(client, marketer.actor, paused.id, true);
    expect(await getSendContext(marketer.actor, paused.id)).toMatchObject({ canSend: false });
    expect((await refusal(getSendContext(approver.actor, paused.id))).code).toBe("FORBIDDEN");
    expect((await refusal(getSendContext(viewer.actor, paused.id))).code).toBe("FORBIDDEN");
    expect((await refusal(getSendContext(marketer.actor, "no-such-campaign"))).code).toBe("NOT_FOUND");
  });
});

describe("dashboardSummary", () => {
  it("counts pending, needing attention, being confirmed, failed in 24 h and sent today", async () => {
    await drain();
    const before = await dashboardSummary(admin.actor);

    const pending = await activeCampaign(alipay, client, marketer.actor, {
      autoApproveMaxFen: 0,
      autoApproveDailyCapFen: 0,
    });
    for (let i = 0; i < 2; i++)
      await requestPayout(marketer.actor, payoutRequest(pending.id, { identity: userId(300 + i) }));

    // Two paid, one refused by Alipay (the simulator knows no such user).
    const sending = await activeCampaign(alipay, client, marketer.actor);
    await requestPayout(marketer.actor, payoutRequest(sending.id, { identity: userId(310) }));
    await requestPayout(marketer.actor, payoutRequest(sending.id, { identity: userId(311) }));
    await requestPayout(marketer.actor, payoutRequest(sending.id, { identity: "2088999900000001" }));
    await drain();

    // Every trigger times out: one payout gives up at once (a person must look), one waits to be confirmed.
    const stuck = await activeCampaign(alipay, client, marketer.actor);
    await alipay.sim.setFaults({
      rules: [{ methods: "alipay.marketing.campaign.cash.trigger", timeoutRate: 1, timeoutDelayMs: 1500 }],
    });
    const attention = await requestPayout(marketer.actor, payoutRequest(stuck.id, { identity: userId(320) }));
    await drain({ baseDelayMs: 10 * 60_000, maxDelayMs: 10 * 60_000, maxAttempts: 1 });
    const unknown = await requestPayout(marketer.actor, payoutRequest(stuck.id, { identity: userId(321) }));
    await drain({ baseDelayMs: 10 * 60_000, maxDelayMs: 10 * 60_000, maxAttempts: 5 });
    await alipay.sim.setFaults({ rules: [] });
    const statuses = await db.payout.findMany({
      where: { id: { in: [attention.payout.id, unknown.payout.id] } },
      select: { id: true, status: true },
    });
    expect(new Map(statuses.map((p) => [p.id, p.status]))).toEqual(
      new Map([
        [attention.payout.id, "NEEDS_ATTENTION"],
        [unknown.payout.id, "UNKNOWN"],
      ]),
    );

    const after = await dashboardSummary(admin.actor);
    expect(after.pendingApprovals - before.pendingApprovals).toBe(2);
    expect(after.failedLast24h - before.failedLast24h).toBe(1);
    expect(after.needsAttention - before.needsAttention).toBe(1);
    expect(after.beingConfirmed - before.beingConfirmed).toBe(1);
    expect(after.sentToday.count - before.sentToday.count).toBe(2);
    expect(after.sentToday.amountFen - before.sentToday.amountFen).toBe(200);
    expect(after.spentWeekFen - before.spentWeekFen).toBe(200);
    expect(after.activeCount - before.activeCount).toBe(3);

    // "Today" is the Beijing day of `now`: the day before saw none of these payments.
    const yesterday = await dashboardSummary(admin.actor, new Date(Date.now() - 24 * 60 * 60 * 1000));
    expect(yesterday.sentToday).toEqual({ count: 0, amountFen: 0 });

    // Leave nothing for other files' dispatchers: the stuck campaign stops sending.
    await setCampaignPaused(client, marketer.actor, stuck.id, true);
  });
});
