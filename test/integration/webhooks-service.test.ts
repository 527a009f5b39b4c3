/**
 * The webhook settings services and the delivery handler itself (lib/webhooks/deliver.ts, called directly as the
 * pg-boss job would call it), against a real database, the simulator for the events and a real HTTP receiver.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlipayClient } from "@/lib/alipay/client";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import {
  createWebhookEndpointSchema,
  webhookDeliveriesListQuerySchema,
  webhookEndpointsListQuerySchema,
} from "@/lib/validation/webhooks";
import { deliverWebhook, WebhookAttemptFailed } from "@/lib/webhooks/deliver";
import {
  createWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookAttempts,
  listWebhookDeliveries,
  listWebhookEndpoints,
  resendWebhookDelivery,
  setWebhookEndpointActive,
} from "@/lib/webhooks/service";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import { activeCampaign } from "../support/payouts";

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let admin: Awaited<ReturnType<typeof insertUser>>;
let server: http.Server;
let base = "";
const created: string[] = [];

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 600 });
  [marketer, admin] = await Promise.all([insertUser("marketer"), insertUser("admin")]);
  await db.webhookEndpoint.updateMany({ where: { disabledAt: null }, data: { disabledAt: new Date() } });
  // Answers by path: a redirect, a long body, never, or ok.
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url === "/redirect") res.writeHead(302, { location: `${base}/ok` }).end("moved");
      else if (req.url === "/long") res.writeHead(500).end("x".repeat(5_000));
      else if (req.url === "/hang")
        return; // never answers
      else res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.webhookEndpoint.deleteMany({ where: { id: { in: created } } });
  await alipay.sim.stop();
});

async function endpointAt(path: string) {
  const result = await createWebhookEndpoint(admin.actor, {
    url: `${base}${path}`,
    description: `receiver ${path}`,
    events: ["campaign.active"],
  });
  created.push(result.endpoint.id);
  return result;
}

/** A campaign becoming active: one PENDING delivery for each enabled endpoint subscribed to campaign.active. */
async function deliveryFor(endpointId: string) {
  const campaign = await activeCampaign(alipay, client, marketer.actor);
  const delivery = await db.webhookDelivery.findFirstOrThrow({
    where: { endpointId, event: { entityId: campaign.id } },
  });
  return { campaign, delivery };
}

async function attemptsOf(deliveryId: string) {
  return db.webhookAttempt.findMany({ where: { deliveryId }, orderBy: { number: "asc" } });
}

describe("createWebhookEndpointSchema", () => {
  const parse = (input: unknown) => createWebhookEndpointSchema.safeParse(input);
  it("takes http(s) URLs and at least one known event, in the list's order", () => {
    const ok = parse({
      url: " https://hooks.example.com/hongbao ",
      events: ["campaign.settled", "payout.succeeded", "payout.succeeded"],
    });
    expect(ok.success && ok.data).toEqual({
      url: "https://hooks.example.com/hongbao",
      description: null,
      events: ["payout.succeeded", "campaign.settled"],
    });
    expect(parse({ url: "http://10.0.0.5:8080/x", events: ["campaign.active"] }).success).toBe(true);
  });

  it("refuses other schemes, relative URLs, no events and unknown events, naming the field", () => {
    for (const url of [
      "ftp://example.com/x",
      "javascript:alert(1)",
      "/hooks",
      "example.com/hooks",
      "https://",
    ]) {
      const result = parse({ url, events: ["campaign.active"] });
      expect(result.success, url).toBe(false);
      expect(result.error?.issues[0]?.path, url).toEqual(["url"]);
    }
    const none = parse({ url: "https://example.com", events: [] });
    expect(none.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [["events"], "webhooks.validation.eventsRequired"],
    ]);
    expect(parse({ url: "https://example.com" }).error?.issues[0]?.message).toBe(
      "webhooks.validation.eventsRequired",
    );
    expect(parse({ url: "https://example.com", events: ["payout.created"] }).success).toBe(false);
  });
});

describe("endpoints", () => {
  it("are for admins only", async () => {
    const refusal = await createWebhookEndpoint(marketer.actor, {
      url: `${base}/ok`,
      description: null,
      events: ["campaign.active"],
    }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe("FORBIDDEN");
    await expect(
      listWebhookEndpoints(marketer.actor, webhookEndpointsListQuerySchema.parse({})),
    ).rejects.toThrow(DomainError);
  });

  it("return the secret once, and the audit log never holds it", async () => {
    const { endpoint, secret } = await endpointAt("/ok");
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(endpoint).not.toHaveProperty("secret");
    expect(await getWebhookEndpoint(admin.actor, endpoint.id)).not.toHaveProperty("secret");
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "webhook.create", entityId: endpoint.id },
    });
    expect(audit.after).toEqual({
      url: `${base}/ok`,
      description: "receiver /ok",
      events: ["campaign.active"],
      active: true,
    });
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it("are disabled and enabled once each, audited", async () => {
    const { endpoint } = await endpointAt("/ok");
    const off = await setWebhookEndpointActive(admin.actor, { endpointId: endpoint.id, active: false });
    expect(off.active).toBe(false);
    await setWebhookEndpointActive(admin.actor, { endpointId: endpoint.id, active: false }); // no change
    await setWebhookEndpointActive(admin.actor, { endpointId: endpoint.id, active: true });
    const actions = await db.auditEvent.findMany({
      where: { entityId: endpoint.id },
      orderBy: { createdAt: "asc" },
      select: { action: true },
    });
    expect(actions.map((a) => a.action)).toEqual(["webhook.create", "webhook.disable", "webhook.enable"]);
    await setWebhookEndpointActive(admin.actor, { endpointId: endpoint.id, active: false });
  });
});

describe("one attempt (the job handler)", () => {
  it("2xx: DELIVERED with the attempt recorded", async () => {
    const { endpoint } = await endpointAt("/ok");
    const { delivery } = await deliveryFor(endpoint.id);
    expect(await deliverWebhook(delivery.id, { isLastAttempt: false })).toBe("delivered");
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "DELIVERED",
      attemptCount: 1,
    });
    expect(await attemptsOf(delivery.id)).toEqual([
      expect.objectContaining({ number: 1, statusCode: 200, error: null, responseExcerpt: "ok" }),
    ]);
    // A second run of the job (pg-boss retrying after a lost completion) sends nothing.
    expect(await deliverWebhook(delivery.id, { isLastAttempt: false })).toBe("skipped");
    expect(await attemptsOf(delivery.id)).toHaveLength(1);
    await setWebhookEndpointActive(admin.actor, { endpointId: endpoint.id, active: false });
  });

  it("a redirect is not followed; a long answer is cut to 500 characters; the job throws to be retried", async () => {
    const redirect = await endpointAt("/redirect");
    const long = await endpointAt("/long");
    const campaign = await activeCampaign(alipay, client, marketer.actor);
    const deliveries = await db.webhookDelivery.findMany({ where: { event: { entityId: campaign.id } } });
    const of = (endpointId: string) => deliveries.find((d) => d.endpointId === endpointId)!;

    await expect(deliverWebhook(of(redirect.endpoint.id).id, { isLastAttempt: false })).rejects.toThrow(
      WebhookAttemptFailed,
    );
    expect(await attemptsOf(of(redirect.endpoint.id).id)).toEqual([
      expect.objectContaining({ number: 1, statusCode: 302, responseExcerpt: "moved" }),
    ]);
    await expect(deliverWebhook(of(long.endpoint.id).id, { isLastAttempt: false })).rejects.toThrow(
      "HTTP 500",
    );
    const [attempt] = await attemptsOf(of(long.endpoint.id).id);
    expect(attempt?.responseExcerpt).toHaveLength(500);
    expect(
      await db.webhookDelivery.findUniqueOrThrow({ where: { id: of(long.endpoint.id).id } }),
    ).toMatchObject({
      status: "PENDING",
      attemptCount: 1,
    });

    // The last attempt fails for good instead of throwing.
    expect(await deliverWebhook(of(long.endpoint.id).id, { isLastAttempt: true })).toBe("failed");
    expect(
      await db.webhookDelivery.findUniqueOrThrow({ where: { id: of(long.endpoint.id).id } }),
    ).toMatchObject({
      status: "FAILED",
      attemptCount: 2,
      deliveredAt: null,
    });
    expect((await attemptsOf(of(long.endpoint.id).id)).map((a) => a.number)).toEqual([1, 2]);
    for (const e of [redirect, long])
      await setWebhookEndpointActive(admin.actor, { endpointId: e.endpoint.id, active: false });
  });

  it("no answer: the timeout or the refused connection is recorded as the attempt's error", async () => {
    const hang = await endpointAt("/hang");
    // A port that was free a moment ago: nothing listens there now.
    const spare = http.createServer();
    await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
    const sparePort = (spare.address() as AddressInfo).port;
    await new Promise<void>((resolve) => spare.close(() => resolve()));
    const closed = await createWebhookEndpoint(admin.actor, {
      url: `http://127.0.0.1:${sparePort}/closed`,
      description: null,
      events: ["campaign.active"],
    });
    created.push(closed.endpoint.id);
    const campaign = await activeCampaign(alipay, client, marketer.actor);
    const deliveries = await db.webhookDelivery.findMany({ where: { event: { entityId: campaign.id } } });
    const of = (endpointId: string) => deliveries.find((d) => d.endpointId === endpointId)!;

    await expect(
      deliverWebhook(of(hang.endpoint.id).id, { isLastAttempt: false, timeoutMs: 300 }),
    ).rejects.toThrow("timeout after 300 ms");
    const [timedOut] = await attemptsOf(of(hang.endpoint.id).id);
    expect(timedOut).toMatchObject({
      statusCode: null,
      error: "timeout after 300 ms",
      responseExcerpt: null,
    });
    expect(timedOut!.latencyMs).toBeGreaterThanOrEqual(250);

    await expect(deliverWebhook(of(closed.endpoint.id).id, { isLastAttempt: false })).rejects.toThrow(
      WebhookAttemptFailed,
    );
    const [refused] = await attemptsOf(of(closed.endpoint.id).id);
    expect(refused).toMatchObject({ statusCode: null });
    expect(refused!.error).toMatch(/ECONNREFUSED/);
    for (const e of [hang, closed])
      await setWebhookEndpointActive(admin.actor, { endpointId: e.endpoint.id, active: false });
  });

  it("an endpoint disabled after the event: given up without a call", async () => {
    const { endpoint } = await endpointAt("/ok");
    const { delivery } = await deliveryFor(endpoint.id);
    await setWebhookEndpointActive(admin.actor, { endpointId: endpoint.id, active: false });
    expect(await deliverWebhook(delivery.id, { isLastAttempt: false })).toBe("skipped");
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "FAILED",
      attemptCount: 0,
    });
    expect(await attemptsOf(delivery.id)).toEqual([]);
  });
});

describe("the console's queries", () => {
  it("list endpoints with the last day's delivery health, searched and filtered", async () => {
    const { endpoint } = await endpointAt("/ok");
    const first = await deliveryFor(endpoint.id);
    await deliverWebhook(first.delivery.id, { isLastAttempt: false });
    const second = await deliveryFor(endpoint.id);
    await deliverWebhook(second.delivery.id, { isLastAttempt: true });
    await deliveryFor(endpoint.id); // left pending

    const page = await listWebhookEndpoints(admin.actor, webhookEndpointsListQuerySchema.parse({ q: base }));
    const row = page.rows.find((r) => r.id === endpoint.id)!;
    expect(row.health).toMatchObject({ windowHours: 24, delivered: 2, failed: 0, pending: 1 });
    expect(row.health.last?.status).toBe("PENDING");
    const disabledOnly = await listWebhookEndpoints(
      admin.actor,
      webhookEndpointsListQuerySchema.parse({ status: "disabled", q: base }),
    );
    expect(disabledOnly.rows.map((r) => r.id)).not.toContain(endpoint.id);
    expect(disabledOnly.rows.every((r) => !r.active)).toBe(true);
    // A day later, none of these count any more; the last delivery is still shown.
    const later = await listWebhookEndpoints(
      admin.actor,
      webhookEndpointsListQuerySchema.parse({ q: base }),
      new Date(Date.now() + 25 * 60 * 60 * 1000),
    );
    expect(later.rows.find((r) => r.id === endpoint.id)?.health).toMatchObject({
      delivered: 0,
      failed: 0,
      pending: 0,
      last: { status: "PENDING" },
    });

    const deliveries = await listWebhookDeliveries(
      admin.actor,
      endpoint.id,
      webhookDeliveriesListQuerySchema.parse({}),
    );
    expect(deliveries.total).toBe(3);
    const shown = deliveries.rows.find((r) => r.id === first.delivery.id)!;
    expect(shown).toMatchObject({
      eventType: "campaign.active",
      entityType: "Campaign",
      entityId: first.campaign.id,
      entity: { name: first.campaign.name, href: `/campaigns/${first.campaign.id}` },
      status: "DELIVERED",
      attemptCount: 1,
      lastStatusCode: 200,
      lastError: null,
    });
    const pendingOnly = await listWebhookDeliveries(
      admin.actor,
      endpoint.id,
      webhookDeliveriesListQuerySchema.parse({ status: "PENDING" }),
    );
    expect(pendingOnly.rows.map((r) => r.status)).toEqual(["PENDING"]);
    const byEntity = await listWebhookDeliveries(
      admin.actor,
      endpoint.id,
      webhookDeliveriesListQuerySchema.parse({ q: second.campaign.id }),
    );
    expect(byEntity.rows.map((r) => r.id)).toEqual([second.delivery.id]);
    const otherType = await listWebhookDeliveries(
      admin.actor,
      endpoint.id,
      webhookDeliveriesListQuerySchema.parse({ type: "payout.failed" }),
    );
    expect(otherType.total).toBe(0);

    expect(await listWebhookAttempts(admin.actor, endpoint.id, first.delivery.id)).toEqual([
      expect.objectContaining({ number: 1, statusCode: 200, responseExcerpt: "ok" }),
    ]);
    // Another endpoint's id does not open this endpoint's delivery.
    const other = await endpointAt("/ok");
    expect(await listWebhookAttempts(admin.actor, other.endpoint.id, first.delivery.id)).toEqual([]);

    // A resend is a new row in the list; the first keeps its attempt.
    const { deliveryId } = await resendWebhookDelivery(admin.actor, first.delivery.id);
    const after = await listWebhookDeliveries(
      admin.actor,
      endpoint.id,
      webhookDeliveriesListQuerySchema.parse({}),
    );
    expect(after.total).toBe(4);
    expect(after.rows[0]).toMatchObject({
      id: deliveryId,
      status: "PENDING",
      attemptCount: 0,
      lastStatusCode: null,
    });
    for (const e of [endpoint.id, other.endpoint.id])
      await setWebhookEndpointActive(admin.actor, { endpointId: e, active: false });
  });
});
