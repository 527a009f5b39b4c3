/**
 * Webhook events written by the database (the trigger on "AuditEvent"), against a real database and the simulator
 * over HTTP: every event type produces exactly one event, with one PENDING delivery per enabled endpoint that
 * subscribes to it, in the transaction of the change; nothing for a change that rolls back. Each change is made
 * through the real services and the real dispatcher (its batched path included).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Campaign, Payout } from "@/generated/prisma/client";
import type { AlipayClient } from "@/lib/alipay/client";
import { toApiCampaign, toApiPayout } from "@/lib/api/resources";
import { closeCampaign, syncCampaign } from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import { decidePayouts } from "@/lib/payouts/decisions";
import { movePayout } from "@/lib/payouts/move";
import { requestPayout } from "@/lib/payouts/request";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/webhooks/events";
import { createWebhookEndpoint, setWebhookEndpointActive } from "@/lib/webhooks/service";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import { activeCampaign, payoutRequest, testDispatcher, userId, waitUntilNone } from "../support/payouts";

const DAY = 24 * 60 * 60 * 1000;
/** Nothing listens here: this file only looks at what the database wrote (no relay runs). */
const NOWHERE = "http://127.0.0.1:9/hooks";
const PARTIAL_EVENTS: WebhookEventType[] = ["payout.succeeded", "campaign.active"];

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let approver: Awaited<ReturnType<typeof insertUser>>;
let admin: Awaited<ReturnType<typeof insertUser>>;
/** Subscribes to everything; to two events; to everything but disabled. */
const endpoints = { all: "", partial: "", disabled: "" };
const seen = new Set<string>();

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 600 });
  [marketer, approver, admin] = await Promise.all([
    insertUser("marketer"),
    insertUser("approver"),
    insertUser("admin"),
  ]);
  // Endpoints other test files left enabled would receive deliveries too and blur the counts below.
  await db.webhookEndpoint.updateMany({ where: { disabledAt: null }, data: { disabledAt: new Date() } });
  const create = async (events: WebhookEventType[]) =>
    (await createWebhookEndpoint(admin.actor, { url: NOWHERE, description: null, events })).endpoint.id;
  endpoints.all = await create([...WEBHOOK_EVENT_TYPES]);
  endpoints.partial = await create(PARTIAL_EVENTS);
  endpoints.disabled = await create([...WEBHOOK_EVENT_TYPES]);
  await setWebhookEndpointActive(admin.actor, { endpointId: endpoints.disabled, active: false });
});

afterAll(async () => {
  // Later test files (and their relays) must not find these endpoints or their deliveries.
  await db.webhookEndpoint.deleteMany({ where: { id: { in: Object.values(endpoints) } } });
  await alipay.sim.stop();
});
afterEach(() => alipay.sim.setFaults({ rules: [] }));

/** The one event of `type` about `entityId`, checked against the endpoints that should get it. */
async function theEvent(entityId: string, type: WebhookEventType) {
  const events = await db.webhookEvent.findMany({ where: { entityId, type }, include: { deliveries: true } });
  expect(events, `${type} events for ${entityId}`).toHaveLength(1);
  const event = events[0]!;
  const expected = [endpoints.all, ...(PARTIAL_EVENTS.includes(type) ? [endpoints.partial] : [])].sort();
  expect(event.deliveries.map((d) => d.endpointId).sort()).toEqual(expected);
  for (const delivery of event.deliveries)
    expect(delivery).toMatchObject({ status: "PENDING", attemptCount: 0, enqueuedAt: null });
  seen.add(type);
  return event;
}

/**
 * What the event's `data` must be: the payout or campaign exactly as the API shows it (lib/api/resources.ts), so
 * the trigger's SQL and the API's mapping cannot drift apart.
 */
const payoutData = (p: Payout) => toApiPayout(p);
const campaignData = (c: Campaign) => toApiCampaign(c);

async function dispatchAll(
  campaignId: string,
  retry?: { baseDelayMs: number; maxDelayMs: number; maxAttempts: number },
) {
  const dispatcher = testDispatcher(client, retry ? { retry } : {});
  dispatcher.start();
  await waitUntilNone(campaignId, ["APPROVED", "SENDING", "UNKNOWN"]);
  await dispatcher.stop();
}

describe("the webhook trigger", () => {
  it("campaign.active: a paid campaign that the sync finds ready", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor);
    const event = await theEvent(campaign.id, "campaign.active");
    const row = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(event).toMatchObject({ entityType: "Campaign", entityId: campaign.id });
    expect(event.data).toMatchObject({ ...campaignData(row), status: "ACTIVE" });
  });

  it("payout.succeeded through the dispatcher's batched path: data is the payout row, SUCCEEDED", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    const requested = await Promise.all(
      [1, 2, 3].map((i) =>
        requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(5_200_600 + i) })),
      ),
    );
    await dispatchAll(campaign.id);
    for (const { payout } of requested) {
      const row = await db.payout.findUniqueOrThrow({ where: { id: payout.id } });
      expect(row.status).toBe("SUCCEEDED");
      // The batched path (one statement for the batch) writes a shorter audit snapshot than movePayout.
      const audit = await db.auditEvent.findFirstOrThrow({
        where: { entityId: payout.id, action: "payout.succeed" },
      });
      expect(audit.after).not.toHaveProperty("failureCode");
      const event = await theEvent(payout.id, "payout.succeeded");
      expect(event.entityType).toBe("Payout");
      expect(event.data).toEqual(payoutData(row));
      expect(event.data).toMatchObject({ status: "SUCCEEDED", awardedFen: 100 });
    }
  });

  it("payout.failed: Alipay refuses the recipient", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor);
    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: "2088999900000001" }),
    );
    await dispatchAll(campaign.id);
    const row = await db.payout.findUniqueOrThrow({ where: { id: payout.id } });
    expect(row.status).toBe("FAILED");
    expect((await theEvent(payout.id, "payout.failed")).data).toEqual(payoutData(row));
    expect(await db.webhookEvent.count({ where: { entityId: payout.id } })).toBe(1);
  });

  it("payout.needs_attention: every trigger times out and the retry budget is one call", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor);
    await alipay.sim.setFaults({
      rules: [{ methods: "alipay.marketing.campaign.cash.trigger", timeoutRate: 1, timeoutDelayMs: 1500 }],
    });
    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: userId(5_200_610) }),
    );
    await dispatchAll(campaign.id, { baseDelayMs: 600_000, maxDelayMs: 600_000, maxAttempts: 1 });
    const row = await db.payout.findUniqueOrThrow({ where: { id: payout.id } });
    expect(row.status).toBe("NEEDS_ATTENTION");
    expect((await theEvent(payout.id, "payout.needs_attention")).data).toEqual(payoutData(row));
  });

  it("payout.rejected: an approver rejects; a rejection that rolls back writes nothing", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      autoApproveMaxFen: 0,
      autoApproveDailyCapFen: 0,
    });
    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: userId(5_200_620) }),
    );
    expect(payout.status).toBe("PENDING_APPROVAL");

    // The real move, audit event and all, in a transaction that then fails.
    let movedInside: string | undefined;
    let eventsInside = -1;
    const failure = await db
      .$transaction(async (tx) => {
        const moved = await movePayout(tx, approver.actor, payout, "REJECTED", "reject", {
          decisionReason: "no",
        });
        movedInside = moved?.status;
        // The trigger is deferred to the commit, which never comes.
        eventsInside = await tx.webhookEvent.count({ where: { entityId: payout.id } });
        throw new Error("roll back");
      })
      .catch((error: unknown) => error);
    expect(movedInside).toBe("REJECTED");
    expect(eventsInside).toBe(0);
    expect((failure as Error).message).toBe("roll back");
    expect((await db.payout.findUniqueOrThrow({ where: { id: payout.id } })).status).toBe("PENDING_APPROVAL");
    expect(await db.webhookEvent.count({ where: { entityId: payout.id } })).toBe(0);
    expect(await db.webhookDelivery.count({ where: { event: { entityId: payout.id } } })).toBe(0);

    const outcome = await decidePayouts(approver.actor, {
      payoutIds: [payout.id],
      decision: "reject",
      reason: "duplicate redemption",
    });
    expect(outcome.done).toEqual([payout.id]);
    const row = await db.payout.findUniqueOrThrow({ where: { id: payout.id } });
    const event = await theEvent(payout.id, "payout.rejected");
    expect(event.data).toMatchObject({
      ...payoutData(row),
      status: "REJECTED",
      decisionReason: "duplicate redemption",
    });
  });

  it("campaign.budget_low: of 10 concurrent requests, the one that crosses below 10 % records it once", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(5_200_700 + i) })),
      ),
    );
    const audits = await db.auditEvent.findMany({
      where: { entityId: campaign.id, action: "campaign.budget_low" },
    });
    expect(audits).toHaveLength(1);
    // 9 × 100 held leaves 100 of 1000 (exactly 10 %: not low); the 10th leaves 0.
    expect(audits[0]).toMatchObject({ actorType: "SYSTEM", after: { availableFen: 0, budgetFen: 1_000 } });
    const row = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    const event = await theEvent(campaign.id, "campaign.budget_low");
    expect(event.data).toMatchObject({ ...campaignData(row), reservedFen: 1_000, availableFen: 0 });
    await dispatchAll(campaign.id); // leave no approved payouts for other files' dispatchers
  });

  it("nothing for a campaign that stays at or above 10 %", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    for (let i = 0; i < 9; i++)
      await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(5_200_800 + i) }));
    expect(
      await db.auditEvent.count({ where: { entityId: campaign.id, action: "campaign.budget_low" } }),
    ).toBe(0);
    expect(
      await db.webhookEvent.count({ where: { entityId: campaign.id, type: "campaign.budget_low" } }),
    ).toBe(0);
    await dispatchAll(campaign.id);
  });

  it("campaign.settled: data includes the refund recorded in the same transaction", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 2_000,
      packetCount: 20,
    });
    await closeCampaign(client, marketer.actor, campaign.id);
    alipay.sim.advanceTime(31 * DAY);
    try {
      expect((await syncCampaign(client, marketer.actor, campaign.id)).status).toBe("SETTLED");
    } finally {
      alipay.sim.reset(); // back to the real clock
    }
    const row = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(row.refundedFen).toBe(2_000);
    const event = await theEvent(campaign.id, "campaign.settled");
    expect(event.data).toMatchObject({
      ...campaignData(row),
      status: "SETTLED",
      refundedFen: 2_000,
      availableFen: 0,
    });
  });

  it("covered every event type", () => {
    expect([...seen].sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });

  it("wrote nothing for the disabled endpoint", async () => {
    expect(await db.webhookDelivery.count({ where: { endpointId: endpoints.disabled } })).toBe(0);
  });
});
