/** Initial values of the campaign form: a new campaign, or a failed one being corrected. Pure. */
import { toZonedInputValue } from "@/lib/format/date";
import { fenToYuanInput } from "@/lib/format/money";
import type { PRIZE_TYPES, RAILS, SCENES } from "@/lib/validation/campaigns";
import type { FrequencyPeriodName } from "./frequency";
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
    autoApproveMax: "0",
    autoApproveDailyCap: "0",
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
