import "server-only";
import type { Campaign, CampaignRail, IdentityType } from "@/generated/prisma/client";
import type { AlipayClient } from "@/lib/alipay/client";
import type { MessageKey } from "@/lib/i18n/messages";

/**
 * A rail is one way of paying people through Alipay (DESIGN.md §3). The request path, the dispatcher, the
 * reconciler, approvals, history and export work only through this interface and never ask which rail a
 * campaign uses: adding a rail is adding an implementation to `rails/index.ts`.
 */
export interface PayoutRail {
  readonly rail: CampaignRail;
  /** What funds the budget, for people (an i18n key under `payouts.funding.*`). */
  readonly funding: "alipayCampaign" | "couponOrder" | "merchantBalance";
  /** Whether the campaign's money is there to pay from (funded and not ended), as last seen. */
  canPay(campaign: Campaign): boolean;
  /**
   * Alipay's own call rate for this rail's payouts, per second across every process (the dispatcher spaces its
   * calls to it), or null when only the app-wide limit (ALIPAY_MAX_QPS) applies.
   */
  readonly callsPerSecond: number | null;
  /**
   * Whether a request names its packet's amount (up to the campaign's maxPacketFen) or the campaign sizes every
   * packet (CASH_CAMPAIGN). A retry holds the payout's own amount again on the first kind.
   */
  readonly amountFromRequest: boolean;
  /**
   * How far Alipay's idempotency key reaches: `campaign` (a trigger's out_biz_no lives under the crowd_no) or
   * `merchant` (a transfer's out_biz_no, a disbursement's out_order_no). On the second kind the request path
   * stores the key in Payout.merchantKey, whose unique index refuses a key another campaign already sent.
   */
  readonly keyScope: "campaign" | "merchant";
  /**
   * What one payout holds of the budget: exactly `maxFen` when `minFen === maxFen` (a fixed packet), otherwise
   * up to `maxFen` and at least `minFen` (a random packet, settled to what Alipay awards). `requestedFen` is the
   * amount a request named (null: the campaign's standard packet); a rail that cannot pay it throws a field
   * error on `amountFen` (a 4xx naming the field).
   */
  reservation(campaign: Campaign, requestedFen: number | null): { maxFen: number; minFen: number };
  /**
   * What is missing about the payee for this rail to pay them (an i18n key, refused on `payeeName` before
   * anything is held), or null. Left out: the rail needs nothing beyond the identity.
   */
  payeeProblem?(identityType: IdentityType, payeeName: string | null): MessageKey | null;
  /** Sends the payout with its stored key. Never throws for anything Alipay or the network does. */
  send(client: AlipayClient, campaign: Campaign, payout: RailPayout): Promise<SendOutcome>;
  /** Learns the outcome of an earlier send whose answer was lost (a query, or the same request again). */
  resolve(client: AlipayClient, campaign: Campaign, payout: RailPayout): Promise<SendOutcome>;
}

export type RailPayout = {
  id: string;
  outBizNo: string;
  identityType: IdentityType;
  identity: string;
  amountFen: number;
  /** TRANSFER with a login id: the payee's real name. */
  payeeName: string | null;
  /** FUND_COUPON: the order it disburses from, once chosen (kept for every retry). */
  fundOrderId: string | null;
};

/** One call as the payout's history keeps it (PayoutAttempt). */
export type AttemptRecord = {
  /** The Alipay method called; left out when nothing was sent (a refusal decided locally). */
  method?: string;
  startedAt: Date;
  latencyMs: number;
  code: string | null;
  subCode: string | null;
  subMsg: string | null;
  traceId: string | null;
  reason: string | null;
  rawReply: Record<string, unknown> | null;
};

export type SendOutcome =
  /** Paid (now, or earlier: `repeat`), `awardedFen` of it. */
  | { kind: "paid"; awardedFen: number; repeat: boolean; reference: string | null; attempt: AttemptRecord }
  /** Definitely not paid. `retryable`: a person's retry may succeed later (e.g. once the budget is there). */
  | { kind: "refused"; code: string; message: string; retryable: boolean; attempt: AttemptRecord }
  /** Not processed (rate limited): send again later with the same key, no harm done. */
  | { kind: "deferred"; attempt: AttemptRecord }
  /** May or may not have been paid: resolve later with the same key, never re-key. */
  | { kind: "unknown"; reason: string; attempt: AttemptRecord }
  /**
   * An alarm: Alipay says something a retry cannot fix and a person must look at, e.g. the same key was sent
   * with different parameters (PAYMENT_INFO_INCONSISTENCY). Never retried; the payout goes to NEEDS_ATTENTION
   * with `code` as its reason, its budget still held, and the alarm is audited.
   */
  | { kind: "attention"; code: string; message: string; attempt: AttemptRecord };
