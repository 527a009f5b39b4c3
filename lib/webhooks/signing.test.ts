import { describe, expect, it } from "vitest";
import {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookBody,
  webhookSignature,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SECRET_PREFIX,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from "./signing";

const secret = "whsec_test-secret-0123456789";
const at = new Date("2026-12-01T08:00:00.000Z");
const body = webhookBody({
  id: "3b7c2a4e-0000-4000-8000-000000000001",
  type: "payout.succeeded",
  createdAt: at,
  data: { id: "p1", status: "SUCCEEDED", amountFen: 100, memo: "积分兑换 ✓" },
});
const signed = signWebhook(secret, "3b7c2a4e-0000-4000-8000-000000000001", body, at);

/** Node's IncomingMessage lower-cases header names. */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

describe("signWebhook", () => {
  it("signs `<timestamp>.<raw body>` with HMAC-SHA256 and names the event", () => {
    expect(signed).toEqual({
      [WEBHOOK_ID_HEADER]: "3b7c2a4e-0000-4000-8000-000000000001",
      [WEBHOOK_TIMESTAMP_HEADER]: "1796112000",
      [WEBHOOK_SIGNATURE_HEADER]: `v1=${webhookSignature(secret, 1796112000, body)}`,
    });
    expect(signed[WEBHOOK_SIGNATURE_HEADER]).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it("puts id, type, createdAt and data in the body, in that order", () => {
    expect(Object.keys(JSON.parse(body) as object)).toEqual(["id", "type", "createdAt", "data"]);
    expect(JSON.parse(body)).toMatchObject({
      createdAt: "2026-12-01T08:00:00.000Z",
      data: { amountFen: 100 },
    });
  });

  it("makes secrets with the prefix and 256 random bits", () => {
    const a = generateWebhookSecret();
    expect(a.startsWith(WEBHOOK_SECRET_PREFIX)).toBe(true);
    expect(Buffer.from(a.slice(WEBHOOK_SECRET_PREFIX.length), "base64url")).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});

describe("verifyWebhook", () => {
  it("accepts the delivery as sent, with Node's or Fetch's headers, a string or a Buffer body", () => {
    const ok = { ok: true, id: "3b7c2a4e-0000-4000-8000-000000000001", timestamp: 1796112000 };
    expect(verifyWebhook(secret, signed, body, { now: at })).toEqual(ok);
    expect(verifyWebhook(secret, lowerCased(signed), Buffer.from(body), { now: at })).toEqual(ok);
    expect(verifyWebhook(secret, new Headers(signed), body, { now: at })).toEqual(ok);
  });

  it("refuses a changed body, a forged signature and the wrong secret", () => {
    const tampered = body.replace('"amountFen":100', '"amountFen":10000');
    expect(verifyWebhook(secret, signed, tampered, { now: at })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    const forged = { ...signed, [WEBHOOK_SIGNATURE_HEADER]: `v1=${"ab".repeat(32)}` };
    expect(verifyWebhook(secret, forged, body, { now: at })).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyWebhook("whsec_other", signed, body, { now: at })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    const truncated = {
      ...signed,
      [WEBHOOK_SIGNATURE_HEADER]: signed[WEBHOOK_SIGNATURE_HEADER]!.slice(0, 40),
    };
    expect(verifyWebhook(secret, truncated, body, { now: at })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    const otherScheme = {
      ...signed,
      [WEBHOOK_SIGNATURE_HEADER]: signed[WEBHOOK_SIGNATURE_HEADER]!.replace("v1=", "v0="),
    };
    expect(verifyWebhook(secret, otherScheme, body, { now: at })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it("refuses a timestamp moved by a replayer: the signature covers it", () => {
    const moved = { ...signed, [WEBHOOK_TIMESTAMP_HEADER]: "1796112100" };
    expect(verifyWebhook(secret, moved, body, { now: new Date(1796112100_000) })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it("refuses old and future timestamps beyond the tolerance, and accepts them within it", () => {
    const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
    expect(verifyWebhook(secret, signed, body, { now: later(300) }).ok).toBe(true);
    expect(verifyWebhook(secret, signed, body, { now: later(301) })).toEqual({
      ok: false,
      reason: "timestamp-out-of-tolerance",
    });
    expect(verifyWebhook(secret, signed, body, { now: later(-301) })).toEqual({
      ok: false,
      reason: "timestamp-out-of-tolerance",
    });
    expect(verifyWebhook(secret, signed, body, { now: later(3600), toleranceSeconds: 3600 }).ok).toBe(true);
  });

  it("accepts any one matching v1 signature of several (rotation)", () => {
    const both = {
      ...signed,
      [WEBHOOK_SIGNATURE_HEADER]: `v1=${"00".repeat(32)} ${signed[WEBHOOK_SIGNATURE_HEADER]}`,
    };
    expect(verifyWebhook(secret, both, body, { now: at }).ok).toBe(true);
  });

  it("refuses missing headers and malformed timestamps", () => {
    const without = (name: string) => Object.fromEntries(Object.entries(signed).filter(([k]) => k !== name));
    for (const name of [WEBHOOK_ID_HEADER, WEBHOOK_TIMESTAMP_HEADER, WEBHOOK_SIGNATURE_HEADER])
      expect(verifyWebhook(secret, without(name), body, { now: at })).toEqual({
        ok: false,
        reason: "missing-header",
      });
    for (const timestamp of ["1796112000.5", "-1", "1e9", " 1796112000", "0x6b0e1d00"])
      expect(
        verifyWebhook(secret, { ...signed, [WEBHOOK_TIMESTAMP_HEADER]: timestamp }, body, { now: at }),
      ).toEqual({ ok: false, reason: "bad-timestamp" });
  });
});
