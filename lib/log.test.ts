import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { createLogger, REDACTED, redactText, type LogLevel } from "./log";

function capture(level: LogLevel) {
  const lines: string[] = [];
  const logger = createLogger({ level, write: (line) => lines.push(line), now: () => new Date(0) });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const BODY = PEM.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");

describe("createLogger", () => {
  it("writes one JSON object per line: time, level and event first, then the fields", () => {
    const { logger, lines } = capture("debug");
    logger.info("http.request", { method: "GET", path: "/campaigns", note: "two\nlines" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("\n");
    expect(lines[0]).toBe(
      '{"time":"1970-01-01T00:00:00.000Z","level":"info","event":"http.request","method":"GET",' +
        '"path":"/campaigns","note":"two\\nlines"}',
    );
  });

  it("drops lines below its level and reports which levels it writes", () => {
    const { logger, parsed } = capture("warn");
    logger.debug("a");
    logger.info("b");
    logger.warn("c");
    logger.error("d");
    expect(parsed().map((entry) => [entry.level, entry.event])).toEqual([
      ["warn", "c"],
      ["error", "d"],
    ]);
    expect(logger.enabled("info")).toBe(false);
    expect(logger.enabled("error")).toBe(true);
  });

  it("keeps time, level and event whatever the fields say", () => {
    const { logger, parsed } = capture("info");
    logger.info("real", { event: "fake", level: "error", time: "yesterday" });
    expect(parsed()[0]).toMatchObject({ event: "real", level: "info", time: "1970-01-01T00:00:00.000Z" });
  });

  it("serialises errors, dates, bigints and cycles without throwing", () => {
    const { logger, parsed } = capture("info");
    const cycle: Record<string, unknown> = { name: "loop" };
    cycle.self = cycle;
    logger.error("failed", { error: new Error("boom"), at: new Date(0), fen: 12n, cycle });
    const entry = parsed()[0];
    expect(entry?.error).toMatchObject({ name: "Error", message: "boom" });
    expect(entry).toMatchObject({ at: "1970-01-01T00:00:00.000Z", fen: "12" });
    expect(entry?.cycle).toEqual({ name: "loop", self: "[circular]" });
  });
});

describe("redaction", () => {
  it("redacts fields whose names hold secrets, at any depth", () => {
    const { logger, lines, parsed } = capture("info");
    logger.info("oops", {
      password: "hongbao-demo",
      headers: { authorization: "x", cookie: "authjs.session-token=abc", "x-request-id": "r1" },
      config: { privateKey: "k", AUTH_SECRET: "s", apiKey: "hb_live_1", biz_content: "{}" },
      params: { sign: "abc", sign_type: "RSA2" },
    });
    expect(parsed()[0]).toEqual({
      time: "1970-01-01T00:00:00.000Z",
      level: "info",
      event: "oops",
      password: REDACTED,
      headers: { authorization: REDACTED, cookie: REDACTED, "x-request-id": "r1" },
      config: { privateKey: REDACTED, AUTH_SECRET: REDACTED, apiKey: REDACTED, biz_content: REDACTED },
      params: { sign: REDACTED, sign_type: "RSA2" },
    });
    expect(lines[0]).not.toContain("hongbao-demo");
  });

  it("redacts PEM blocks and bare key bodies wherever they appear", () => {
    const { logger, lines } = capture("info");
    logger.error("alipay.config", {
      message: `bad key ${PEM} here`,
      error: new Error(`could not load ${BODY}`),
      list: [BODY.slice(0, 200)],
      escaped: PEM.replace(/\n/g, "\\n"),
    });
    expect(lines).toHaveLength(1);
    for (const slice of [BODY.slice(0, 40), BODY.slice(100, 140), BODY.slice(-40)]) {
      expect(lines[0]).not.toContain(slice);
    }
    expect(lines[0]).not.toContain("BEGIN PRIVATE KEY-----\\n");
  });

  it("redacts credentials in text but keeps what an operator needs", () => {
    expect(redactText("Authorization: Bearer hb_live_abc.def")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText("postgresql://hongbao:s3cret@db:5432/hongbao")).toBe(
      `postgresql://hongbao:${REDACTED}@db:5432/hongbao`,
    );
    expect(redactText("login failed: password=hunter2; retry")).toBe(
      `login failed: password=${REDACTED}; retry`,
    );
    expect(redactText(crypto.randomBytes(32).toString("base64url"))).toBe(REDACTED);
    // Hex trace ids, UUIDs, paths and codes stay readable.
    for (const kept of [
      "0b0c2a3e169450460895843744e7b3e0a1b2c3d4",
      crypto.randomUUID(),
      "/campaigns/cmb1x2y3z0000abcd/edit",
      "isv.CASH_CAMP_BUDGET_INSUFFICIENT",
    ]) {
      expect(redactText(kept)).toBe(kept);
    }
  });
});
