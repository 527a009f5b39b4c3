/**
 * The wire protocol, checked with an implementation written here from REFERENCE.md §1.4/§1.7 using only
 * node:crypto and fetch — never the simulator's own signing code — so a shared misunderstanding cannot hide.
 */
import { createSign, createVerify } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateKeyPair } from "./keys";
import { APP_ID, beijing, makeKeys, startTestBed, type TestBed, type TestKeys } from "./test-helpers";

let keys: TestKeys;
let bed: TestBed;
let strangerKey: string;

beforeAll(async () => {
  keys = makeKeys();
  strangerKey = generateKeyPair().privateKey;
  bed = await startTestBed(keys);
});
afterAll(() => bed.sim.stop());
beforeEach(() => bed.sim.reset());

/** §1.4: all params except sign, sorted by key, raw values joined as k=v with &. */
function stringToSign(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((key) => key !== "sign")
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("&");
}

function rsa2(content: string, privateKey: string): string {
  return createSign("RSA-SHA256").update(content, "utf8").sign(privateKey, "base64");
}

function baseParams(method: string, bizContent: unknown): Record<string, string> {
  return {
    app_id: APP_ID,
    method,
    charset: "utf-8",
    sign_type: "RSA2",
    timestamp: beijing(),
    version: "1.0",
    biz_content: JSON.stringify(bizContent),
  };
}

type Raw = { status: number; traceId: string | null; text: string };

/** Protocol params in the query, biz_content in a form body — the split the official SDKs use (§1.3). */
async function post(params: Record<string, string>): Promise<Raw> {
  const query = new URLSearchParams();
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) (key === "biz_content" ? body : query).set(key, value);
  const response = await fetch(`${bed.sim.gatewayUrl}?${query}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
    body: body.toString(),
  });
  return { status: response.status, traceId: response.headers.get("trace_id"), text: await response.text() };
}

async function signedPost(params: Record<string, string>, privateKey = keys.app.privateKey): Promise<Raw> {
  return post({ ...params, sign: rsa2(stringToSign(params), privateKey) });
}

/** §1.7: the exact text of the value of `key`, found by walking braces while honouring strings and escapes. */
function innerText(raw: string, key: string): string {
  const marker = `"${key}":`;
  const start = raw.indexOf(marker) + marker.length;
  expect(raw[start]).toBe("{");
  let depth = 0;
  let inString = false;
  for (let i = start; i < raw.length; i++) {
    const ch = raw[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return raw.slice(start, i + 1);
  }
  throw new Error("unbalanced response");
}

function verifiesWithAlipayKey(raw: string, key: string): boolean {
  const sign = (JSON.parse(raw) as { sign?: string }).sign;
  if (!sign) return false;
  return createVerify("RSA-SHA256")
    .update(innerText(raw, key), "utf8")
    .verify(keys.alipay.publicKey, sign, "base64");
}

function inner(raw: string, key: string): Record<string, unknown> {
  return (JSON.parse(raw) as Record<string, Record<string, unknown>>)[key] ?? {};
}

const LIST = "alipay.marketing.campaign.cash.list.query";
const LIST_KEY = "alipay_marketing_campaign_cash_list_query_response";

describe("gateway protocol (independent implementation)", () => {
  it("accepts a hand-signed request and answers with a signature over the exact inner JSON, sign last", async () => {
    const response = await signedPost(baseParams(LIST, { page_size: "10", page_index: "1" }));
    expect(response.status).toBe(200);
    expect(response.traceId).toMatch(/^[0-9a-f]{20,}$/);
    const parsed = JSON.parse(response.text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([LIST_KEY, "sign"]);
    expect(String(parsed.sign)).toHaveLength(344);
    expect(verifiesWithAlipayKey(response.text, LIST_KEY)).toBe(true);
    expect(inner(response.text, LIST_KEY)).toMatchObject({ code: "10000", msg: "Success", total_size: "0" });
  });

  it("decodes + as space and %2B as plus, and keeps non-ASCII text intact through signing", async () => {
    const name = "A+B 春节红包/2026";
    const create = await signedPost(
      baseParams("alipay.marketing.campaign.cash.create", {
        coupon_name: name,
        prize_type: "fixed",
        total_money: "1.00",
        total_num: "1",
        prize_msg: "新年快乐 & thanks",
        start_time: "NowTime",
        end_time: beijing(Date.now() + 86_400_000),
      }),
    );
    const created = inner(create.text, "alipay_marketing_campaign_cash_create_response");
    expect(created.code).toBe("10000");
    const detail = await signedPost(
      baseParams("alipay.marketing.campaign.cash.detail.query", { crowd_no: created.crowd_no }),
    );
    const key = "alipay_marketing_campaign_cash_detail_query_response";
    expect(verifiesWithAlipayKey(detail.text, key)).toBe(true);
    // Slashes are not escaped, so the signed text and the parsed text agree byte for byte.
    expect(detail.text).toContain('"coupon_name":"A+B 春节红包/2026"');
    expect(inner(detail.text, key)).toMatchObject({
      coupon_name: name,
      prize_msg: "新年快乐 & thanks",
      total_count: 1,
    });
  });

  it("rejects a request signed with another key and echoes the string it verified", async () => {
    const params = baseParams(LIST, { page_size: "10", page_index: "1" });
    const response = await signedPost(params, strangerKey);
    const body = inner(response.text, LIST_KEY);
    expect(body).toMatchObject({
      code: "40002",
      msg: "Invalid Arguments",
      sub_code: "isv.invalid-signature",
    });
    expect(String(body.sub_msg)).toContain(stringToSign(params));
    expect(stringToSign(params)).toContain("sign_type=RSA2");
    // The app is known, so even this error is signed.
    expect(verifiesWithAlipayKey(response.text, LIST_KEY)).toBe(true);
  });

  it("rejects a body altered after signing", async () => {
    const params = baseParams(LIST, { page_size: "10", page_index: "1" });
    const sign = rsa2(stringToSign(params), keys.app.privateKey);
    const response = await post({
      ...params,
      biz_content: JSON.stringify({ page_size: "50", page_index: "1" }),
      sign,
    });
    expect(inner(response.text, LIST_KEY).sub_code).toBe("isv.invalid-signature");
  });

  it.each([
    ["method", "isv.missing-method"],
    ["sign", "isv.missing-signature"],
    ["sign_type", "isv.missing-signature-type"],
    ["timestamp", "isv.missing-timestamp"],
    ["version", "isv.missing-version"],
    ["charset", "isv.missing-charset"],
  ])("answers 40001 when %s is missing", async (missing, subCode) => {
    const params = baseParams(LIST, { page_size: "10", page_index: "1" });
    const signed: Record<string, string> = {
      ...params,
      sign: rsa2(stringToSign(params), keys.app.privateKey),
    };
    delete signed[missing];
    const response = await post(signed);
    const key = missing === "method" ? "error_response" : LIST_KEY;
    expect(inner(response.text, key)).toMatchObject({
      code: "40001",
      msg: "Missing Required Arguments",
      sub_code: subCode,
    });
  });

  it("answers an unsigned 40002 isv.invalid-app-id for an unknown app, and 40001 without app_id", async () => {
    const unknown = await signedPost({
      ...baseParams(LIST, { page_size: "1", page_index: "1" }),
      app_id: "2021999999999999",
    });
    const parsed = JSON.parse(unknown.text) as Record<string, unknown>;
    expect(parsed.sign).toBeUndefined();
    expect(parsed.error_response).toMatchObject({ code: "40002", sub_code: "isv.invalid-app-id" });

    const params: Record<string, string> = baseParams(LIST, {});
    delete params.app_id;
    const missing = JSON.parse((await post(params)).text) as Record<string, unknown>;
    expect(missing.sign).toBeUndefined();
    expect(missing.error_response).toMatchObject({ code: "40001", sub_code: "isv.missing-app-id" });
  });

  it("answers isv.invalid-method for a method the gateway does not know", async () => {
    const response = await signedPost(baseParams("alipay.trade.pay", {}));
    expect(inner(response.text, "alipay_trade_pay_response")).toMatchObject({
      code: "40002",
      sub_code: "isv.invalid-method",
    });
  });

  it.each([
    ["malformed", "2026/01/01 10:00:00"],
    ["UTC instead of Beijing time", new Date().toISOString().replace("T", " ").slice(0, 19)],
    ["20 minutes stale", beijing(Date.now() - 20 * 60_000)],
    ["20 minutes ahead", beijing(Date.now() + 20 * 60_000)],
    ["an impossible date", "2026-02-30 10:00:00"],
  ])("rejects a timestamp that is %s", async (_label, timestamp) => {
    const response = await signedPost({
      ...baseParams(LIST, { page_size: "1", page_index: "1" }),
      timestamp,
    });
    expect(inner(response.text, LIST_KEY)).toMatchObject({
      code: "40002",
      sub_code: "isv.invalid-timestamp",
    });
  });

  it("accepts a timestamp 10 minutes old (inside the tolerance)", async () => {
    const timestamp = beijing(Date.now() - 10 * 60_000);
    const response = await signedPost({
      ...baseParams(LIST, { page_size: "1", page_index: "1" }),
      timestamp,
    });
    expect(inner(response.text, LIST_KEY).code).toBe("10000");
  });

  it("insists on RSA2", async () => {
    const response = await signedPost({
      ...baseParams(LIST, { page_size: "1", page_index: "1" }),
      sign_type: "RSA",
    });
    expect(inner(response.text, LIST_KEY)).toMatchObject({
      code: "40002",
      sub_code: "isv.invalid-signature-type",
    });
  });

  it("rejects biz_content that is not JSON", async () => {
    const response = await signedPost({ ...baseParams(LIST, {}), biz_content: "{page_size:1" });
    expect(inner(response.text, LIST_KEY)).toMatchObject({
      code: "40002",
      sub_code: "isv.invalid-parameter",
    });
  });

  it("verifies empty-valued params both the way alipay-sdk signs (kept) and the documented way (dropped)", async () => {
    const params = { ...baseParams(LIST, { page_size: "1", page_index: "1" }), notify_url: "" };
    const sdkStyle = await signedPost(params);
    expect(inner(sdkStyle.text, LIST_KEY).code).toBe("10000");
    const javaStyle = stringToSign(
      Object.fromEntries(Object.entries(params).filter(([, value]) => value !== "")),
    );
    const documented = await post({ ...params, sign: rsa2(javaStyle, keys.app.privateKey) });
    expect(inner(documented.text, LIST_KEY).code).toBe("10000");
  });

  it("takes every parameter from a form body too (query and body are merged)", async () => {
    const params = baseParams(LIST, { page_size: "1", page_index: "1" });
    const response = await fetch(bed.sim.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        ...params,
        sign: rsa2(stringToSign(params), keys.app.privateKey),
      }).toString(),
    });
    const text = await response.text();
    expect(inner(text, LIST_KEY).code).toBe("10000");
    expect(verifiesWithAlipayKey(text, LIST_KEY)).toBe(true);
  });
});

describe("gateway protocol through alipay-sdk", () => {
  it("passes the SDK's own response verification (validateSign) and exposes trace_id", async () => {
    const result = await bed.exec(LIST, { pageSize: "10", pageIndex: "1" });
    expect(result).toMatchObject({ code: "10000", totalSize: "0", campList: [] });
    expect(result.traceId).toMatch(/^[0-9a-f]+$/);
  });

  it("rejects the SDK's default timestamp when the process runs outside Beijing time", async () => {
    // The SDK stamps local time; only when the host zone is UTC+8 does it match the gateway's clock.
    const offsetMinutes = new Date().getTimezoneOffset();
    const result = (await bed.sdk.exec(LIST, {
      bizContent: { pageSize: "1", pageIndex: "1" },
    })) as unknown as {
      code: string;
      subCode?: string;
    };
    if (offsetMinutes === -480) expect(result.code).toBe("10000");
    else expect(result).toMatchObject({ code: "40002", subCode: "isv.invalid-timestamp" });
  });
});
