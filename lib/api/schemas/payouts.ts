/**
 * What the machine API's payout endpoints accept: the route handlers parse with these schemas and
 * lib/api/endpoints/payouts.ts describes the endpoints with the very same ones, so the OpenAPI document cannot
 * drift from the code. The recipient, memo and business-reference rules are the send form's own
 * (lib/validation/payouts.ts), so the form and the API refuse the same things. Messages are i18n keys, which
 * the API wrapper translates to English. Pure: no server-only, no transforms (each schema is representable as
 * JSON Schema both as input and as output).
 */
import { z } from "zod";
import { storableText } from "@/lib/validation/text";
import { apiPayoutSchema } from "@/lib/api/resources";
import { IDENTITY_TYPES, PAYOUT_STATUSES, SCENES } from "@/lib/enums";
import { identityProblem, MEMO_MAX, OUT_BIZ_NO_PATTERN, PAYEE_NAME_MAX } from "@/lib/validation/payouts";
import { listOf, pageQueryFields } from "./page";

/** `?wait=` may hold a request open this long at most (the api.validation.wait message says the same). */
export const PAYOUT_WAIT_MAX_SECONDS = 10;

/**
 * requestPayout's field names → the API's, for 409/422 `fields` (defineApiRoute's `fieldNames`) and for the
 * field list in a replay conflict's message.
 */
export const PAYOUT_API_FIELD_NAMES: Readonly<Record<string, string>> = {
  identityType: "recipient.type",
  identity: "recipient.id",
  scene: "scene",
  memo: "memo",
  outBizNo: "outBizNo",
  campaignId: "campaignId",
  amountFen: "amountFen",
  payeeName: "recipient.name",
};

const campaignId = storableText(z.string().min(1, "validation.required").max(64, "validation.tooLong")).meta({
  description: "The campaign's id (as GET /api/v1/campaigns returns it)",
  example: "cmp_8f2k1",
});

const outBizNo = z
  .string()
  .trim()
  .min(1, "validation.required")
  .regex(OUT_BIZ_NO_PATTERN, "payouts.validation.outBizNo")
  .meta({
    description:
      "Your idempotency key for this business event (e.g. the points-exchange record id): letters, digits " +
      "and _, at most 64. The same key with the same values returns the existing payout; it is never paid twice.",
    example: "points_20261201_000042",
  });

export const apiPayoutRecipientSchema = z
  .object({
    type: z.enum(IDENTITY_TYPES, "validation.invalidOption").meta({
      description:
        "USER_ID: an Alipay user id (2088 + 12 digits); OPEN_ID: the user's open id for your app; LOGIN_ID: " +
        "an 11-digit mobile number or an e-mail address",
    }),
    id: storableText(z.string().trim().min(1, "validation.required").max(128, "validation.tooLong")).meta({
      description: "The recipient, in the form `type` says",
      example: "2088000000000001",
    }),
    name: storableText(z.string().trim().max(PAYEE_NAME_MAX, "validation.tooLong"))
      .nullish()
      .meta({
        description:
          "The recipient's real name; a TRANSFER campaign needs it with a LOGIN_ID (Alipay checks it against " +
          `the account). At most ${PAYEE_NAME_MAX} characters`,
        example: "张三",
      }),
  })
  .superRefine((recipient, ctx) => {
    // The send form's own rule (identityProblem); a wrong `type` has its own message already.
    if (!(IDENTITY_TYPES as readonly string[]).includes(recipient.type)) return;
    const problem = identityProblem(recipient.type, recipient.id);
    if (problem) ctx.addIssue({ code: "custom", path: ["id"], message: problem });
  });

/** POST /api/v1/campaigns/{campaignId}/payouts. */
export const apiPayoutRequestSchema = z
  .object({
    outBizNo,
    recipient: apiPayoutRecipientSchema,
    scene: z
      .enum(SCENES, "validation.invalidOption")
      .optional()
      .meta({ description: "Why it is paid; the campaign's default scene when left out" }),
    memo: storableText(z.string().trim().max(MEMO_MAX, "validation.tooLong"))
      .nullish()
      .meta({ description: `An internal note kept with the payout (at most ${MEMO_MAX} characters)` }),
    amountFen: z
      .number("validation.invalidNumber")
      .int("validation.invalidNumber")
      .min(1, "validation.invalidAmount")
      .nullish()
      .meta({
        description:
          "The packet's amount in fen, on FUND_COUPON and TRANSFER campaigns (at most the campaign's " +
          "maxPacketFen); left out: maxPacketFen. A CASH_CAMPAIGN sizes its own packets and refuses it",
        example: 188,
      }),
  })
  .meta({ id: "PayoutRequest" });
export type ApiPayoutRequest = z.output<typeof apiPayoutRequestSchema>;

export const apiPayoutRequestQuerySchema = z.object({
  wait: z.coerce
    .number("api.validation.wait")
    .int("api.validation.wait")
    .min(0, "api.validation.wait")
    .max(PAYOUT_WAIT_MAX_SECONDS, "api.validation.wait")
    .optional()
    .meta({
      description:
        `Seconds (0–${PAYOUT_WAIT_MAX_SECONDS}) to wait for an approved payout to be paid or refused before ` +
        "answering; the answer then carries its status at that moment. A payout waiting for an approver is " +
        "returned at once.",
      example: 5,
    }),
});

export const apiCampaignPathSchema = z.object({ campaignId });

export const apiPayoutPathSchema = z.object({
  campaignId,
  outBizNo: storableText(z.string().min(1).max(200)).meta({
    description: "The outBizNo the payout was requested with",
  }),
});

/** GET /api/v1/payouts. */
export const apiPayoutListQuerySchema = z.object({
  campaignId: campaignId.optional().meta({ description: "Only this campaign's payouts" }),
  status: z.enum(PAYOUT_STATUSES, "validation.invalidOption").optional(),
  since: z.iso.datetime({ offset: true, error: "api.validation.since" }).optional().meta({
    description: "Only payouts requested at or after this time (ISO 8601 with Z or an offset)",
    example: "2026-12-01T00:00:00+08:00",
  }),
  ...pageQueryFields("Payouts"),
});
export type ApiPayoutListQuery = z.output<typeof apiPayoutListQuerySchema>;

export const apiPayoutListSchema = listOf(apiPayoutSchema, "PayoutList");
export type ApiPayoutList = z.infer<typeof apiPayoutListSchema>;
