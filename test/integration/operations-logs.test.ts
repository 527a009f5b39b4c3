/**
 * The structured log of the request and dispatch path, from a real request and real sends through the real SDK
 * to the simulator: one `payout.moved` line per status change and one `alipay.call` line per call, each naming
 * the payout (`payoutId`, `outBizNo`) and the web request that asked for it (`requestId`, stored on the payout
 * so the worker that sends it later can name it), and none naming the recipient or anything secret.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { logAlipayCalls } from "@/lib/alipay";
import type { AlipayClient } from "@/lib/alipay/client";
import { db } from "@/lib/db";
import { log, withLogContext } from "@/lib/log";
import { requestPayout } from "@/lib/payouts/request";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import { activeCampaign, payoutRequest, testDispatcher, userId, waitUntilNone } from "../support/payouts";

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
/** Every line the process's logger wrote while a test ran. */
let lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  alipay = await startTestAlipay();
  // The client wired as lib/alipay/index.ts wires the process's one: its calls logged by the process's logger.
  client = alipay.client({ log: logAlipayCalls(log) });
  marketer = await insertUser("marketer");
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split("\n")) {
      if (line.startsWith("{")) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await alipay.sim.stop();
});
afterEach(async () => {
  lines = [];
  await alipay.sim.setFaults({ rules: [] });
});

const TRIGGER = "alipay.marketing.campaign.cash.trigger";

function linesOf(payoutId: string) {
  return lines.filter((l) => l.payoutId === payoutId);
}

describe("payout log lines", () => {
  it("follow a payout from the request that asked for it to its payment, each with its ids", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    const recipient = userId(4242);
    lines = [];
    const { payout } = await withLogContext({ requestId: "req-ops-1" }, () =>
      requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: recipient })),
    );
    expect(payout.requestId).toBe("req-ops-1");

    const dispatcher = testDispatcher(client);
    dispatcher.start();
    await waitUntilNone(campaign.id, ["APPROVED", "SENDING", "UNKNOWN"]);
    await dispatcher.stop();

    const ids = { payoutId: payout.id, outBizNo: payout.outBizNo, requestId: "req-ops-1" };
    const ours = linesOf(payout.id);
    expect(ours.map((l) => [l.event, l.from ?? null, l.to ?? null])).toEqual([
      ["payout.moved", null, "APPROVED"],
      ["payout.moved", "APPROVED", "SENDING"],
      ["alipay.call", null, null],
      ["payout.moved", "SENDING", "SUCCEEDED"],
    ]);
    for (const line of ours) expect(line).toMatchObject(ids);
    expect(ours[3]).toMatchObject({ move: "succeed", attempt: 1, amountFen: 100, awardedFen: 100 });
    expect(ours[2]).toMatchObject({ method: TRIGGER, outcome: "ok", code: "10000" });
    // The attempt records the method it called (what /api/metrics counts errors by).
    const attempts = await db.payoutAttempt.findMany({ where: { payoutId: payout.id } });
    expect(attempts.map((a) => a.method)).toEqual([TRIGGER]);
    // Nothing about the recipient; nothing secret.
    const text = JSON.stringify(lines);
    expect(text).not.toContain(recipient);
    expect(text).not.toMatch(/BEGIN|PRIVATE|biz_content|"sign"/);
  });

  it("log each unknown outcome and the hand-over to a person, without a request id when none asked", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    const { payout } = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: userId(4343) }),
    );
    expect(payout.requestId).toBeNull();
    await alipay.sim.setFaults({ rules: [{ methods: TRIGGER, unknownRate: 1 }] });
    lines = [];
    const dispatcher = testDispatcher(client, {
      retry: { baseDelayMs: 50, maxDelayMs: 100, maxAttempts: 2 },
    });
    dispatcher.start();
    await waitUntilNone(campaign.id, ["APPROVED", "SENDING", "UNKNOWN"]);
    await dispatcher.stop();

    const ours = linesOf(payout.id);
    expect(ours.map((l) => [l.event, l.from ?? null, l.to ?? null, l.attempt ?? null])).toEqual([
      ["payout.moved", "APPROVED", "SENDING", 1],
      ["alipay.call", null, null, null],
      ["payout.moved", "SENDING", "UNKNOWN", 1],
      ["payout.moved", "UNKNOWN", "SENDING", 2],
      ["alipay.call", null, null, null],
      ["payout.moved", "SENDING", "NEEDS_ATTENTION", 2],
    ]);
    for (const line of ours) expect(line).toMatchObject({ outBizNo: payout.outBizNo, requestId: null });
    expect(ours.filter((l) => l.event === "alipay.call")).toEqual([
      expect.objectContaining({ level: "warn", outcome: "unknown", code: "20000" }),
      expect.objectContaining({ level: "warn", outcome: "unknown", code: "20000" }),
    ]);
    expect(ours[5]).toMatchObject({ move: "give_up", attentionReason: "retryBudgetSpent" });
  });
});
