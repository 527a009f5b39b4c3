/** Initial values of the campaign form (a new campaign, or a failed one being corrected) and its defaults. Pure. */
import { toZonedInputValue } from "@/lib/format/date";
import { fenToYuanInput } from "@/lib/format/money";
import type { PRIZE_TYPES, RAILS, SCENES } from "@/lib/validation/campaigns";
import type { FrequencyPeriodName } from "./frequency";
import { planPackets, readPacketInputs, type PrizeType } from "./packet-preview";
import type { CampaignDetailView } from "./types";

/** What the campaign form holds: exactly what a person typed (strings), validated by campaignFormSchema. */
export type CampaignFormState = {
  name: string;
  prizeMessage: string;
  prizeType: (typeof PRIZE_TYPES)[number];
  rail: (typeof RAILS)[number];
  total: string;
  packetCount: string;
  startMode: "now" | "at";
  startAt: string;
  endAt: string;
  frequencyLifetime: string;
  frequencyPeriod: "" | FrequencyPeriodName;
  frequencyPeriodLimit: string;
  merchantLink: string;
  defaultScene: (typeof SCENES)[number];
  autoApproveMax: string;
  autoApproveDailyCap: string;
};

const DEFAULT_DURATION_MS = 30 * 24 * 60 * 60 * 1000;

/** Where Alipay sends the payer after paying: the console's own return route (Alipay appends crowdNo). */
export function fundedReturnUrl(origin: string): string {
  return `${origin.replace(/\/$/, "")}/campaigns/funded`;
}

export function newCampaignDefaults(options: {
  timeZone: string;
  now: Date;
  origin: string;
}): CampaignFormState {
  return {
    name: "",
    prizeMessage: "",
    prizeType: "FIXED",
    rail: "CASH_CAMPAIGN",
    total: "",
    packetCount: "",
    startMode: "now",
    startAt: "",
    endAt: toZonedInputValue(new Date(options.now.getTime() + DEFAULT_DURATION_MS), options.timeZone),
    frequencyLifetime: "1",
    frequencyPeriod: "",
    frequencyPeriodLimit: "",
    merchantLink: fundedReturnUrl(options.origin),
    defaultScene: "POINTS_REDEMPTION",
    // Filled in by withDefaultPolicy as the budget and count are typed.
    autoApproveMax: "",
    autoApproveDailyCap: "",
  };
}

/** The default daily cap, as a share of the budget. */
export const DEFAULT_DAILY_CAP_PERCENT = 10;

export type ApprovalPolicy = { autoApproveMaxFen: number; autoApproveDailyCapFen: number };

/**
 * A usable approval policy for a budget and count: payouts up to one packet (fixed: the packet; random: the
 * largest packet Alipay can award) go out without an approver until the day's automatic total reaches
 * DEFAULT_DAILY_CAP_PERCENT of the budget, never less than one packet and never more than the budget. Beyond
 * that an approver checks each payout, which bounds what a mistake or a leaked API key can cost in a day.
 * Null when Alipay would refuse the budget and count (there is no packet size to start from).
 */
export function defaultApprovalPolicy(
  prizeType: PrizeType,
  totalFen: number,
  count: number,
): ApprovalPolicy | null {
  const plan = planPackets(prizeType, totalFen, count);
  if (!plan.ok) return null;
  const packetFen = plan.prizeType === "FIXED" ? plan.perPacketFen : plan.largestFen;
  const share = Math.floor((totalFen * DEFAULT_DAILY_CAP_PERCENT) / 100);
  return {
    autoApproveMaxFen: packetFen,
    autoApproveDailyCapFen: Math.min(totalFen, Math.max(packetFen, share)),
  };
}

/**
 * The form with its policy fields set from the budget and count as typed; emptied (= ¥0, every payout waits)
 * while those do not make a valid campaign, so a stale default never stays behind. The form calls it on every
 * budget, count or amount-type change until the person edits a policy field.
 */
export function withDefaultPolicy(state: CampaignFormState): CampaignFormState {
  const read = readPacketInputs(state.total, state.packetCount);
  const policy = read && defaultApprovalPolicy(state.prizeType, read.totalFen, read.count);
  return {
    ...state,
    autoApproveMax: policy ? fenToYuanInput(policy.autoApproveMaxFen) : "",
    autoApproveDailyCap: policy ? fenToYuanInput(policy.autoApproveDailyCapFen) : "",
  };
}

export function formStateFromCampaign(c: CampaignDetailView, timeZone: string): CampaignFormState {
  return {
    name: c.name,
    prizeMessage: c.prizeMessage,
    prizeType: c.prizeType,
    rail: c.rail,
    total: fenToYuanInput(c.budgetFen),
    packetCount: String(c.packetCount),
    startMode: c.startsAt ? "at" : "now",
    startAt: c.startsAt ? toZonedInputValue(c.startsAt, timeZone) : "",
    endAt: toZonedInputValue(c.endsAt, timeZone),
    frequencyLifetime: String(c.frequencyLifetime),
    frequencyPeriod: c.frequencyPeriod ?? "",
    frequencyPeriodLimit: c.frequencyPeriodLimit ? String(c.frequencyPeriodLimit) : "",
    merchantLink: c.merchantLink ?? "",
    defaultScene: c.defaultScene,
    autoApproveMax: fenToYuanInput(c.autoApproveMaxFen),
    autoApproveDailyCap: fenToYuanInput(c.autoApproveDailyCapFen),
  };
}
