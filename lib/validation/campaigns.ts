/**
 * The campaign form's schema: every Alipay limit for cash campaigns (REFERENCE.md §2.2), checked identically in
 * the browser (errors next to the field, in the reader's language) and by the server action. Built per call
 * because times are typed in the display time zone and "in the future" depends on now.
 */
import { z } from "zod";
import { FREQUENCY_PERIODS, LIFETIME_MAX } from "@/lib/campaigns/frequency";
import { CAMPAIGN_LIMITS } from "@/lib/campaigns/limits";
import { formatCount, formatFenShare, planPackets } from "@/lib/campaigns/packet-preview";
import { CAMPAIGN_STATUSES, PRIZE_TYPES, RAILS, SCENES } from "@/lib/enums";
import { formatDateTime, parseZonedDateTime } from "@/lib/format/date";
import { formatFen, parseYuanInput } from "@/lib/format/money";
import type { MessageRef } from "@/lib/i18n/messages";
import { addBeijingMonths } from "@/lib/time/beijing";
import { listQuerySchema } from "./list-query";

export { RAILS, PRIZE_TYPES, SCENES };
/** Rails whose campaigns the console can create today. */
export const CREATABLE_RAILS: readonly (typeof RAILS)[number][] = ["CASH_CAMPAIGN"];

/** Why parseYuanInput refused what was typed, naming the rule it breaks. */
function amountProblem(text: string): MessageRef {
  const trimmed = text.trim();
  const unsigned = trimmed.replace(/^(¥?)\s*[-−]\s*/, "$1");
  const twoDecimals = unsigned.replace(/^(.*\.\d{2})\d+$/, "$1");
  if (parseYuanInput(twoDecimals) === null) return { key: "validation.invalidAmount" };
  if (unsigned !== trimmed) return { key: "validation.amountNegative" };
  if (twoDecimals !== unsigned) return { key: "validation.amountTooPrecise" };
  return { key: "validation.invalidAmount" };
}

/** A typed yuan amount → fen, or what is wrong with it. Empty is 0 where the form says so (the policy fields). */
function readAmount(
  text: string,
  rule: { emptyIsZero: boolean; minFen?: number; maxFen?: number },
): number | MessageRef {
  if (text.trim() === "") return rule.emptyIsZero ? 0 : { key: "validation.required" };
  const fen = parseYuanInput(text);
  if (fen === null) return amountProblem(text);
  if (rule.minFen !== undefined && fen < rule.minFen)
    return { key: "validation.tooSmall", params: { minimum: formatFen(rule.minFen) } };
  if (rule.maxFen !== undefined && fen > rule.maxFen)
    return { key: "validation.tooBig", params: { maximum: formatFen(rule.maxFen) } };
  return fen;
}

/** A typed whole number → the number, or what is wrong with it ("-5" is a number below the minimum). */
function readInteger(value: string | number, min: number, max: number): number | MessageRef {
  const text = String(value).trim();
  if (text === "") return { key: "validation.required" };
  if (!/^-?\d+$/.test(text)) {
    return {
      key: "validation.invalidInteger",
      params: { minimum: formatCount(min), maximum: formatCount(max) },
    };
  }
  const n = Number(text);
  if (n < min) return { key: "validation.tooSmall", params: { minimum: formatCount(min) } };
  if (n > max) return { key: "validation.tooBig", params: { maximum: formatCount(max) } };
  return n;
}

/** A zod field that reads with `read` and reports its problem as a translatable issue. */
function field<I extends z.ZodType>(input: I, read: (value: z.output<I>) => number | MessageRef) {
  return input.transform((value, ctx) => {
    const result = read(value);
    if (typeof result === "number") return result;
    ctx.addIssue({ code: "custom", message: result.key, params: result.params });
    return z.NEVER;
  });
}

const { totalMinFen, totalMaxFen, countMin, countMax, maxDurationMonths } = CAMPAIGN_LIMITS;

export function campaignFormSchema(options: { timeZone: string; now?: () => Date }) {
  const clock = options.now ?? (() => new Date());
  const when = (date: Date) => formatDateTime(date, options.timeZone);
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
      total: field(z.string(), (v) =>
        readAmount(v, { emptyIsZero: false, minFen: totalMinFen, maxFen: totalMaxFen }),
      ),
      packetCount: field(z.union([z.string(), z.number()]), (v) => readInteger(v, countMin, countMax)),
      startMode: z.enum(["now", "at"], "validation.invalidOption"),
      startAt: z.string().optional().default(""),
      endAt: z.string().min(1, "validation.required"),
      frequencyLifetime: field(z.union([z.string(), z.number()]), (v) => readInteger(v, 1, LIFETIME_MAX)),
      frequencyPeriod: z.enum(["", ...FREQUENCY_PERIODS], "validation.invalidOption").default(""),
      frequencyPeriodLimit: z.union([z.string(), z.number()]).optional().default(""),
      merchantLink: z
        .string()
        .trim()
        .max(CAMPAIGN_LIMITS.merchantLinkMax, "validation.tooLong")
        .refine((v) => v === "" || /^https?:\/\/\S+$/.test(v), "validation.invalidUrl")
        .default(""),
      defaultScene: z.enum(SCENES, "validation.invalidOption"),
      // Empty means ¥0 (every payout waits for an approver), as the form's placeholder says.
      autoApproveMax: field(z.string(), (v) => readAmount(v, { emptyIsZero: true })).default(0),
      autoApproveDailyCap: field(z.string(), (v) => readAmount(v, { emptyIsZero: true })).default(0),
    })
    .transform((input, ctx) => {
      const now = clock(); // evaluated per parse: the schema object lives as long as the server
      const issue = (path: string, { key, params }: MessageRef) =>
        ctx.addIssue({ code: "custom", path: [path], message: key, params });
      if (!CREATABLE_RAILS.includes(input.rail)) issue("rail", { key: "campaigns.errors.railUnavailable" });

      const plan = planPackets(input.prizeType, input.total, input.packetCount);
      if (!plan.ok) {
        const amount = formatFenShare(plan.totalFen, plan.count);
        const average = input.prizeType === "RANDOM";
        if (plan.problem === "belowMinimum") {
          issue("packetCount", {
            key: average ? "campaigns.errors.averageTooSmall" : "campaigns.errors.packetTooSmall",
            params: { amount, minimum: formatFen(plan.minimumFen) },
          });
        } else if (plan.problem === "aboveMaximum") {
          issue("packetCount", {
            key: average ? "campaigns.errors.averageTooLarge" : "campaigns.errors.packetTooLarge",
            params: { amount, maximum: formatFen(plan.maximumFen) },
          });
        } else {
          issue("packetCount", {
            key: "campaigns.errors.notDivisible",
            params: { total: formatFen(plan.totalFen), count: formatCount(plan.count), amount },
          });
        }
      }

      const start = input.startMode === "now" ? null : parseZonedDateTime(input.startAt, options.timeZone);
      if (input.startMode === "at" && !start)
        issue("startAt", { key: input.startAt ? "validation.invalidDate" : "validation.required" });
      if (start && start.getTime() <= now.getTime())
        issue("startAt", { key: "campaigns.errors.startInPast", params: { now: when(now) } });
      const end = parseZonedDateTime(input.endAt, options.timeZone);
      if (!end) issue("endAt", { key: "validation.invalidDate" });
      const effectiveStart = start ?? now;
      const latestEnd = addBeijingMonths(effectiveStart, maxDurationMonths);
      if (end && end.getTime() <= effectiveStart.getTime()) {
        issue("endAt", { key: "campaigns.errors.endBeforeStart", params: { start: when(effectiveStart) } });
      }
      if (end && end.getTime() > latestEnd.getTime()) {
        issue("endAt", {
          key: "campaigns.errors.tooLong",
          params: { months: maxDurationMonths, latest: when(latestEnd) },
        });
      }

      let periodLimit: number | null = null;
      if (input.frequencyPeriod !== "") {
        const read = readInteger(input.frequencyPeriodLimit, 1, input.frequencyLifetime);
        if (typeof read === "number") periodLimit = read;
        else if (read.key === "validation.tooBig") {
          // The bound is the lifetime limit typed above, not a fixed number: say so.
          issue("frequencyPeriodLimit", {
            key: "campaigns.errors.periodLimitAboveLifetime",
            params: read.params,
          });
        } else issue("frequencyPeriodLimit", read);
      }
      if (input.autoApproveDailyCap > 0 && input.autoApproveMax > input.autoApproveDailyCap) {
        issue("autoApproveDailyCap", {
          key: "campaigns.errors.capBelowThreshold",
          params: { threshold: formatFen(input.autoApproveMax) },
        });
      }
      if (input.autoApproveDailyCap > input.total) {
        issue("autoApproveDailyCap", {
          key: "campaigns.errors.capAboveBudget",
          params: { budget: formatFen(input.total) },
        });
      }

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
        frequencyPeriodLimit: periodLimit,
        merchantLink: input.merchantLink === "" ? null : input.merchantLink,
        defaultScene: input.defaultScene,
        autoApproveMaxFen: input.autoApproveMax,
        autoApproveDailyCapFen: input.autoApproveDailyCap,
        maxPacketFen: null as number | null,
        dailyAmountPerUserFen: null as number | null,
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
