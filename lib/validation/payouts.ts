/**
 * What people and machines may ask of payouts: the send form, approval decisions, retries and cancellations,
 * and the history's filters (URL state, also taken by the CSV export). Pure: checked identically in the browser
 * and on the server; messages are i18n keys.
 */
import { z } from "zod";
import { recordIdSchema, storableText } from "./text";
import { IDENTITY_TYPES, PAYOUT_SOURCES, PAYOUT_STATUSES, SCENES } from "@/lib/enums";
import { parseYuanInput } from "@/lib/format/money";
import { dayFilter, listQuerySchema } from "./list-query";

export const OUT_BIZ_NO_PATTERN = /^[A-Za-z0-9_]{1,64}$/;
export const USER_ID_PATTERN = /^2088\d{12}$/;
const OPEN_ID_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
const PHONE_PATTERN = /^1\d{10}$/;
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
export const MEMO_MAX = 200;
/** Alipay's payee_info.name (a person's real name, checked against the account with a login id). */
export const PAYEE_NAME_MAX = 50;

/** Whether `identity` is a well-formed recipient of that kind (the message key says what is wrong if not). */
export function identityProblem(
  identityType: (typeof IDENTITY_TYPES)[number],
  identity: string,
): string | null {
  switch (identityType) {
    case "USER_ID":
      return USER_ID_PATTERN.test(identity) ? null : "payouts.validation.userId";
    case "OPEN_ID":
      return OPEN_ID_PATTERN.test(identity) ? null : "payouts.validation.openId";
    case "LOGIN_ID":
      return PHONE_PATTERN.test(identity) || (identity.length <= 100 && EMAIL_PATTERN.test(identity))
        ? null
        : "payouts.validation.loginId";
  }
}

const optionalText = (max: number) =>
  storableText(z.string().trim().max(max, "validation.tooLong"))
    .optional()
    .transform((v) => (v ? v : null));

/** The "Send red packet" form and, later, the API's and a batch row's request body. */
export const payoutRequestSchema = z
  .object({
    campaignId: storableText(z.string().min(1, "validation.required").max(64)),
    identityType: z.enum(IDENTITY_TYPES, "validation.invalidOption"),
    identity: storableText(z.string().trim().min(1, "validation.required").max(128, "validation.tooLong")),
    scene: z.enum(SCENES, "validation.invalidOption"),
    memo: optionalText(MEMO_MAX),
    outBizNo: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || OUT_BIZ_NO_PATTERN.test(v), "payouts.validation.outBizNo"),
    /**
     * Yuan as typed, for rails that pay any amount within the campaign's limit (FUND_COUPON, TRANSFER); empty is
     * the campaign's standard packet. Whether the rail takes it, and up to what, is the rail's rule.
     */
    amount: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null;
        const fen = parseYuanInput(v);
        if (fen === null || fen < 1) {
          ctx.addIssue({ code: "custom", message: "validation.invalidAmount" });
          return z.NEVER;
        }
        return fen;
      }),
    /** The payee's real name: Alipay checks it with a login id on the TRANSFER rail. */
    payeeName: optionalText(PAYEE_NAME_MAX),
  })
  .superRefine((input, ctx) => {
    const problem = identityProblem(input.identityType, input.identity);
    if (problem) ctx.addIssue({ code: "custom", path: ["identity"], message: problem });
  })
  .transform(({ amount, ...rest }) => ({ ...rest, amountFen: amount }));

export type PayoutRequestInput = z.output<typeof payoutRequestSchema>;
export type PayoutRequestFormValues = z.input<typeof payoutRequestSchema>;

const payoutIds = z.array(recordIdSchema).min(1, "validation.required").max(500);

/** An approver's decision (on payouts or a batch): a rejection says why. */
export const decisionFields = {
  decision: z.enum(["approve", "reject"], "validation.invalidOption"),
  reason: optionalText(MEMO_MAX),
};

export function requireRejectionReason(
  input: { decision: "approve" | "reject"; reason: string | null },
  ctx: z.RefinementCtx,
): void {
  if (input.decision === "reject" && !input.reason)
    ctx.addIssue({ code: "custom", path: ["reason"], message: "payouts.validation.reasonRequired" });
}

export const payoutDecisionSchema = z
  .object({ payoutIds, ...decisionFields })
  .superRefine(requireRejectionReason);

export type PayoutDecisionInput = z.output<typeof payoutDecisionSchema>;

export const payoutIdSchema = z.object({ payoutId: recordIdSchema });

/**
 * `/payouts?status=…&campaign=…&scene=…&source=…&from=YYYY-MM-DD&to=YYYY-MM-DD&recipient=…&outBizNo=…&batch=…`
 * plus the table params (`batch`: the rows of one uploaded batch, linked from its page); the CSV export
 * (/api/payouts/export) takes the same. Days are read in the viewer's zone.
 */
export function payoutListQuerySchema(timeZone: string) {
  const day = (endExclusive: boolean) => dayFilter(timeZone, endExclusive);
  const text = z
    .string()
    .trim()
    .max(128)
    .optional()
    .catch(undefined)
    .transform((v) => v || undefined);
  return listQuerySchema(["createdAt", "amountFen", "status"], {
    field: "createdAt",
    direction: "desc",
  }).extend({
    status: z.enum(PAYOUT_STATUSES).optional().catch(undefined),
    campaign: text,
    scene: z.enum(SCENES).optional().catch(undefined),
    source: z.enum(PAYOUT_SOURCES).optional().catch(undefined),
    from: day(false),
    to: day(true),
    recipient: text,
    outBizNo: text,
    batch: text,
  });
}

export type PayoutListQuery = z.output<ReturnType<typeof payoutListQuerySchema>>;
