/**
 * What the machine API's campaign endpoints accept and answer. The route handlers parse with these schemas and
 * lib/api/endpoints/campaigns.ts describes the endpoints with the very same ones, so the OpenAPI document cannot
 * drift from the code.
 *
 * Creating a campaign obeys the console form's own schema (campaignFormSchema), per rail (a body is one rail's
 * fields: `rail` picks which, CASH_CAMPAIGN when left out): the API body (integer fen, ISO times) is mapped onto
 * the form's input (yuan text, wall-clock times) and parsed by it, so every rule — packet size limits,
 * divisibility, per-packet limits, dates, frequency, approval caps — is the same code, and its field errors
 * come back under the API's field names (`total` → `budgetFen`). Messages are i18n keys, translated to English
 * by the API wrapper. Pure: the console's API page and the OpenAPI document read this module too.
 */
import { z } from "zod";
import { apiCampaignSchema } from "@/lib/api/resources";
import {
  defaultApprovalPolicy,
  requestAmountPolicy,
  type ApprovalPolicy,
} from "@/lib/campaigns/form-defaults";
import { FREQUENCY_PERIODS, LIFETIME_MAX } from "@/lib/campaigns/frequency";
import { CAMPAIGN_LIMITS, REQUEST_AMOUNT_LIMITS } from "@/lib/campaigns/limits";
import { CAMPAIGN_STATUSES, PRIZE_TYPES, SCENES } from "@/lib/enums";
import { fenToYuanInput } from "@/lib/format/money";
import { campaignFormSchema, type CampaignFormValues } from "@/lib/validation/campaigns";
import { listOf, pageQueryFields } from "./page";

export { apiCampaignPathSchema } from "./payouts";

/**
 * The zone the API's instants are handed to the form schema in. UTC has no daylight saving, so the mapping
 * ISO instant → wall-clock text → instant is exact; times inside messages ("after 2026-12-01 08:30") are UTC.
 */
const API_TIME_ZONE = "UTC";

/**
 * The form's field names → the API's, for 422 `fields`. Both start fields map to `startsAt` (the API has one
 * nullable field where the form has a mode and a time).
 */
export const CAMPAIGN_API_FIELD_NAMES: Readonly<Record<string, string>> = {
  total: "budgetFen",
  startMode: "startsAt",
  startAt: "startsAt",
  endAt: "endsAt",
  autoApproveMax: "autoApproveMaxFen",
  autoApproveDailyCap: "autoApproveDailyCapFen",
  maxPacket: "maxPacketFen",
  dailyAmountPerUser: "dailyAmountPerUserFen",
};

/** The form's schema, built once: "now" is read per parse, and the zone is fixed. */
const formSchema = campaignFormSchema({ timeZone: API_TIME_ZONE });

const instant = (description: string, example: string) =>
  z.iso.datetime({ offset: true, error: "api.validation.since" }).meta({ description, example });

const fen = (description: string, example: number) =>
  z
    .number("validation.invalidNumber")
    .int("validation.invalidNumber")
    .meta({ description: `${description}, in fen (1 yuan = 100 fen)`, example });

/** An ISO instant as the wall-clock text the form reads in API_TIME_ZONE (whole seconds: Alipay has no more). */
function formTime(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19);
}

/** The API's body as the form would have held it: amounts as yuan text, times as UTC wall-clock text. */
function toFormValues(body: CreateCampaignBody): CampaignFormValues {
  const common = {
    name: body.name,
    prizeMessage: body.prizeMessage,
    startMode: body.startsAt === null ? ("now" as const) : ("at" as const),
    startAt: body.startsAt === null ? "" : formTime(body.startsAt),
    endAt: formTime(body.endsAt),
    frequencyLifetime: body.frequencyLifetime,
    frequencyPeriod: body.frequencyPeriod ?? ("" as const),
    frequencyPeriodLimit: body.frequencyPeriodLimit ?? "",
    defaultScene: body.defaultScene,
  };
  // Left out, the approval policy is the form's own default for this rail's figures (for a cash campaign one
  // packet automatically, about 10 % of the budget a day); when the figures are invalid the form says why anyway.
  const policyFields = (policy: ApprovalPolicy | null) => ({
    autoApproveMax: fenToYuanInput(body.autoApproveMaxFen ?? policy?.autoApproveMaxFen ?? 0),
    autoApproveDailyCap: fenToYuanInput(body.autoApproveDailyCapFen ?? policy?.autoApproveDailyCapFen ?? 0),
  });
  switch (body.rail) {
    case "CASH_CAMPAIGN":
      return {
        ...common,
        ...policyFields(defaultApprovalPolicy(body.prizeType, body.budgetFen, body.packetCount)),
        rail: body.rail,
        prizeType: body.prizeType,
        total: fenToYuanInput(body.budgetFen),
        packetCount: body.packetCount,
        merchantLink: body.merchantLink ?? "",
      };
    case "TRANSFER":
      return {
        ...common,
        ...policyFields(requestAmountPolicy(body.maxPacketFen, body.budgetFen)),
        rail: body.rail,
        total: fenToYuanInput(body.budgetFen),
        maxPacket: fenToYuanInput(body.maxPacketFen),
        dailyAmountPerUser:
          body.dailyAmountPerUserFen === null ? "" : fenToYuanInput(body.dailyAmountPerUserFen),
      };
    case "FUND_COUPON":
      return {
        ...common,
        ...policyFields(requestAmountPolicy(body.maxPacketFen, null)),
        rail: body.rail,
        maxPacket: fenToYuanInput(body.maxPacketFen),
        dailyAmountPerUser:
          body.dailyAmountPerUserFen === null ? "" : fenToYuanInput(body.dailyAmountPerUserFen),
      };
  }
}

const commonBodyFields = {
  name: z.string("validation.required").meta({
    description: `The packet's name, shown to recipients (at most ${CAMPAIGN_LIMITS.nameMax} characters)`,
    example: "Points redemption — December",
  }),
  prizeMessage: z.string("validation.required").meta({
    description:
      `The greeting on the packet (at most ${CAMPAIGN_LIMITS.messageMax} characters); on TRANSFER and ` +
      "FUND_COUPON also the order title in the recipient's bill",
    example: "Thanks for being with us!",
  }),
  startsAt: z.iso
    .datetime({ offset: true, error: "api.validation.since" })
    .nullable()
    .default(null)
    .meta({
      description:
        "When sending may start (in the future); null or left out: at once (a cash campaign: as soon as the " +
        "budget is paid)",
      example: "2026-12-05T00:00:00+08:00",
    }),
  endsAt: instant(
    `When the campaign ends (after the start, at most ${CAMPAIGN_LIMITS.maxDurationMonths} months later); ` +
      "Alipay then returns what a cash campaign did not send",
    "2026-12-31T23:59:59+08:00",
  ),
  frequencyLifetime: z
    .number("validation.invalidNumber")
    .int("validation.invalidNumber")
    .default(1)
    .meta({ description: `Packets one recipient may receive in all (1–${LIFETIME_MAX})`, example: 1 }),
  frequencyPeriod: z
    .enum(FREQUENCY_PERIODS, "validation.invalidOption")
    .nullable()
    .default(null)
    .meta({ description: "Also limit packets per day, week or month (with frequencyPeriodLimit)" }),
  frequencyPeriodLimit: z
    .number("validation.invalidNumber")
    .int("validation.invalidNumber")
    .nullable()
    .default(null)
    .meta({ description: "Packets one recipient may receive per frequencyPeriod (1–frequencyLifetime)" }),
  defaultScene: z
    .enum(SCENES, "validation.invalidOption")
    .default("POINTS_REDEMPTION")
    .meta({ description: "The scene of payouts that do not name one" }),
  autoApproveMaxFen: fen(
    "Payouts up to this amount are approved without a person (0: every payout waits for an approver); " +
      "left out: one (largest) packet, as the console form proposes",
    200,
  ).optional(),
  autoApproveDailyCapFen: fen(
    "Automatic approvals stop for the day (Beijing time) once they would exceed this (0: every payout waits " +
      "for an approver); left out: about 10 % of the budget (FUND_COUPON: ten packets), as the console form " +
      "proposes",
    1_000,
  ).optional(),
};

/** The rails that take each packet's amount from the request: the largest packet, and a per-recipient day cap. */
const requestAmountBodyFields = {
  maxPacketFen: fen(
    `The largest packet a payout request may name (${fenToYuanInput(REQUEST_AMOUNT_LIMITS.packetMinFen)}–` +
      `${fenToYuanInput(REQUEST_AMOUNT_LIMITS.packetMaxFen)} yuan: Alipay's red-packet product pays one ` +
      "recipient at most 400 yuan per transfer); a request that names no amount gets this",
    2_000,
  ),
  dailyAmountPerUserFen: fen("At most this much to one recipient per Beijing day; null: no cap", 5_000)
    .nullable()
    .default(null),
};

const createCampaignBodyShape = z.discriminatedUnion(
  "rail",
  [
    z.object({
      rail: z.literal("CASH_CAMPAIGN").default("CASH_CAMPAIGN").meta({
        description:
          "CASH_CAMPAIGN (营销活动送红包, the default): Alipay holds the budget, paid once on its cashier",
      }),
      ...commonBodyFields,
      prizeType: z.enum(PRIZE_TYPES, "validation.invalidOption").meta({
        description: "FIXED: every packet is budgetFen / packetCount; RANDOM: Alipay draws each amount",
      }),
      budgetFen: fen(
        `The whole budget, paid once on Alipay's cashier (${fenToYuanInput(CAMPAIGN_LIMITS.totalMinFen)}–` +
          `${fenToYuanInput(CAMPAIGN_LIMITS.totalMaxFen)} yuan)`,
        10_000,
      ),
      packetCount: z
        .number("validation.invalidNumber")
        .int("validation.invalidNumber")
        .meta({
          description:
            `How many packets the budget makes (${CAMPAIGN_LIMITS.countMin}–${CAMPAIGN_LIMITS.countMax}); a ` +
            `packet is ${fenToYuanInput(CAMPAIGN_LIMITS.packetMinFen)}–` +
            `${fenToYuanInput(CAMPAIGN_LIMITS.packetMaxFen)} yuan, and a FIXED budget must divide into whole fen`,
          example: 50,
        }),
      merchantLink: z
        .string("validation.invalid")
        .nullable()
        .default(null)
        .meta({
          description:
            "Where Alipay's cashier sends the payer after paying the budget (http(s), at most " +
            `${CAMPAIGN_LIMITS.merchantLinkMax} characters); null: Alipay's own result page`,
          example: "https://hongbao.example.com/campaigns/funded",
        }),
    }),
    z.object({
      rail: z.literal("TRANSFER").meta({
        description:
          "TRANSFER: STD_RED_PACKET transfers paid from the merchant's Alipay balance; active at once",
      }),
      ...commonBodyFields,
      budgetFen: fen(
        "The console's own limit on what this campaign may pay from the merchant balance " +
          `(${fenToYuanInput(CAMPAIGN_LIMITS.totalMinFen)}–${fenToYuanInput(CAMPAIGN_LIMITS.totalMaxFen)} yuan)`,
        100_000,
      ),
      ...requestAmountBodyFields,
    }),
    z.object({
      rail: z.literal("FUND_COUPON").meta({
        description:
          "FUND_COUPON (收发现金红包): the budget is what its funding orders bring (added in the console); " +
          "waits for funding",
      }),
      ...commonBodyFields,
      ...requestAmountBodyFields,
    }),
  ],
  "validation.invalidOption",
);
type CreateCampaignBody = z.output<typeof createCampaignBodyShape>;

/** POST /api/v1/campaigns: the API's body, checked by the console form's schema (see the module comment). */
export const apiCreateCampaignSchema = createCampaignBodyShape
  .transform((body, ctx) => {
    const parsed = formSchema.safeParse(toFormValues(body));
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const [head, ...rest] = issue.path;
      const field = typeof head === "string" ? (CAMPAIGN_API_FIELD_NAMES[head] ?? head) : head;
      ctx.addIssue({ ...issue, path: field === undefined ? [] : [field, ...rest] });
    }
    return z.NEVER;
  })
  .meta({ id: "CreateCampaignRequest" });

export const apiCreatedCampaignSchema = z
  .object({
    campaign: apiCampaignSchema,
    payUrl: z
      .string()
      .nullable()
      .meta({
        description:
          "Alipay's cashier page where a person pays the budget (valid for 24 hours); null when Alipay's answer " +
          "is not known yet (status UNKNOWN)",
      }),
  })
  .meta({ id: "CreatedCampaign" });

/** GET /api/v1/campaigns. */
export const apiCampaignListQuerySchema = z.object({
  status: z.enum(CAMPAIGN_STATUSES, "validation.invalidOption").optional().meta({
    description: "Only campaigns in this status",
  }),
  ...pageQueryFields("Campaigns"),
});
export type ApiCampaignListQuery = z.output<typeof apiCampaignListQuerySchema>;

export const apiCampaignListSchema = listOf(apiCampaignSchema, "CampaignList");
export type ApiCampaignList = z.infer<typeof apiCampaignListSchema>;
