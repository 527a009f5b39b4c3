/**
 * The campaign form's schema: every Alipay limit for cash campaigns (REFERENCE.md §2.2) and the per-packet limits
 * of the fund-coupon and transfer rails, per rail (a rail's fields only), checked identically in the browser
 * (errors next to the field, in the reader's language) and by the server action. Built per call because times
 * are typed in the display time zone and "in the future" depends on now.
 */
import { z } from "zod";
import { storableText } from "./text";
import { FREQUENCY_PERIODS, LIFETIME_MAX } from "@/lib/campaigns/frequency";
import { CAMPAIGN_LIMITS, REQUEST_AMOUNT_LIMITS } from "@/lib/campaigns/limits";
import { formatCount, formatFenShare, planPackets } from "@/lib/campaigns/packet-preview";
import { CAMPAIGN_STATUSES, PRIZE_TYPES, RAILS, SCENES } from "@/lib/enums";
import { formatDateTime, parseZonedDateTime } from "@/lib/format/date";
import { formatFen, parseYuanInput } from "@/lib/format/money";
import type { MessageRef } from "@/lib/i18n/messages";
import { addBeijingMonths } from "@/lib/time/beijing";
import { listQuerySchema } from "./list-query";

export { RAILS, PRIZE_TYPES, SCENES };
/** Rails whose campaigns the console can create. */
export const CREATABLE_RAILS: readonly (typeof RAILS)[number][] = [
  "CASH_CAMPAIGN",
  "FUND_COUPON",
  "TRANSFER",
];

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
const { packetMinFen: requestPacketMinFen, packetMaxFen: requestPacketMaxFen } = REQUEST_AMOUNT_LIMITS;

/** The console's own budget (cash: paid at Alipay's cashier; transfer: the limit on the merchant balance). */
const budgetField = () =>
  field(z.string().default(""), (v) =>
    readAmount(v, { emptyIsZero: false, minFen: totalMinFen, maxFen: totalMaxFen }),
  );

/** The fields every rail has; each rail's object adds its own (railSchemas). */
const commonFields = {
  name: storableText(
    z.string().trim().min(1, "validation.required").max(CAMPAIGN_LIMITS.nameMax, "validation.tooLong"),
  ),
  prizeMessage: storableText(
    z.string().trim().min(1, "validation.required").max(CAMPAIGN_LIMITS.messageMax, "validation.tooLong"),
  ),
  startMode: z.enum(["now", "at"], "validation.invalidOption"),
  startAt: z.string().optional().default(""),
  endAt: z.string().min(1, "validation.required"),
  frequencyLifetime: field(z.union([z.string(), z.number()]), (v) => readInteger(v, 1, LIFETIME_MAX)),
  frequencyPeriod: z.enum(["", ...FREQUENCY_PERIODS], "validation.invalidOption").default(""),
  frequencyPeriodLimit: z.union([z.string(), z.number()]).optional().default(""),
  defaultScene: z.enum(SCENES, "validation.invalidOption"),
  // Empty means ¥0 (every payout waits for an approver), as the form's placeholder says.
  autoApproveMax: field(z.string(), (v) => readAmount(v, { emptyIsZero: true })).default(0),
  autoApproveDailyCap: field(z.string(), (v) => readAmount(v, { emptyIsZero: true })).default(0),
};

/**
 * The fields of the rails whose requests name each packet's amount: the largest packet (required), and an
 * optional cap on what one recipient receives per Beijing day (empty: no cap).
 */
const requestAmountFields = {
  maxPacket: field(z.string().default(""), (v) =>
    readAmount(v, { emptyIsZero: false, minFen: requestPacketMinFen, maxFen: requestPacketMaxFen }),
  ),
  dailyAmountPerUser: field(z.string().default(""), (v) =>
    v.trim() === "" ? 0 : readAmount(v, { emptyIsZero: false, minFen: requestPacketMinFen }),
  ),
};

/**
 * One object per rail, each with only the fields that rail uses, so a field the chosen rail does not show is
 * never validated (nor kept): CASH_CAMPAIGN has Alipay's budget, count and amount type; TRANSFER a budget (the
 * console's own limit) and the per-packet limits; FUND_COUPON only the per-packet limits (its budget is what
 * its funding orders bring).
 */
const railSchemas = [
  z.object({
    ...commonFields,
    rail: z.literal("CASH_CAMPAIGN"),
    prizeType: z.enum(PRIZE_TYPES, "validation.invalidOption"),
    total: budgetField(),
    packetCount: field(z.union([z.string(), z.number()]).default(""), (v) =>
      readInteger(v, countMin, countMax),
    ),
    merchantLink: storableText(z.string().trim().max(CAMPAIGN_LIMITS.merchantLinkMax, "validation.tooLong"))
      .refine((v) => v === "" || /^https?:\/\/\S+$/.test(v), "validation.invalidUrl")
      .default(""),
  }),
  z.object({ ...commonFields, rail: z.literal("TRANSFER"), total: budgetField(), ...requestAmountFields }),
  z.object({ ...commonFields, rail: z.literal("FUND_COUPON"), ...requestAmountFields }),
] as const;

export function campaignFormSchema(options: { timeZone: string; now?: () => Date }) {
  const clock = options.now ?? (() => new Date());
  const when = (date: Date) => formatDateTime(date, options.timeZone);
  return z.discriminatedUnion("rail", railSchemas, "validation.invalidOption").transform((input, ctx) => {
    const now = clock(); // evaluated per parse: the schema object lives as long as the server
    const issue = (path: string, { key, params }: MessageRef) =>
      ctx.addIssue({ code: "custom", path: [path], message: key, params });
    if (!CREATABLE_RAILS.includes(input.rail)) issue("rail", { key: "campaigns.errors.railUnavailable" });

    // What the rail budgets with: null where the rail has no budget of its own (FUND_COUPON).
    const budgetFen = input.rail === "FUND_COUPON" ? null : input.total;
    if (input.rail === "CASH_CAMPAIGN") {
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
    } else {
      if (budgetFen !== null && input.maxPacket > budgetFen) {
        issue("maxPacket", {
          key: "campaigns.errors.maxPacketAboveBudget",
          params: { budget: formatFen(budgetFen) },
        });
      }
      // A daily cap below one packet would refuse every packet of the largest size: surely a typo.
      if (input.dailyAmountPerUser > 0 && input.dailyAmountPerUser < input.maxPacket) {
        issue("dailyAmountPerUser", {
          key: "campaigns.errors.dailyAmountBelowPacket",
          params: { packet: formatFen(input.maxPacket) },
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
    // A fund-coupon campaign's budget is whatever its orders bring: there is nothing to compare the cap with.
    if (budgetFen !== null && input.autoApproveDailyCap > budgetFen) {
      issue("autoApproveDailyCap", {
        key: "campaigns.errors.capAboveBudget",
        params: { budget: formatFen(budgetFen) },
      });
    }

    const cash = input.rail === "CASH_CAMPAIGN";
    return {
      name: input.name,
      prizeMessage: input.prizeMessage,
      // The other rails pay exactly what each request names (up to maxPacketFen): a fixed amount per packet.
      prizeType: cash ? input.prizeType : ("FIXED" as const),
      rail: input.rail,
      budgetFen: budgetFen ?? 0,
      // Only Alipay's cash campaign splits its budget into a number of packets.
      packetCount: cash ? input.packetCount : 0,
      startsAt: start,
      endsAt: end ?? new Date(0),
      frequencyLifetime: input.frequencyLifetime,
      frequencyPeriod: input.frequencyPeriod === "" ? null : input.frequencyPeriod,
      frequencyPeriodLimit: periodLimit,
      // Where Alipay's cashier returns the payer of a cash campaign's budget; the other rails have no such page.
      merchantLink: cash && input.merchantLink !== "" ? input.merchantLink : null,
      defaultScene: input.defaultScene,
      autoApproveMaxFen: input.autoApproveMax,
      autoApproveDailyCapFen: input.autoApproveDailyCap,
      maxPacketFen: cash ? null : input.maxPacket,
      dailyAmountPerUserFen: cash || input.dailyAmountPerUser === 0 ? null : input.dailyAmountPerUser,
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

export const campaignIdSchema = z.object({
  campaignId: storableText(z.string().min(1, "validation.required").max(64)),
});
