import { createSign, createVerify } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureKeyFiles, generateKeyPair } from "./keys";
import { beijing, makeKeys, startTestBed, type TestBed, type TestKeys } from "./test-helpers";

const CREATE = "alipay.marketing.campaign.cash.create";
const DAY = 86_400_000;

let keys: TestKeys;
let bed: TestBed;
beforeAll(async () => {
  keys = makeKeys();
  bed = await startTestBed(keys);
});
afterAll(() => bed.sim.stop());
beforeEach(() => bed.sim.reset());

async function createCampaign(overrides: Record<string, unknown> = {}) {
  const result = await bed.exec(CREATE, {
    couponName: "Lucky <b>draw</b>",
    prizeType: "random",
    totalMoney: "1234.56",
    totalNum: "100",
    prizeMsg: "Thanks",
    startTime: "NowTime",
    endTime: beijing(Date.now() + 5 * DAY),
    merchantLink: "https://console.example/campaigns/paid?from=alipay",
    ...overrides,
  });
  expect(result.code).toBe("10000");
  return { crowdNo: String(result.crowdNo), payUrl: decodeURIComponent(String(result.payUrl)) };
}

describe("campaign cashier page", () => {
  it("shows an accessible payment form for the campaign", async () => {
    const { payUrl } = await createCampaign();
    const response = await fetch(payUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toMatch(/<h1>[^<]+<\/h1>/);
    expect(html).toContain("Lucky &lt;b&gt;draw&lt;/b&gt;");
    expect(html).not.toContain("<b>draw</b>");
    expect(html).toContain("¥1,234.56");
    expect(html).toMatch(/<form method="post" action="\/cashier\/campaign\?crowdNo=[^"]+">/);
    expect(html).toContain('<button type="submit">确认付款 Pay ¥1,234.56</button>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!console\.example)[^"]*\.(js|css)/);
  });

  it("pays on POST, records FUNDING once and redirects to merchant_link with crowdNo", async () => {
    const { crowdNo, payUrl } = await createCampaign();
    const paid = await fetch(payUrl, { method: "POST", redirect: "manual" });
    expect(paid.status).toBe(302);
    const location = new URL(String(paid.headers.get("location")));
    expect(location.origin + location.pathname).toBe("https://console.example/campaigns/paid");
    expect(location.searchParams.get("from")).toBe("alipay");
    expect(location.searchParams.get("crowdNo")).toBe(crowdNo);
    const again = await fetch(payUrl, { method: "POST", redirect: "manual" });
    expect(again.status).toBe(302);
    expect(bed.ledger()).toMatchObject([{ kind: "FUNDING", key: crowdNo, amountFen: 123_456 }]);
    const state = await bed.admin<{ status: string; paidAt: number }>(`/__sim/campaigns/${crowdNo}`);
    expect(state.data.status).toBe("READY");
    const view = await (await fetch(payUrl)).text();
    expect(view).toContain("已付款");
    expect(view).not.toContain("<button");
  });

  it("shows a success page when there is no merchant_link", async () => {
    const { payUrl } = await createCampaign({ merchantLink: undefined });
    const paid = await fetch(payUrl, { method: "POST", redirect: "manual" });
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain("付款成功");
  });

  it("expires the payment link after 24 hours", async () => {
    const { crowdNo, payUrl } = await createCampaign();
    bed.sim.advanceTime(DAY + 1000);
    const view = await fetch(payUrl);
    expect(view.status).toBe(410);
    const html = await view.text();
    expect(html).toContain("付款链接已过期");
    expect(html).toContain("expired");
    expect((await fetch(payUrl, { method: "POST", redirect: "manual" })).status).toBe(410);
    expect((await bed.admin(`/__sim/campaigns/${crowdNo}/pay`, {})).status).toBe(410);
    expect(bed.ledger()).toHaveLength(0);
  });

  it("answers 404 for an unknown campaign", async () => {
    expect((await fetch(`${bed.sim.url}/cashier/campaign?crowdNo=nope`)).status).toBe(404);
    expect((await bed.admin("/__sim/campaigns/nope")).status).toBe(404);
  });
});

describe("admin endpoints, ledger and reset", () => {
  it("reports health, balance and time, and resets everything but keys and faults", async () => {
    const health = await bed.admin<{ ok: boolean; apps: string[]; beijingTime: string }>("/__sim/health");
    expect(health.data).toMatchObject({ ok: true, apps: ["2021000000000001"] });
    expect(health.data.beijingTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect((await bed.admin("/__sim/balance", { fen: 5000 })).data).toEqual({ fen: 5000 });
    expect((await bed.admin<{ fen: number }>("/__sim/balance")).data.fen).toBe(5000);
    expect((await bed.admin("/__sim/balance", { fen: -1 })).status).toBe(400);
    const moved = await bed.admin<{ clockOffsetMs: number }>("/__sim/time", { advanceMs: 60_000 });
    expect(moved.data.clockOffsetMs).toBe(60_000);
    expect((await bed.admin("/__sim/time", { advanceMs: -5 })).status).toBe(400);

    const { crowdNo } = await createCampaign();
    await bed.admin(`/__sim/campaigns/${crowdNo}/pay`, {});
    const ledger = await bed.admin<Array<{ kind: string }>>("/__sim/ledger");
    expect(ledger.data).toMatchObject([{ kind: "FUNDING" }]);
    bed.sim.setFaults({ rules: [{ methods: "nothing.matches", unknownRate: 1 }] });

    expect((await bed.admin("/__sim/reset", {})).status).toBe(200);
    expect(bed.ledger()).toEqual([]);
    expect((await bed.admin<{ fen: number }>("/__sim/balance")).data.fen).toBe(100_000_000);
    expect((await bed.admin<{ clockOffsetMs: number }>("/__sim/health")).data.clockOffsetMs).toBe(0);
    expect((await bed.exec("alipay.marketing.campaign.cash.detail.query", { crowdNo })).subCode).toBe(
      "isv.CASH_CAMPAIGN_NOT_EXIST",
    );
    expect((await bed.admin<{ rules: unknown[] }>("/__sim/faults")).data.rules).toHaveLength(1);
    // Keys survive a reset: signed calls still verify.
    expect(
      (await bed.exec("alipay.marketing.campaign.cash.list.query", { pageSize: "1", pageIndex: "1" })).code,
    ).toBe("10000");
  });

  it("answers unknown admin paths with a JSON 404", async () => {
    const response = await bed.admin<{ error: string }>("/__sim/nope");
    expect(response.status).toBe(404);
    expect(response.data.error).toContain("/__sim/nope");
  });

  it("returns copies from ledger() so callers cannot rewrite history", async () => {
    const { crowdNo } = await createCampaign();
    await bed.admin(`/__sim/campaigns/${crowdNo}/pay`, {});
    const [copy] = bed.sim.ledger();
    if (!copy) throw new Error("expected a ledger entry");
    copy.amountFen = 1;
    expect(bed.sim.ledger()[0]?.amountFen).toBe(123_456);
  });
});

describe("persistence and keys", () => {
  it("keeps state in stateFile across restarts", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "alipay-sim-"));
    const stateFile = path.join(dir, "state.json");
    const first = await startTestBed(keys, { stateFile, merchantBalanceFen: 10_000 });
    const transfer = {
      outBizNo: "persist_1",
      transAmount: "12.00",
      productCode: "STD_RED_PACKET",
      bizScene: "DIRECT_TRANSFER",
      businessParams: JSON.stringify({ sub_biz_scene: "REDPACKET" }),
      payeeInfo: { identity: "2088000000000501", identityType: "ALIPAY_USER_ID" },
    };
    const paid = await first.exec("alipay.fund.trans.uni.transfer", transfer);
    expect(paid.status).toBe("SUCCESS");
    await first.sim.stop();
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);

    const second = await startTestBed(keys, { stateFile, merchantBalanceFen: 10_000 });
    try {
      const found = await second.exec("alipay.fund.trans.common.query", {
        outBizNo: "persist_1",
        productCode: "STD_RED_PACKET",
        bizScene: "DIRECT_TRANSFER",
      });
      expect(found).toMatchObject({ status: "SUCCESS", orderId: paid.orderId });
      expect(second.ledger()).toMatchObject([{ kind: "TRANSFER", amountFen: 1200 }]);
      expect((await second.admin<{ fen: number }>("/__sim/balance")).data.fen).toBe(8800);
      // The idempotency record survived too: the repeat is answered, not paid again.
      expect((await second.exec("alipay.fund.trans.uni.transfer", transfer)).orderId).toBe(paid.orderId);
      expect(second.ledger()).toHaveLength(1);
    } finally {
      await second.sim.stop();
    }
  });

  it("ensureKeyFiles creates matching 0600 key pairs once and reuses them", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "alipay-keys-")), "keys");
    const created = ensureKeyFiles(dir);
    for (const name of ["app-private.pem", "app-public.pem", "alipay-private.pem", "alipay-public.pem"]) {
      expect(statSync(path.join(dir, name)).mode & 0o777).toBe(0o600);
    }
    expect(created.appPrivateKey).toContain("-----BEGIN PRIVATE KEY-----");
    expect(created.alipayPublicKey).toContain("-----BEGIN PUBLIC KEY-----");
    expect(readFileSync(path.join(dir, "app-public.pem"), "utf8")).toBe(created.appPublicKey);
    expect(ensureKeyFiles(dir)).toEqual(created);
    const signature = createSign("RSA-SHA256").update("x").sign(created.alipayPrivateKey, "base64");
    expect(createVerify("RSA-SHA256").update("x").verify(created.alipayPublicKey, signature, "base64")).toBe(
      true,
    );
    expect(createVerify("RSA-SHA256").update("x").verify(created.appPublicKey, signature, "base64")).toBe(
      false,
    );
  });

  it("generateKeyPair also offers the PKCS#1 form of the same private key", () => {
    const pair = generateKeyPair();
    expect(pair.privateKeyPkcs1).toContain("-----BEGIN RSA PRIVATE KEY-----");
    const signature = createSign("RSA-SHA256").update("y").sign(pair.privateKeyPkcs1, "base64");
    expect(createVerify("RSA-SHA256").update("y").verify(pair.publicKey, signature, "base64")).toBe(true);
  });
});
