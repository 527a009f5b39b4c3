/**
 * The machine API's error vocabulary: one shape everywhere (`{ error: { code, message, fields? } }`), messages in
 * English, codes stable (integrations branch on them; docs/api.md lists them, generated from this table). Pure.
 */
import type { MessageKey } from "@/lib/i18n/messages";

export const API_ERRORS = {
  INVALID_JSON: { status: 400, description: "The body is not a JSON object." },
  UNAUTHENTICATED: {
    status: 401,
    description: "No API key, an unknown key or a revoked key (send `Authorization: Bearer hbk_live_…`).",
  },
  FORBIDDEN: { status: 403, description: "The key lacks the permission this endpoint needs." },
  NOT_FOUND: {
    status: 404,
    description: "No such campaign or payout, or the campaign is outside the key's campaigns.",
  },
  IDEMPOTENCY_CONFLICT: {
    status: 409,
    description: "This outBizNo was used before with different parameters; `fields` names them.",
  },
  CONFLICT: {
    status: 409,
    description: "The campaign's status does not allow this now (e.g. pausing a closed one).",
  },
  VALIDATION: {
    status: 422,
    description: "A field is missing or wrong; `fields` maps each field to its problems.",
  },
  CAMPAIGN_NOT_PAYING: {
    status: 422,
    description: "The campaign is not active (not funded yet, paused or ended).",
  },
  BUDGET_EXHAUSTED: { status: 422, description: "The campaign's available budget cannot cover this packet." },
  FREQUENCY_LIMIT: {
    status: 422,
    description: "The recipient already received as many packets as the campaign allows.",
  },
  RATE_LIMITED: {
    status: 429,
    description: "The key's requests per minute are used up; retry after `Retry-After` seconds.",
  },
  ALIPAY_UNAVAILABLE: {
    status: 502,
    description: "Alipay refused or did not answer a campaign call; the campaign records the outcome.",
  },
  INTERNAL: {
    status: 500,
    description:
      "A fault in the console; nothing is promised about the change. Retry with the same outBizNo.",
  },
} as const satisfies Record<string, { status: number; description: string }>;
export type ApiErrorCode = keyof typeof API_ERRORS;

/** Services' refusals that integrations want to tell apart, by the message they carry. */
export const API_CODE_BY_MESSAGE: Partial<Record<MessageKey, ApiErrorCode>> = {
  "payouts.errors.replayConflict": "IDEMPOTENCY_CONFLICT",
  "userPackets.errors.replayConflict": "IDEMPOTENCY_CONFLICT",
  "userPackets.errors.notFound": "NOT_FOUND",
  "payouts.errors.campaignNotFound": "NOT_FOUND",
  "payouts.errors.campaignNotPaying": "CAMPAIGN_NOT_PAYING",
  "payouts.errors.budgetExhausted": "BUDGET_EXHAUSTED",
  "payouts.errors.frequencyLimit": "FREQUENCY_LIMIT",
  "payouts.errors.frequencyLimitPeriod.DAY": "FREQUENCY_LIMIT",
  "payouts.errors.frequencyLimitPeriod.WEEK": "FREQUENCY_LIMIT",
  "payouts.errors.frequencyLimitPeriod.MONTH": "FREQUENCY_LIMIT",
  "campaigns.errors.alipayRejected": "ALIPAY_UNAVAILABLE",
  "campaigns.errors.alipayUnknown": "ALIPAY_UNAVAILABLE",
};

/** `{ error: { code, message, fields? } }`. */
export type ApiErrorBody = {
  error: { code: ApiErrorCode; message: string; fields?: Record<string, string[]> };
};
