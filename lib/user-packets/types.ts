/** What the user-funded packets' reads return: plain JSON for pages and the API. Pure. */
import type { CampaignStatus, FundOrderStatus } from "@/lib/enums";

export type UserPacketRow = {
  /** The packet's campaign id (its page is /campaigns/{id}). */
  id: string;
  title: string;
  greeting: string;
  payerUserId: string;
  status: CampaignStatus;
  orderNo: string;
  orderStatus: FundOrderStatus;
  /** What the payer put in (the APP order's amount). */
  amountFen: number;
  /** How many claims it allows at most. */
  packetCount: number;
  /** Claims Alipay paid, and what they received. */
  claimedCount: number;
  claimedFen: number;
  /** Returned to the payer (the unclaimed remainder once it ended). */
  refundedFen: number;
  /** What a claim could still take now. */
  availableFen: number;
  paidAt: string | null;
  createdAt: string;
  endsAt: string;
};

export type UserPacketRefund = {
  id: string;
  amountFen: number;
  kind: string;
  status: string;
  createdAt: string;
};
