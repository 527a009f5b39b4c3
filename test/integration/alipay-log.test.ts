/**
 * The `alipay.call` log line, from real calls through the real alipay-sdk to the simulator: one line per call
 * with what an operator needs (method, outcome, code, sub_code, trace id, latency), and nothing of the keys,
 * the request payload or the signature.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { logAlipayCalls } from "@/lib/alipay";
import { createCashCampaign, type CashCampaignSpec } from "@/lib/alipay/campaign";
import type { AlipayClient } from "@/lib/alipay/client";
import { createLogger } from "@/lib/log";
import { startTestAlipay, type TestAlipay } from "../support/alipay";

let alipay: TestAlipay;
let client: AlipayClient;
const lines: string[] = [];

beforeAll(async () => {
  alipay = await startTestAlipay();
  const logger = createLogger({ level: "info", write: (line) => lines.push(line) });
  client = alipay.client({ log: logAlipayCalls(logger) });
});
afterAll(() => alipay.sim.stop());
afterEach(() => {
  lines.length = 0;
  alipay.sim.setFaults({ rules: [] });
});

const DAY = 24 * 60 * 60 * 1000;

function spec(couponName: string, overrides: Partial<CashCampaignSpec> = {}): CashCampaignSpec {
  return {
    couponName,
    prizeMsg: "Thank you",
    prizeType: "fixed",
    totalFen: 1000,
    count: 5,
    start: "now",
    end: new Date(Date.now() + 30 * DAY),
    sendFrequency: "L1",
    ...overrides,
  };
}

/** Pieces of both private keys, in the forms they could leak in: PEM lines and the bare base64 body. */
function keyFragments(): string[] {
  const bodies = [alipay.keys.app.privateKey, alipay.keys.alipay.privateKey].map((pem) =>
    pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""),
  );
  return bodies.flatMap((body) => [body.slice(0, 24), body.slice(200, 224), body.slice(-24)]);
}

function expectNothingSecret(line: string, payload: string): void {
  for (const fragment of keyFragments()) expect(line).not.toContain(fragment);
  expect(line).not.toMatch(/BEGIN|PRIVATE|biz_content|"sign"/i);
  expect(line).not.toContain(payload);
}

describe("alipay.call log line", () => {
  it("logs one line for a successful call: method, outcome, code, trace id and latency", async () => {
    const name = `log-ok-${Date.now()}`;
    const result = await createCashCampaign(client, spec(name));
    expect(result.kind).toBe("ok");

    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? "") as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: "info",
      event: "alipay.call",
      method: "alipay.marketing.campaign.cash.create",
      outcome: "ok",
      code: "10000",
      traceId: result.meta.traceId,
      latencyMs: result.meta.latencyMs,
    });
    expect(entry.traceId).toMatch(/^[0-9a-f]+$/);
    expect(typeof entry.latencyMs).toBe("number");
    expectNothingSecret(lines[0] ?? "", name);
  });

  it("logs a refusal with its sub_code", async () => {
    const name = `log-rejected-${Date.now()}`;
    await createCashCampaign(client, spec(name, { start: new Date(Date.now() - DAY) }));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({
      level: "info",
      outcome: "rejected",
      code: "40004",
      subCode: "isv.CASH_TIME_CHECK_FAILED",
    });
    expectNothingSecret(lines[0] ?? "", name);
  });

  it("logs an unknown outcome as a warning with its reason", async () => {
    alipay.sim.setFaults({ rules: [{ methods: "*", unknownRate: 1 }] });
    const name = `log-unknown-${Date.now()}`;
    const result = await createCashCampaign(client, spec(name));
    expect(result.kind).toBe("unknown");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({
      level: "warn",
      outcome: "unknown",
      code: "20000",
      reason: "service-unavailable",
    });
    expectNothingSecret(lines[0] ?? "", name);
  });

  it("logs an unsigned-or-badly-signed reply without any of the reply", async () => {
    alipay.sim.setFaults({ rules: [{ methods: "*", badSignatureRate: 1 }] });
    const name = `log-bad-sign-${Date.now()}`;
    const result = await createCashCampaign(client, spec(name));
    expect(result).toMatchObject({ kind: "unknown", reason: "bad-signature" });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ outcome: "unknown", reason: "bad-signature" });
    expect(lines[0]).not.toContain("crowd_no");
    expectNothingSecret(lines[0] ?? "", name);
  });
});
