/**
 * The value lists of the database's enums, derived from the Prisma schema (generated/prisma/enums.ts), in schema
 * order, as non-empty tuples (what `z.enum` and the UI's option lists take). One source: a value added to the
 * schema appears in every form, filter and validation at once. Pure: safe in client components.
 */
import {
  CampaignRail,
  CampaignStatus,
  FrequencyPeriod,
  IdentityType,
  PayoutScene,
  PayoutSource,
  PayoutStatus,
  PrizeType,
  Role,
} from "@/generated/prisma/enums";

type Values<E extends Record<string, string>> = [E[keyof E], ...E[keyof E][]];

function valuesOf<E extends Record<string, string>>(prismaEnum: E): Values<E> {
  return Object.values(prismaEnum) as Values<E>;
}

export const ROLES = valuesOf(Role);
export const CAMPAIGN_STATUSES = valuesOf(CampaignStatus);
export const RAILS = valuesOf(CampaignRail);
export const PRIZE_TYPES = valuesOf(PrizeType);
export const SCENES = valuesOf(PayoutScene);
export const FREQUENCY_PERIODS = valuesOf(FrequencyPeriod);
export const IDENTITY_TYPES = valuesOf(IdentityType);
export const PAYOUT_STATUSES = valuesOf(PayoutStatus);
export const PAYOUT_SOURCES = valuesOf(PayoutSource);

export type {
  CampaignRail,
  CampaignStatus,
  FrequencyPeriod,
  IdentityType,
  PayoutScene,
  PayoutSource,
  PayoutStatus,
  PrizeType,
  Role,
};
