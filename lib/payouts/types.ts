/** Payout data as the console's pages and components receive it (plain JSON: ISO dates, fen integers). */
import type {
  ActorType,
  AttemptOutcome,
  IdentityType,
  PayoutScene,
  PayoutSource,
  PayoutStatus,
} from "@/generated/prisma/enums";
import type { UnknownReason } from "@/lib/alipay/result";

/** A row of the payout history (and of a campaign's payouts): the recipient is always masked here. */
export type PayoutRow = {
  id: string;
  createdAt: string;
  campaignId: string;
  campaignName: string;
  identityType: IdentityType;
  /** Masked (maskIdentity): enough to recognise, not to copy. */
  recipient: string;
  /** What was paid once known (awardedFen), else the amount held for it. */
  amountFen: number;
  status: PayoutStatus;
  scene: PayoutScene;
  source: PayoutSource;
  outBizNo: string;
  memo: string | null;
  requestedByLabel: string;
};

/**
 * One page of the history. `total` is exact up to a bound; past it `totalIsEstimate` is true and `total` is the
 * bound ("10,000+"), so the default view never counts a million rows.
 */
export type PayoutListPage = { rows: PayoutRow[]; total: number; totalIsEstimate: boolean; page: number };

/** The filtered view's exact figures: how many payouts, and their amounts added up. */
export type PayoutTotals = { count: number; amountFen: number };

/** A campaign in the history's campaign filter. */
export type PayoutCampaignOption = { id: string; name: string };

/** One event of a payout's life, oldest first, from the audit log. */
export type PayoutTimelineEvent = {
  id: string;
  createdAt: string;
  /** `payout.request`, `payout.approve`, … (labels are `audit.action.<action>`). */
  action: string;
  actorType: ActorType;
  actorLabel: string;
  /** `payout.request` only: where the request came from, and the requester's address. */
  source: PayoutSource | null;
  ip: string | null;
  /** `payout.approve` / `payout.reject` only: the decision's reason. */
  reason: string | null;
};

/** One call to Alipay for the payout. */
export type PayoutAttemptView = {
  id: string;
  number: number;
  startedAt: string;
  latencyMs: number;
  outcome: AttemptOutcome;
  code: string | null;
  subCode: string | null;
  /** Alipay's message for people (shown, never branched on). */
  subMsg: string | null;
  /** Why the outcome is unknown, as recorded (`timeout: …`). */
  reason: string | null;
  /** The kind of unknown outcome, when `reason` names one the console describes in words. */
  unknownReason: UnknownReason | null;
  traceId: string | null;
  awardedFen: number | null;
  /** Alipay answered with an earlier success: not a second payment. */
  repeat: boolean;
  /** The signed reply as received, pretty-printed: only for readers with `payout:raw`, otherwise null. */
  rawReply: string | null;
};

export type PayoutDetailView = {
  id: string;
  createdAt: string;
  updatedAt: string;
  campaignId: string;
  campaignName: string;
  outBizNo: string;
  identityType: IdentityType;
  /** In full for readers who request or approve payouts, masked for everyone else. */
  recipient: string;
  recipientMasked: boolean;
  /** Budget held for it. */
  heldFen: number;
  /** What Alipay paid (known once SUCCEEDED). */
  awardedFen: number | null;
  /** awardedFen ?? heldFen: the payout's amount as shown and totalled. */
  amountFen: number;
  scene: PayoutScene;
  source: PayoutSource;
  memo: string | null;
  status: PayoutStatus;
  requestedByType: ActorType;
  requestedByLabel: string;
  requestIp: string | null;
  autoApproved: boolean;
  decidedByLabel: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  failureRetryable: boolean | null;
  attentionReason: string | null;
  attemptCount: number;
  nextAttemptAt: string | null;
  alipayReference: string | null;
  succeededAt: string | null;
  timeline: PayoutTimelineEvent[];
  attempts: PayoutAttemptView[];
  /** Whether `attempts[].rawReply` was filled in (the reader holds `payout:raw`). */
  rawIncluded: boolean;
};
