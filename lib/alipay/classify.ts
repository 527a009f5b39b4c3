import "server-only";
import type { UnknownReason } from "./result";

/**
 * The classification table: how a gateway reply or a thrown SDK error becomes ok / rejected / unknown.
 * First matching row wins. Each row has a test in classify.test.ts. Only `code` and `sub_code` decide;
 * `sub_msg` is text for people (REFERENCE.md §6.3).
 */

export type Verdict =
  { kind: "ok" } | { kind: "rejected"; retryable: boolean } | { kind: "unknown"; reason: UnknownReason };

type Reply = { code: string | null; subCode: string | null };

export const REPLY_RULES: ReadonlyArray<{ row: string; matches: (r: Reply) => boolean; verdict: Verdict }> = [
  { row: "10000 Success", matches: (r) => r.code === "10000", verdict: { kind: "ok" } },
  {
    row: "10003 processing (fund.coupon)",
    matches: (r) => r.code === "10003",
    verdict: { kind: "unknown", reason: "processing" },
  },
  {
    row: "20000 service unavailable",
    matches: (r) => r.code === "20000",
    verdict: { kind: "unknown", reason: "service-unavailable" },
  },
  {
    row: "SYSTEM_ERROR / isp.unknow-error / aop.unknow-error under any code",
    matches: (r) => ["SYSTEM_ERROR", "isp.unknow-error", "aop.unknow-error"].includes(r.subCode ?? ""),
    verdict: { kind: "unknown", reason: "system-error" },
  },
  {
    row: "40005 call limited (not processed; back off and retry)",
    matches: (r) => r.code === "40005",
    verdict: { kind: "rejected", retryable: true },
  },
  {
    row: "20001 / 40001 / 40002 / 40003 / 40006: request or configuration refused",
    matches: (r) => ["20001", "40001", "40002", "40003", "40006"].includes(r.code ?? ""),
    verdict: { kind: "rejected", retryable: false },
  },
  {
    row: "40004 business failure",
    matches: (r) => r.code === "40004",
    verdict: { kind: "rejected", retryable: false },
  },
  {
    row: "any other code: not documented, so not known",
    matches: () => true,
    verdict: { kind: "unknown", reason: "unexpected-code" },
  },
];

export function classifyReply(reply: Reply): Verdict {
  for (const rule of REPLY_RULES) if (rule.matches(reply)) return rule.verdict;
  return { kind: "unknown", reason: "unexpected-code" };
}

/**
 * Errors thrown by alipay-sdk's exec(): every one of them leaves the outcome unknown (the request may have
 * been processed). The SDK exposes no error codes for these, so its fixed messages are matched.
 */
export const THROWN_RULES: ReadonlyArray<{
  row: string;
  matches: (e: ThrownShape) => boolean;
  reason: UnknownReason;
}> = [
  {
    row: "client timeout",
    matches: (e) => e.causeName === "HttpClientRequestTimeoutError" || /timeout/i.test(e.message),
    reason: "timeout",
  },
  {
    row: "HTTP status other than 200",
    matches: (e) => e.message.startsWith("HTTP 请求错误"),
    reason: "http-status",
  },
  {
    row: "response signature invalid",
    matches: (e) => e.message.startsWith("验签失败"),
    reason: "bad-signature",
  },
  {
    row: "response without a signature (the SDK throws a TypeError from crypto)",
    matches: (e) => e.name === "TypeError" && /signature/i.test(e.message),
    reason: "unsigned",
  },
  {
    row: "body not JSON or response key missing",
    matches: (e) => e.message.startsWith("Response 格式错误"),
    reason: "unparsable",
  },
  { row: "connection refused / reset / dropped", matches: () => true, reason: "network" },
];

export type ThrownShape = { name: string; message: string; causeName: string | null };

export function thrownShape(error: unknown): ThrownShape {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return {
      name: error.name,
      message: error.message,
      causeName: cause instanceof Error ? cause.name : null,
    };
  }
  return { name: "Error", message: String(error), causeName: null };
}

export function classifyThrown(error: unknown): UnknownReason {
  const shape = thrownShape(error);
  for (const rule of THROWN_RULES) if (rule.matches(shape)) return rule.reason;
  return "network";
}
