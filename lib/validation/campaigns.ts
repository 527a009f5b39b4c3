/**
 * The campaign form's schema: every Alipay limit for cash campaigns (REFERENCE.md §2.2), checked identically in
 * the browser (errors next to the field, in the reader's language) and by the server action. Built per call
 * because times are typed in the display time zone and "in the future" depends on now.
 */
import { z } from "zod";
import { FREQUENCY_PERIODS, LIFETIME_MAX } from "@/lib/campaigns/frequency";
import { CAMPAIGN_STATUSES } from "@/lib/campaigns/status";
import { parseZonedDateTime } from "@/lib/format/date";
import { parseYuanInput } from "@/lib/format/money";
import { listQuerySchema } from "./list-query";

export const CAMPAIGN_LIMITS = {
  nameMax: 64,
  messageMax: 64,
  totalMinFen: 100, // ¥1.00
  totalMaxFen: 1_000_000_000, // ¥10,000,000.00
  countMin: 1,
  countMax: 10_000_000,
  packetMinFen: 20, // ¥0.20
  packetMaxFen: 20_000, // ¥200.00
  maxDurationMonths: 6,
} as const;

export const RAILS = ["CASH_CAMPAIGN", "FUND_COUPON", "TRANSFER"] as const;
/** Rails whose campaigns the console can create today. */
export const CREATABLE_RAILS: readonly (typeof RAILS)[number][] = ["CASH_CAMPAIGN"];
export const PRIZE_TYPES = ["FIXED", "RANDOM"] as const;
export const SCENES = ["POINTS_REDEMPTION", "INVITE_REWARD", "MANUAL", "OTHER"] as const;

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * `date` plus `months` calendar months on Beijing's calendar (Alipay's clock; UTC+8 all year), clamped to the
 * month's last day (Aug 31 + 6 months = Feb 28/29).
 */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime() + BEIJING_OFFSET_MS);
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return new Date(result.getTime() - BEIJING_OFFSET_MS);
}

const money = (requiredKey: "validation.required" | null) =>
  z.string().transform((value, ctx) => {
    if (value.trim() === "" && requiredKey === null) return 0;
    const fen = parseYuanInput(value);
    if (fen === null) {
      ctx.addIssue({
        code: "custom",
        message: value.trim() === "" ? "validation.required" : "validation.invalidAmount",
      });
      return z.NEVER;
    }
    return fen;
  });

const integer = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = String(value).trim();
  if (!/^\d{1,9}$/.test(text)) {
    ctx.addIssue({
      code: "custom",
      message: text === "" ? "validation.required" : "validation.invalidInteger",
    });
    return z.NEVER;
  }
  return Number(text);
});

export function campaignFormSchema(options: { timeZone: string; now?: () => Date }) {
  const clock = options.now ?? (() => new Date());
  return z
    .object({
      name: z
        .string()
        .trim()
        .min(1, "validation.required")
        .max(CAMPAIGN_LIMITS.nameMax, "validation.tooLong"),
      prizeMessage: z
        .string()
        .trim()
        .min(1, "validation.required")
        .max(CAMPAIGN_LIMITS.messageMax, "validation.tooLong"),
      prizeType: z.enum(PRIZE_TYPES, "validation.invalidOption"),
      rail: z.enum(RAILS, "validation.invalidOption"),
      total: money("validation.required"),
      packetCount: integer,
      startMode: z.enum(["now", "at"], "validation.invalidOption"),
      startAt: z.string().optional().default(""),
      endAt: z.string().min(1, "validation.required"),
      frequencyLifetime: integer,
      frequencyPeriod: z.enum(["", ...FREQUENCY_PERIODS], "validation.invalidOption").default(""),
      frequencyPeriodLimit: z.union([z.string(), z.number()]).optional().default(""),
      merchantLink: z
        .string()
        .trim()
        .max(256, "validation.tooLong")
        .refine((v) => v === "" || /^https?:\/\/\S+$/.test(v), "validation.invalidUrl")
        .default(""),
      defaultScene: z.enum(SCENES, "validation.invalidOption"),
      autoApproveMax: money(null).default(0),
      autoApproveDailyCap: money(null).default(0),
    })
    .transform((input, ctx) => {
      const now = clock(); // evaluated per parse: the schema object lives as long as the server
      const issue = (path: string, message: string) =>
        ctx.addIssue({ code: "custom", path: [path], message });
      if (!CREATABLE_RAILS.includes(input.rail)) issue("rail", "campaigns.errors.railUnavailable");

      const { totalMinFen, totalMaxFen, countMin, countMax, packetMinFen, packetMaxFen } = CAMPAIGN_LIMITS;
      if (input.total < totalMinFen) issue("total", "campaigns.errors.totalTooSmall");
      if (input.total > totalMaxFen) issue("total", "campaigns.errors.totalTooLarge");
      if (input.packetCount < countMin) issue("packetCount", "campaigns.errors.countTooSmall");
      if (input.packetCount > countMax) issue("packetCount", "campaigns.errors.countTooLarge");
      if (input.packetCount >= countMin && input.total >= totalMinFen) {
        // Per packet (fixed) or on average (random): between ¥0.20 and ¥200.00.
        if (input.total < packetMinFen * input.packetCount)
          issue("packetCount", "campaigns.errors.packetTooSmall");
        else if (input.total > packetMaxFen * input.packetCount)
          issue("packetCount", "campaigns.errors.packetTooLarge");
        else if (input.prizeType === "FIXED" && input.total % input.packetCount !== 0) {
          issue("packetCount", "campaigns.errors.notDivisible");
        }
      }

      const start = input.startMode === "now" ? null : parseZonedDateTime(input.startAt, options.timeZone);
      if (input.startMode === "at" && !start)
        issue("startAt", input.startAt ? "validation.invalidDate" : "validation.required");
      if (start && start.getTime() <= now.getTime()) issue("startAt", "campaigns.errors.startInPast");
      const end = parseZonedDateTime(input.endAt, options.timeZone);
      if (!end) issue("endAt", "validation.invalidDate");
      const effectiveStart = start ?? now;
      if (end && end.getTime() <= effectiveStart.getTime()) issue("endAt", "campaigns.errors.endBeforeStart");
      if (end && end.getTime() > addMonths(effectiveStart, CAMPAIGN_LIMITS.maxDurationMonths).getTime()) {
        issue("endAt", "campaigns.errors.tooLong");
      }

      if (input.frequencyLifetime < 1 || input.frequencyLifetime > LIFETIME_MAX) {
        issue("frequencyLifetime", "campaigns.errors.lifetimeRange");
      }
      let periodLimit: number | null = null;
      if (input.frequencyPeriod !== "") {
        const text = String(input.frequencyPeriodLimit).trim();
        periodLimit = /^\d{1,3}$/.test(text) ? Number(text) : null;
        if (periodLimit === null || periodLimit < 1 || periodLimit > input.frequencyLifetime) {
          issue("frequencyPeriodLimit", "campaigns.errors.periodLimitRange");
        }
      }
      if (input.autoApproveDailyCap > 0 && input.autoApproveMax > input.autoApproveDailyCap) {
        issue("autoApproveDailyCap", "campaigns.errors.capBelowThreshold");
      }
      if (input.autoApproveDailyCap > input.total)
        issue("autoApproveDailyCap", "campaigns.errors.capAboveBudget");

      return {
        name: input.name,
        prizeMessage: input.prizeMessage,
        prizeType: input.prizeType,
        rail: input.rail,
        budgetFen: input.total,
        packetCount: input.packetCount,
        startsAt: start,
        endsAt: end ?? new Date(0),
        frequencyLifetime: input.frequencyLifetime,
        frequencyPeriod: input.frequencyPeriod === "" ? null : input.frequencyPeriod,
        frequencyPeriodLimit: input.frequencyPeriod === "" ? null : periodLimit,
        merchantLink: input.merchantLink === "" ? null : input.merchantLink,
        defaultScene: input.defaultScene,
        autoApproveMaxFen: input.autoApproveMax,
        autoApproveDailyCapFen: input.autoApproveDailyCap,
      };
    });
}

export type CampaignInput = z.output<ReturnType<typeof campaignFormSchema>>;
export type CampaignFormValues = z.input<ReturnType<typeof campaignFormSchema>>;

export function campaignListQuerySchema() {
  return listQuerySchema(["createdAt", "name", "budgetFen", "spentFen", "endsAt", "status"], {
    field: "createdAt",
    direction: "desc",
  }).extend({
    status: z.enum(CAMPAIGN_STATUSES).optional().catch(undefined),
    rail: z.enum(RAILS).optional().catch(undefined),
    scene: z.enum(SCENES).optional().catch(undefined),
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional()
      .catch(undefined),
    to: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional()
      .catch(undefined),
  });
}
export type CampaignListQuery = z.output<ReturnType<typeof campaignListQuerySchema>>;

export const campaignIdSchema = z.object({ campaignId: z.string().min(1, "validation.required").max(64) });
