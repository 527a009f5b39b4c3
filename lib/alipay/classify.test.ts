import { describe, expect, it } from "vitest";
import { classifyReply, classifyThrown, REPLY_RULES, THROWN_RULES } from "./classify";

describe("classification of gateway replies (one test per row of REPLY_RULES)", () => {
  it.each([
    ["10000", null, { kind: "ok" }],
    ["10003", null, { kind: "unknown", reason: "processing" }],
    ["20000", "isp.unknow-error", { kind: "unknown", reason: "service-unavailable" }],
    ["20000", "aop.unknow-error", { kind: "unknown", reason: "service-unavailable" }],
    ["40004", "SYSTEM_ERROR", { kind: "unknown", reason: "system-error" }],
    ["40004", "isp.unknow-error", { kind: "unknown", reason: "system-error" }],
    ["40005", "isv.app-call-limited", { kind: "rejected", retryable: true }],
    ["20001", "aop.invalid-app-auth-token", { kind: "rejected", retryable: false }],
    ["40001", "isv.missing-signature", { kind: "rejected", retryable: false }],
    ["40002", "isv.invalid-signature", { kind: "rejected", retryable: false }],
    ["40003", "isv.missing-signature-config", { kind: "rejected", retryable: false }],
    ["40006", "isv.insufficient-isv-permissions", { kind: "rejected", retryable: false }],
    ["40004", "PAYEE_NOT_EXIST", { kind: "rejected", retryable: false }],
    ["40004", "CASH_CAMP_BUDGET_INSUFFICIENT", { kind: "rejected", retryable: false }],
    ["50000", null, { kind: "unknown", reason: "unexpected-code" }],
    [null, null, { kind: "unknown", reason: "unexpected-code" }],
  ])("code %s / %s", (code, subCode, verdict) => {
    expect(classifyReply({ code, subCode })).toEqual(verdict);
  });

  it("never decides on sub_msg (it is not even an input)", () => {
    expect(classifyReply.length).toBe(1);
    expect(REPLY_RULES.every((r) => r.matches.length <= 1)).toBe(true);
  });
});

describe("classification of thrown SDK errors (one test per row of THROWN_RULES)", () => {
  const withCause = (message: string, causeName: string) => {
    const cause = new Error("x");
    cause.name = causeName;
    return new Error(message, { cause });
  };
  it.each([
    [
      withCause("HttpClient Request error: Request timeout for 5000 ms", "HttpClientRequestTimeoutError"),
      "timeout",
    ],
    [new Error("HTTP 请求错误, status: 502"), "http-status"],
    [new Error("验签失败，服务端返回的 sign: 'x' 无效, validateStr: '{}'"), "bad-signature"],
    [new TypeError('The "signature" argument must be of type string or an instance of Buffer'), "unsigned"],
    [new Error("Response 格式错误"), "unparsable"],
    [new Error("Response 格式错误，返回值 x_response 找不到"), "unparsable"],
    [withCause("HttpClient Request error: connect ECONNREFUSED 127.0.0.1:9", "Error"), "network"],
    [new Error("HttpClient Request error: other side closed"), "network"],
  ])("%s → %s", (error, reason) => {
    expect(classifyThrown(error)).toBe(reason);
  });

  it("has a row for every kind of thrown error the SDK produces", () => {
    expect(THROWN_RULES.map((r) => r.reason)).toEqual([
      "timeout",
      "http-status",
      "bad-signature",
      "unsigned",
      "unparsable",
      "network",
    ]);
  });
});
