/**
 * Webhook delivery end to end: real database, real pg-boss on it (the relay and the `webhook.deliver` worker as
 * lib/jobs/worker.ts starts them, with a 1-second retry base), real HTTP to a local receiver, the simulator for
 * the changes that produce events. Nothing is mocked.
 */
import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AlipayClient } from "@/lib/alipay/client";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { requestPayout } from "@/lib/payouts/request";
import type { WebhookEventType } from "@/lib/webhooks/events";
import {
  relayWebhookDeliveries,
  startWebhookDelivery,
  WEBHOOK_QUEUE,
  type WebhookDeliveryService,
  type WebhookRetryPolicy,
} from "@/lib/webhooks/relay";
import {
  createWebhookEndpoint,
  resendWebhookDelivery,
  setWebhookEndpointActive,
} from "@/lib/webhooks/service";
import {
  verifyWebhook,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  type WebhookBody,
} from "@/lib/webhooks/signing";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import { activeCampaign, payoutRequest, testDispatcher, userId, waitUntilNone } from "../support/payouts";
import { startWebhookReceiver, type ReceivedWebhook } from "../support/webhooks";

const RETRY: WebhookRetryPolicy = { baseSeconds: 1, maxAttempts: 3 };

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let admin: Awaited<ReturnType<typeof insertUser>>;
let boss: PgBoss;
let service: WebhookDeliveryService | null = null;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const created: string[] = [];

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 600 });
  [marketer, admin] = await Promise.all([insertUser("marketer"), insertUser("admin")]);
  await db.webhookEndpoint.updateMany({ where: { disabledAt: null }, data: { disabledAt: new Date() } });
  receiver = await startWebhookReceiver({ "/flaky": [500, 500, 200], "/recovering": [503, 503, 503, 200] });
  boss = new PgBoss({ connectionString: inject("databaseUrl"), schema: "pgboss", max: 3 });
  boss.on("error", (error) => console.error("[pg-boss]", error.message));
  await boss.start();
  await boss.createQueue(WEBHOOK_QUEUE);
});

afterAll(async () => {
  await service?.stop();
  await boss.stop({ graceful: true, timeout: 5_000 });
  await receiver.close();
  await db.webhookEndpoint.deleteMany({ where: { id: { in: created } } });
  await alipay.sim.stop();
});

async function endpoint(path: string, events: WebhookEventType[]) {
  const result = await createWebhookEndpoint(admin.actor, {
    url: receiver.url(path),
    description: path,
    events,
  });
  created.push(result.endpoint.id);
  return { id: result.endpoint.id, secret: result.secret, path };
}

async function disable(...endpoints: Array<{ id: string }>) {
  for (const e of endpoints) await setWebhookEndpointActive(admin.actor, { endpointId: e.id, active: false });
}

function bodyOf(request: ReceivedWebhook): WebhookBody {
  return JSON.parse(request.rawBody) as WebhookBody;
}

async function deliveryOf(endpointId: string, entityId: string) {
  return db.webhookDelivery.findFirstOrThrow({
    where: { endpointId, event: { entityId } },
    include: { attempts: { orderBy: { number: "asc" } }, event: true },
    orderBy: { createdAt: "asc" },
  });
}

async function settled(deliveryId: string): Promise<boolean> {
  const d = await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
  return d.status !== "PENDING";
}

describe("webhook delivery through pg-boss", () => {
  it("queues a delivery once even when the relay hands it over twice (a crash before marking)", async () => {
    const target = await endpoint("/dedupe", ["campaign.active"]);
    const campaign = await activeCampaign(alipay, client, marketer.actor);
    const pending = await deliveryOf(target.id, campaign.id);
    expect(pending).toMatchObject({ status: "PENDING", enqueuedAt: null });

    expect(await relayWebhookDeliveries(boss, RETRY)).toBeGreaterThanOrEqual(1);
    expect(
      (await db.webhookDelivery.findUniqueOrThrow({ where: { id: pending.id } })).enqueuedAt,
    ).not.toBeNull();
    // As if the process died after pg-boss took the job but before the row was marked.
    await db.webhookDelivery.update({ where: { id: pending.id }, data: { enqueuedAt: null } });
    await relayWebhookDeliveries(boss, RETRY);
    const [jobs] = await db.$queryRaw<{ n: number }[]>`
      SELECT COUNT(*)::int AS n FROM pgboss.job WHERE name = ${WEBHOOK_QUEUE} AND id = ${pending.id}::uuid`;
    expect(jobs?.n).toBe(1);
    const job = await boss.getJobById<{ deliveryId: string }>(WEBHOOK_QUEUE, pending.id);
    expect(job).toMatchObject({
      data: { deliveryId: pending.id },
      retryLimit: 2,
      retryDelay: 1,
      retryBackoff: true,
    });

    // The worker, as lib/jobs/worker.ts starts it: the one job is delivered once.
    service = await startWebhookDelivery(boss, { pollMs: 100, retry: RETRY, timeoutMs: 3_000 });
    await receiver.waitFor(() => settled(pending.id));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(receiver.to("/dedupe")).toHaveLength(1);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      status: "DELIVERED",
      attemptCount: 1,
    });
    await disable(target);
  });

  let sample: { request: ReceivedWebhook; secret: string } | null = null;

  it("delivers each event once per subscribed endpoint, signed so that verifyWebhook accepts it", async () => {
    const all = await endpoint("/all", [
      "payout.succeeded",
      "payout.failed",
      "payout.needs_attention",
      "payout.rejected",
      "campaign.active",
      "campaign.budget_low",
      "campaign.settled",
    ]);
    const paid = await endpoint("/paid", ["payout.succeeded"]);
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    const payouts = await Promise.all(
      [1, 2].map((i) =>
        requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(5_100_900 + i) })),
      ),
    );
    const dispatcher = testDispatcher(client);
    dispatcher.start();
    await waitUntilNone(campaign.id, ["APPROVED", "SENDING", "UNKNOWN"]);
    await dispatcher.stop();

    const events = await db.webhookEvent.findMany({
      where: { entityId: { in: [campaign.id, ...payouts.map((p) => p.payout.id)] } },
    });
    expect(events.map((e) => e.type).sort()).toEqual([
      "campaign.active",
      "payout.succeeded",
      "payout.succeeded",
    ]);
    // The dispatcher also sends payouts other test files left approved, whose events reach these endpoints too:
    // only this test's events are counted.
    const mine = new Set(events.map((e) => e.id));
    const requestsFor = (path: string) =>
      receiver.to(path).filter((r) => mine.has(String(r.headers[WEBHOOK_ID_HEADER.toLowerCase()])));
    await receiver.waitFor(() => requestsFor("/all").length >= 3 && requestsFor("/paid").length >= 2);
    await new Promise((r) => setTimeout(r, 1_500)); // anything more would be a duplicate

    const expectations: Array<[typeof all, string[]]> = [
      [all, events.map((e) => e.id)],
      [paid, events.filter((e) => e.type === "payout.succeeded").map((e) => e.id)],
    ];
    for (const [target, eventIds] of expectations) {
      const requests = requestsFor(target.path);
      expect(requests.map((r) => r.headers[WEBHOOK_ID_HEADER.toLowerCase()]).sort()).toEqual(
        [...eventIds].sort(),
      );
      for (const request of requests) {
        expect(verifyWebhook(target.secret, request.headers, request.rawBody)).toMatchObject({ ok: true });
        expect(request.headers["content-type"]).toBe("application/json");
        const body = bodyOf(request);
        const event = events.find((e) => e.id === body.id)!;
        expect(body).toEqual({
          id: event.id,
          type: event.type,
          createdAt: event.createdAt.toISOString(),
          data: event.data,
        });
      }
      const deliveries = await db.webhookDelivery.findMany({
        where: { endpointId: target.id, eventId: { in: eventIds } },
        include: { attempts: true },
      });
      expect(deliveries).toHaveLength(eventIds.length);
      for (const d of deliveries) {
        expect(d).toMatchObject({ status: "DELIVERED", attemptCount: 1 });
        expect(d.enqueuedAt).not.toBeNull();
        expect(d.deliveredAt).not.toBeNull();
        expect(d.attempts).toEqual([
          expect.objectContaining({ number: 1, statusCode: 200, error: null, responseExcerpt: "ok" }),
        ]);
      }
    }
    const paidRequest = requestsFor("/paid")[0]!;
    expect(bodyOf(paidRequest)).toMatchObject({
      type: "payout.succeeded",
      data: { status: "SUCCEEDED", awardedFen: 100 },
    });
    sample = { request: paidRequest, secret: paid.secret };
    await disable(all, paid);
  });

  it("a forged signature, the wrong secret or an old timestamp fail verifyWebhook", () => {
    const { request, secret } = sample!;
    const timestamp = Number(request.headers[WEBHOOK_TIMESTAMP_HEADER.toLowerCase()]);
    expect(verifyWebhook(secret, request.headers, request.rawBody).ok).toBe(true);
    const forged = { ...request.headers, [WEBHOOK_SIGNATURE_HEADER.toLowerCase()]: `v1=${"0".repeat(64)}` };
    expect(verifyWebhook(secret, forged, request.rawBody)).toEqual({ ok: false, reason: "bad-signature" });
    const tampered = request.rawBody.replace('"awardedFen":100', '"awardedFen":100000');
    expect(tampered).not.toBe(request.rawBody);
    expect(verifyWebhook(secret, request.headers, tampered)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyWebhook(`${secret}x`, request.headers, request.rawBody)).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    expect(
      verifyWebhook(secret, request.headers, request.rawBody, { now: new Date((timestamp + 301) * 1000) }),
    ).toEqual({
      ok: false,
      reason: "timestamp-out-of-tolerance",
    });
  });

  it("retries a receiver that answers 500 twice: delivered on the third attempt, all three logged", async () => {
    const flaky = await endpoint("/flaky", ["campaign.active"]);
    const campaign = await activeCampaign(alipay, client, marketer.actor);
    const delivery = await deliveryOf(flaky.id, campaign.id);
    await receiver.waitFor(() => settled(delivery.id), 30_000);

    const requests = receiver.to("/flaky");
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      expect(request.headers[WEBHOOK_ID_HEADER.toLowerCase()]).toBe(delivery.eventId);
      expect(verifyWebhook(flaky.secret, request.headers, request.rawBody).ok).toBe(true);
    }
    // pg-boss waited at least the base delay before each retry.
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(900);
    expect(requests[2]!.at - requests[1]!.at).toBeGreaterThanOrEqual(1_900);

    const done = await deliveryOf(flaky.id, campaign.id);
    expect(done).toMatchObject({ status: "DELIVERED", attemptCount: 3 });
    expect(done.attempts.map((a) => [a.number, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(done.attempts[0]).toMatchObject({ error: null, responseExcerpt: "failing on purpose (call 1)" });
    expect(done.attempts.every((a) => a.latencyMs >= 0)).toBe(true);
    await disable(flaky);
  });

  it("gives up after the last attempt (FAILED), and a resend is a new delivery that is delivered", async () => {
    const recovering = await endpoint("/recovering", ["campaign.active"]);
    const campaign = await activeCampaign(alipay, client, marketer.actor);
    const first = await deliveryOf(recovering.id, campaign.id);
    await receiver.waitFor(() => settled(first.id), 30_000);
    const failed = await deliveryOf(recovering.id, campaign.id);
    expect(failed).toMatchObject({ id: first.id, status: "FAILED", attemptCount: 3, deliveredAt: null });
    expect(failed.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503]);

    const { deliveryId } = await resendWebhookDelivery(admin.actor, failed.id);
    expect(deliveryId).not.toBe(failed.id);
    await receiver.waitFor(() => settled(deliveryId), 30_000);
    const resent = await db.webhookDelivery.findUniqueOrThrow({
      where: { id: deliveryId },
      include: { attempts: true },
    });
    expect(resent).toMatchObject({
      eventId: failed.eventId,
      endpointId: recovering.id,
      status: "DELIVERED",
      attemptCount: 1,
    });
    expect(resent.attempts.map((a) => a.statusCode)).toEqual([200]);
    // The failed delivery and its attempts stay as they were.
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({
      status: "FAILED",
      attemptCount: 3,
    });
    const requests = receiver.to("/recovering");
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.headers[WEBHOOK_ID_HEADER.toLowerCase()]))).toEqual(
      new Set([failed.eventId]),
    );
    expect(new Set(requests.map((r) => r.rawBody)).size).toBe(1);
    expect(verifyWebhook(recovering.secret, requests[3]!.headers, requests[3]!.rawBody).ok).toBe(true);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "webhook.resend", entityId: recovering.id },
    });
    expect(audit.after).toMatchObject({ deliveryId, resentFrom: failed.id, eventId: failed.eventId });

    // Resending to a disabled endpoint is refused.
    await disable(recovering);
    const refusal = await resendWebhookDelivery(admin.actor, failed.id).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).ref.key).toBe("webhooks.errors.endpointDisabled");
  });
});
