/** Campaign data as the console's pages and components receive it (plain JSON: ISO dates, fen integers). */
import type {
  CampaignRail,
  CampaignStatus,
  FrequencyPeriod,
  PayoutScene,
  PrizeType,
} from "@/generated/prisma/enums";

export type CampaignRow = {
  id: string;
  name: string;
  status: CampaignStatus;
  alipayStatus: string | null;
  rail: CampaignRail;
  scene: PayoutScene;
  budgetFen: number;
  reservedFen: number;
  spentFen: number;
  /** What can still be paid out: ¥0 until the budget has been paid. */
  availableFen: number;
  funded: boolean;
  startsAt: string | null;
  endsAt: string;
  createdAt: string;
  crowdNo: string | null;
};

/** One line of a campaign's activity: who did what and when; the audit details only for `audit:read`. */
export type CampaignActivityEntry = {
  id: string;
  createdAt: string;
  actorType: string;
  actorLabel: string;
  action: string;
  details: { before: unknown; after: unknown; ip: string | null } | null;
};

export type CampaignDetailView = {
  id: string;
  name: string;
  prizeMessage: string;
  prizeType: PrizeType;
  rail: CampaignRail;
  status: CampaignStatus;
  alipayStatus: string | null;
  budgetFen: number;
  reservedFen: number;
  spentFen: number;
  refundedFen: number;
  /** What can still be paid out: ¥0 until the budget has been paid. */
  availableFen: number;
  funded: boolean;
  /** CASH_CAMPAIGN only (0 on the rails that take each packet's amount from the request). */
  packetCount: number;
  sentCount: number;
  alipaySentFen: number | null;
  /** FUND_COUPON and TRANSFER: the largest packet a request may name; null on CASH_CAMPAIGN. */
  maxPacketFen: number | null;
  /** FUND_COUPON and TRANSFER: at most this much to one recipient per Beijing day (null: no cap). */
  dailyAmountPerUserFen: number | null;
  startsAt: string | null;
  endsAt: string;
  frequency: string;
  frequencyLifetime: number;
  frequencyPeriod: FrequencyPeriod | null;
  frequencyPeriodLimit: number | null;
  merchantLink: string | null;
  defaultScene: PayoutScene;
  autoApproveMaxFen: number;
  autoApproveDailyCapFen: number;
  crowdNo: string | null;
  originCrowdNo: string | null;
  payUrl: string | null;
  payUrlExpiresAt: string | null;
  lastSyncedAt: string | null;
  lastSyncError: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  budgetMismatchAt: string | null;
  createdAt: string;
  createdBy: string;
  snapshots: Array<{ at: string; spentFen: number; reservedFen: number; alipaySentFen: number | null }>;
  activity: CampaignActivityEntry[];
};

export type DashboardCampaign = {
  id: string;
  name: string;
  status: CampaignStatus;
  budgetFen: number;
  availableFen: number;
  endsAt: string;
};

export type DashboardSummary = {
  activeCount: number;
  budgetFen: number;
  availableFen: number;
  /** Paid since 00:00 Beijing time: how many packets, and what Alipay awarded. */
  sentToday: { count: number; amountFen: number };
  spentWeekFen: number;
  endingSoon: DashboardCampaign[];
  lowBudget: DashboardCampaign[];
  pendingApprovals: number;
  needsAttention: number;
  /** Outcome not known yet (UNKNOWN): being confirmed with Alipay, never counted as failed. */
  beingConfirmed: number;
  /** Of those needing attention, the alarms: a key Alipay has with other details (PAYMENT_INFO_INCONSISTENCY). */
  alarms: number;
  failedLast24h: number;
  awaitingFunding: number;
};
