/**
 * The value lists of the database's enums, derived from the Prisma schema (generated/prisma/enums.ts), in schema
 * order, as non-empty tuples (what `z.enum` and the UI's option lists take). One source: a value added to the
 * schema appears in every form, filter and validation at once. Pure: safe in client components.
 */
import * as PrismaEnums from "@/generated/prisma/enums";

export type * from "@/generated/prisma/enums";

type Values<E extends Record<string, string>> = [E[keyof E], ...E[keyof E][]];

function valuesOf<E extends Record<string, string>>(prismaEnum: E): Values<E> {
  return Object.values(prismaEnum) as Values<E>;
}

export const ROLES = valuesOf(PrismaEnums.Role);
export const CAMPAIGN_STATUSES = valuesOf(PrismaEnums.CampaignStatus);
export const RAILS = valuesOf(PrismaEnums.CampaignRail);
export const PRIZE_TYPES = valuesOf(PrismaEnums.PrizeType);
export const SCENES = valuesOf(PrismaEnums.PayoutScene);
export const FREQUENCY_PERIODS = valuesOf(PrismaEnums.FrequencyPeriod);
export const IDENTITY_TYPES = valuesOf(PrismaEnums.IdentityType);
export const PAYOUT_STATUSES = valuesOf(PrismaEnums.PayoutStatus);
export const PAYOUT_SOURCES = valuesOf(PrismaEnums.PayoutSource);
export const BATCH_STATUSES = valuesOf(PrismaEnums.BatchStatus);
export const FUND_ORDER_STATUSES = valuesOf(PrismaEnums.FundOrderStatus);
