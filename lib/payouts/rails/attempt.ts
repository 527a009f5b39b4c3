import "server-only";
import type { AlipayResult } from "@/lib/alipay/result";
import type { AttemptRecord } from "./types";

/** One Alipay call as the payout's history keeps it, whatever its outcome (shared by every rail). */
export function attemptOf(result: AlipayResult<unknown>): AttemptRecord {
  const { meta } = result;
  return {
    method: meta.method,
    startedAt: meta.at,
    latencyMs: meta.latencyMs,
    code: meta.code,
    subCode: meta.subCode,
    subMsg: meta.subMsg,
    traceId: meta.traceId,
    reason: result.kind === "unknown" ? `${result.reason}${result.detail ? `: ${result.detail}` : ""}` : null,
    rawReply: meta.reply,
  };
}
