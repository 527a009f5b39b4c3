/**
 * What every Alipay call returns: a definite success, a definite refusal, or an unknown outcome.
 * `unknown` means "Alipay may or may not have done it": retry with the SAME idempotency key and identical
 * parameters, or query — never treat it as a failure and never re-key (DESIGN.md §4).
 */

export type CallMeta = {
  method: string;
  at: Date;
  latencyMs: number;
  traceId: string | null;
  code: string | null;
  subCode: string | null;
  /** For people; never branch on it. */
  subMsg: string | null;
  /** The verified reply's fields as received (null when none arrived): kept for administrators, never logged. */
  reply: Record<string, unknown> | null;
};

export type UnknownReason =
  | "timeout"
  | "network"
  | "http-status"
  | "unparsable"
  | "bad-signature"
  | "unsigned"
  | "service-unavailable"
  | "system-error"
  | "processing"
  | "invalid-response"
  | "unexpected-code";

export type AlipayOk<T> = { kind: "ok"; data: T; meta: CallMeta };
export type AlipayRejected = {
  kind: "rejected";
  code: string;
  subCode: string;
  subMsg: string;
  /** Refused without being processed and worth retrying later with the same key (rate limiting). */
  retryable: boolean;
  meta: CallMeta;
};
export type AlipayUnknown = { kind: "unknown"; reason: UnknownReason; detail: string; meta: CallMeta };

export type AlipayResult<T> = AlipayOk<T> | AlipayRejected | AlipayUnknown;

/** Re-types a non-ok result (its payload type does not matter) and maps an ok one. */
export function mapOk<T, U>(
  result: AlipayResult<T>,
  map: (data: T, meta: CallMeta) => AlipayResult<U>,
): AlipayResult<U> {
  return result.kind === "ok" ? map(result.data, result.meta) : result;
}
