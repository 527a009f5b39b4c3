import { AlipaySdk } from "alipay-sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FaultEngine, parseFaultConfig, type FaultConfig } from "./faults";
import { APP_ID, beijing, eventually, makeKeys, startTestBed, type TestBed } from "./test-helpers";

const TRANSFER = "alipay.fund.trans.uni.transfer";
const LIST = "alipay.marketing.campaign.cash.list.query";

let bed: TestBed;
let lines: string[] = [];
/**
 * A client that gives up quickly, for the faults that hold the answer back. undici's timers are coarse (they can
 * fire up to about a second late), so the held-back answers below wait well beyond that.
 */
let impatient: AlipaySdk;

beforeAll(async () => {
  bed = await startTestBed(makeKeys(), { log: (line) => lines.push(line) });
  impatient = new AlipaySdk({
    appId: APP_ID,
    privateKey: bed.keys.app.privateKey,
    keyType: "PKCS8",
    alipayPublicKey: bed.keys.alipay.publicKey,
    gateway: bed.sim.gatewayUrl,
    timeout: 300,
  });
});
afterAll(() => bed.sim.stop());
beforeEach(() => {
  bed.sim.reset();
  bed.sim.setFaults({ rules: [] });
  lines = [];
});

let seq = 0;
function transfer(outBizNo = `ft_${++seq}`) {
  return {
    outBizNo,
    transAmount: "0.88",
    productCode: "STD_RED_PACKET",
    bizScene: "DIRECT_TRANSFER",
    businessParams: JSON.stringify({ sub_biz_scene: "REDPACKET" }),
    payeeInfo: { identity: "2088000000000401", identityType: "ALIPAY_USER_ID" },
  };
}

function errorOf(promise: Promise<unknown>): Promise<Error & { cause?: Error }> {
  return promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: Error & { cause?: Error }) => error,
  );
}

const count = (fragment: string) => lines.filter((line) => line.includes(fragment)).length;

describe("fault injection", () => {
  it("unknownRate answers 20000 aop.unknow-error without processing, only for matching methods", async () => {
    bed.sim.setFaults({ rules: [{ methods: "alipay.fund.trans.*", unknownRate: 1 }] });
    const result = await bed.exec(TRANSFER, transfer());
    expect(result).toMatchObject({
      code: "20000",
      msg: "Service Currently Unavailable",
      subCode: "aop.unknow-error",
    });
    expect(bed.ledger()).toHaveLength(0);
    expect((await bed.exec(LIST, { pageSize: "1", pageIndex: "1" })).code).toBe("10000");
  });

  it("http500Rate answers HTTP 500 without processing", async () => {
    bed.sim.setFaults({ rules: [{ methods: "*", http500Rate: 1 }] });
    const error = await errorOf(bed.exec(TRANSFER, transfer()));
    expect(error.name).toBe("AlipayRequestError");
    expect(error.message).toContain("status: 500");
    expect(bed.ledger()).toHaveLength(0);
  });

  it("timeoutRate processes the request but holds the answer back until the client gives up", async () => {
    bed.sim.setFaults({ rules: [{ methods: TRANSFER, timeoutRate: 1, timeoutDelayMs: 10_000 }] });
    const request = transfer();
    const error = await errorOf(
      impatient.exec(TRANSFER, { timestamp: beijing(), bizContent: request }, { validateSign: true }),
    );
    expect(error.cause?.name).toBe("HttpClientRequestTimeoutError");
    await eventually(() => bed.ledger().length === 1, "the payment");
    // The outcome was unknown to the client; retrying the same key reveals it without paying twice.
    bed.sim.setFaults({ rules: [] });
    const retry = await bed.exec(TRANSFER, request);
    expect(retry.status).toBe("SUCCESS");
    expect(bed.ledger()).toHaveLength(1);
  });

  it("dropRate (after processing) pays once even though urllib's automatic retry delivers the POST twice", async () => {
    bed.sim.setFaults({ rules: [{ methods: TRANSFER, dropRate: 1 }] });
    const error = await errorOf(bed.exec(TRANSFER, transfer()));
    expect(error.message).toMatch(/HttpClient Request error/);
    expect(count("connection dropped (processed)")).toBe(2);
    expect(bed.ledger()).toHaveLength(1);
  });

  it("a seeded drop of only the first attempt is healed by urllib's retry, which gets the idempotent answer", async () => {
    // Find, with the simulator's own engine, a seed whose first roll drops and second does not.
    const rule = { methods: TRANSFER, dropRate: 0.5 };
    const seed = Array.from({ length: 200 }, (_, i) => i + 1).find((candidate) => {
      const engine = new FaultEngine({ seed: candidate, rules: [rule] });
      return engine.decide(TRANSFER).dropAfterProcessing && !engine.decide(TRANSFER).dropAfterProcessing;
    });
    expect(seed).toBeDefined();
    bed.sim.setFaults({ seed, rules: [rule] });
    const result = await bed.exec(TRANSFER, transfer());
    expect(result.status).toBe("SUCCESS");
    expect(count("connection dropped (processed)")).toBe(1);
    expect(count("(urllib retry)")).toBe(1);
    expect(bed.ledger()).toHaveLength(1);
  });

  it("dropBeforeProcessing drops without paying", async () => {
    bed.sim.setFaults({ rules: [{ methods: TRANSFER, dropRate: 1, dropBeforeProcessing: true }] });
    await errorOf(bed.exec(TRANSFER, transfer()));
    expect(count("connection dropped (not processed)")).toBe(2);
    expect(bed.ledger()).toHaveLength(0);
  });

  it("badSignatureRate processes and answers a well-formed body whose signature does not verify", async () => {
    bed.sim.setFaults({ rules: [{ methods: TRANSFER, badSignatureRate: 1 }] });
    const error = await errorOf(bed.exec(TRANSFER, transfer()));
    expect(error.message).toContain("验签失败");
    const unchecked = (await bed.sdk.exec(TRANSFER, {
      timestamp: beijing(),
      bizContent: transfer(),
    })) as unknown as { status: string };
    expect(unchecked.status).toBe("SUCCESS");
    expect(bed.ledger()).toHaveLength(2);
  });

  it("latencyMs delays processing; a client that gave up still gets its payment made", async () => {
    bed.sim.setFaults({ rules: [{ methods: TRANSFER, latencyMs: { min: 4_000, max: 4_100 } }] });
    const error = await errorOf(
      impatient.exec(TRANSFER, { timestamp: beijing(), bizContent: transfer() }, { validateSign: true }),
    );
    expect(error.cause?.name).toBe("HttpClientRequestTimeoutError");
    await eventually(() => bed.ledger().length === 1, "the late payment");
  });

  it("rateLimitQps answers 40005 isv.app-call-limited above the limit, without processing", async () => {
    bed.sim.setFaults({ rules: [{ methods: TRANSFER, rateLimitQps: 2 }] });
    const results = await Promise.all(Array.from({ length: 6 }, () => bed.exec(TRANSFER, transfer())));
    const limited = results.filter((r) => r.code === "40005");
    const paid = results.filter((r) => r.code === "10000");
    expect(limited.length + paid.length).toBe(6);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toMatchObject({ msg: "Call Limited", subCode: "isv.app-call-limited" });
    expect(bed.ledger()).toHaveLength(paid.length);
  });

  it("uses the first matching rule and comma-separated globs", async () => {
    bed.sim.setFaults({
      rules: [
        { methods: "alipay.marketing.*, alipay.fund.coupon.*", unknownRate: 1 },
        { methods: "*", http500Rate: 1 },
      ],
    });
    expect((await bed.exec(LIST, { pageSize: "1", pageIndex: "1" })).code).toBe("20000");
    await expect(bed.exec(TRANSFER, transfer())).rejects.toThrow(/status: 500/);
  });

  it("is controlled over HTTP and validates configurations strictly", async () => {
    const config: FaultConfig = {
      seed: 7,
      rules: [{ methods: "alipay.fund.*", unknownRate: 0.25, latencyMs: 5 }],
    };
    expect((await bed.admin("/__sim/faults", config)).status).toBe(200);
    expect((await bed.admin<FaultConfig>("/__sim/faults")).data).toEqual(config);
    const typo = await bed.admin<{ error: string }>("/__sim/faults", {
      rules: [{ methods: "*", dropRat: 1 }],
    });
    expect(typo.status).toBe(400);
    expect(typo.data.error).toContain("dropRat");
    expect((await bed.admin("/__sim/faults", { rules: [{ methods: "*", unknownRate: 2 }] })).status).toBe(
      400,
    );
    expect((await bed.admin<FaultConfig>("/__sim/faults")).data).toEqual(config);
  });
});

describe("FaultEngine", () => {
  it("repeats the same decisions for the same seed", () => {
    const config: FaultConfig = {
      seed: 42,
      rules: [{ methods: "*", unknownRate: 0.3, dropRate: 0.3, latencyMs: { min: 0, max: 100 } }],
    };
    const run = () => {
      const engine = new FaultEngine(config);
      return Array.from({ length: 50 }, () => engine.decide("alipay.fund.trans.uni.transfer"));
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(first.some((d) => d.unknown)).toBe(true);
    expect(first.some((d) => !d.unknown)).toBe(true);
    const other = new FaultEngine({ ...config, seed: 43 });
    expect(Array.from({ length: 50 }, () => other.decide("x"))).not.toEqual(first);
  });

  it("rejects malformed configurations", () => {
    expect(() => parseFaultConfig({ rules: [{ methods: "" }] })).toThrow(/methods/);
    expect(() => parseFaultConfig({ rules: [{ methods: "*", latencyMs: { min: 5, max: 1 } }] })).toThrow(
      /latencyMs/,
    );
    expect(() => parseFaultConfig({ rules: [{ methods: "*", rateLimitQps: 0 }] })).toThrow(/rateLimitQps/);
    expect(() => parseFaultConfig({ seed: 1.5, rules: [] })).toThrow(/seed/);
  });
});
