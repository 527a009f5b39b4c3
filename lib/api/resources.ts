/**
 * The payout and the campaign as the machine API returns them and as webhooks carry them (the webhook trigger
 * in the machine_api migration builds the same JSON in SQL; a test compares the two). Pure: the OpenAPI
 * document describes these schemas, and the mapping functions are the only way a row becomes API output.
 */
import { z } from "zod";
import {
  CAMPAIGN_STATUSES,
  IDENTITY_TYPES,
  PAYOUT_SOURCES,
  PAYOUT_STATUSES,
  PRIZE_TYPES,
  RAILS,
  SCENES,
} from "@/lib/enums";
import { spendableFen } from "@/lib/budget/figures";

const timestamp = z.iso
  .datetime()
  .meta({ description: "ISO 8601, UTC", example: "2026-12-01T08:30:00.000Z" });
const fen = (description: string) =>
  z
    .number()
    .int()
    .meta({ description: `${description}, in fen (1 yuan = 100 fen)` });

export const apiPayoutSchema = z
  .object({
    id: z.string().meta({ description: "The console's id of the payout" }),
    campaignId: z.string(),
    outBizNo: z.string().meta({ description: "Your idempotency key for this business event" }),
    status: z.enum(PAYOUT_STATUSES),
    amountFen: fen("Budget held for the packet (the packet amount, or the largest packet for random prizes)"),
    awardedFen: fen("What Alipay paid, once SUCCEEDED").nullable(),
    recipient: z.object({ type: z.enum(IDENTITY_TYPES), id: z.string() }),
    scene: z.enum(SCENES),
    memo: z.string().nullable(),
    source: z.enum(PAYOUT_SOURCES),
    autoApproved: z.boolean(),
    failureCode: z
      .string()
      .nullable()
      .meta({ description: "Alipay's (or the console's) code of the last refusal" }),
    failureMessage: z.string().nullable(),
    attentionReason: z
      .string()
      .nullable()
      .meta({ description: "Why a person must look at it (NEEDS_ATTENTION)" }),
    decisionReason: z.string().nullable().meta({ description: "The approver's reason (REJECTED)" }),
    createdAt: timestamp,
    updatedAt: timestamp,
    succeededAt: timestamp.nullable(),
  })
  .meta({ id: "Payout" });
export type ApiPayout = z.infer<typeof apiPayoutSchema>;

export const apiCampaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    rail: z.enum(RAILS),
    prizeType: z.enum(PRIZE_TYPES),
    budgetFen: fen("The campaign's budget"),
    packetCount: z.number().int(),
    reservedFen: fen("Held for payouts under way"),
    spentFen: fen("Paid out"),
    refundedFen: fen("Returned by Alipay after the campaign ended"),
    availableFen: fen("What can still be paid out (0 until the budget is paid on Alipay)"),
    sentCount: z.number().int(),
    payUrl: z
      .string()
      .nullable()
      .meta({ description: "Alipay's cashier page where the budget is paid (AWAITING_FUNDING)" }),
    startsAt: timestamp.nullable(),
    endsAt: timestamp,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Campaign" });
export type ApiCampaign = z.infer<typeof apiCampaignSchema>;

type PayoutRow = {
  id: string;
  campaignId: string;
  outBizNo: string;
  status: ApiPayout["status"];
  amountFen: number;
  awardedFen: number | null;
  identityType: ApiPayout["recipient"]["type"];
  identity: string;
  scene: ApiPayout["scene"];
  memo: string | null;
  source: ApiPayout["source"];
  autoApproved: boolean;
  failureCode: string | null;
  failureMessage: string | null;
  attentionReason: string | null;
  decisionReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  succeededAt: Date | null;
};

export function toApiPayout(p: PayoutRow): ApiPayout {
  return {
    id: p.id,
    campaignId: p.campaignId,
    outBizNo: p.outBizNo,
    status: p.status,
    amountFen: p.amountFen,
    awardedFen: p.awardedFen,
    recipient: { type: p.identityType, id: p.identity },
    scene: p.scene,
    memo: p.memo,
    source: p.source,
    autoApproved: p.autoApproved,
    failureCode: p.failureCode,
    failureMessage: p.failureMessage,
    attentionReason: p.attentionReason,
    decisionReason: p.decisionReason,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    succeededAt: p.succeededAt?.toISOString() ?? null,
  };
}

type CampaignRow = {
  id: string;
  name: string;
  status: ApiCampaign["status"];
  rail: ApiCampaign["rail"];
  prizeType: ApiCampaign["prizeType"];
  budgetFen: number;
  packetCount: number;
  reservedFen: number;
  spentFen: number;
  refundedFen: number;
  sentCount: number;
  alipayStatus: string | null;
  payUrl: string | null;
  startsAt: Date | null;
  endsAt: Date;
  createdAt: Date;
  updatedAt: Date;
};

export function toApiCampaign(c: CampaignRow): ApiCampaign {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    rail: c.rail,
    prizeType: c.prizeType,
    budgetFen: c.budgetFen,
    packetCount: c.packetCount,
    reservedFen: c.reservedFen,
    spentFen: c.spentFen,
    refundedFen: c.refundedFen,
    availableFen: spendableFen(c),
    sentCount: c.sentCount,
    payUrl: c.payUrl,
    startsAt: c.startsAt?.toISOString() ?? null,
    endsAt: c.endsAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
