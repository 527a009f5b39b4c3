/** Initial values of the campaign form (a new campaign, or a failed one being corrected) and its defaults. Pure. */
import { toZonedInputValue } from "@/lib/format/date";
import { fenToYuanInput, parseYuanInput } from "@/lib/format/money";
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
  /** FUND_COUPON and TRANSFER: the largest packet a request may name, and the optional per-recipient day cap. */
  maxPacket: string;
  dailyAmountPerUser: string;
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
    maxPacket: "",
    dailyAmountPerUser: "",
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
  const policy = formDefaultPolicy(state);
  return {
    ...state,
    autoApproveMax: policy ? fenToYuanInput(policy.autoApproveMaxFen) : "",
    autoApproveDailyCap: policy ? fenToYuanInput(policy.autoApproveDailyCapFen) : "",
  };
}

/**
 * The policy a rail that takes the amount from the request starts with: one largest packet automatically, and
 * DEFAULT_DAILY_CAP_PERCENT of the budget a day (TRANSFER), never less than one packet nor more than the
 * budget; a FUND_COUPON campaign has no budget yet, so ten packets a day. Null when the packet (or budget) is
 * not a valid amount.
 */
export function requestAmountPolicy(maxPacketFen: number, budgetFen: number | null): ApprovalPolicy | null {
  if (maxPacketFen < 1 || (budgetFen !== null && (budgetFen < 1 || maxPacketFen > budgetFen))) return null;
  const cap =
    budgetFen === null
      ? maxPacketFen * 10
      : Math.min(
          budgetFen,
          Math.max(maxPacketFen, Math.floor((budgetFen * DEFAULT_DAILY_CAP_PERCENT) / 100)),
        );
  return { autoApproveMaxFen: maxPacketFen, autoApproveDailyCapFen: cap };
}

/** The default policy for the form as typed, on its rail; null while the inputs it starts from are invalid. */
function formDefaultPolicy(state: CampaignFormState): ApprovalPolicy | null {
  if (state.rail === "CASH_CAMPAIGN") {
    const read = readPacketInputs(state.total, state.packetCount);
    return read && defaultApprovalPolicy(state.prizeType, read.totalFen, read.count);
  }
  const maxPacketFen = parseYuanInput(state.maxPacket);
  if (maxPacketFen === null) return null;
  if (state.rail === "FUND_COUPON") return requestAmountPolicy(maxPacketFen, null);
  const budgetFen = parseYuanInput(state.total);
  return budgetFen === null ? null : requestAmountPolicy(maxPacketFen, budgetFen);
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
    maxPacket: c.maxPacketFen === null ? "" : fenToYuanInput(c.maxPacketFen),
    dailyAmountPerUser: c.dailyAmountPerUserFen === null ? "" : fenToYuanInput(c.dailyAmountPerUserFen),
  };
}
