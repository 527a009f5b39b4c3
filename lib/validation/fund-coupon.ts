/**
 * What people may ask of a fund-coupon campaign's money: add funds (agreement pay from the merchant's own
 * account, or pay at Alipay's PC cashier) and return unused funds. Pure: the dialogs check the same schemas in
 * the browser as the actions on the server; messages are i18n keys.
 */
import { z } from "zod";
import { formatFen, parseYuanInput } from "@/lib/format/money";

/** Alipay's amount range for a funding order (REFERENCE.md §3.2: 0.01–100,000,000.00 yuan). */
export const FUND_AMOUNT_MIN_FEN = 1;
export const FUND_AMOUNT_MAX_FEN = 10_000_000_000;
/** order_title: at most 100 ASCII characters or 50 Chinese ones (REFERENCE.md §3.2). */
export const FUND_TITLE_MAX_WIDTH = 100;
/**
 * Agreement pay's auto-refund of leftovers (orderExpiredTime). Alipay accepts from one minute, but payouts stop
 * disbursing from an order a couple of minutes before it expires (lib/fund-coupon/balances.ts), so an order
 * shorter than five minutes could never pay anyone; at most a week, so money does not sit forgotten.
 */
export const FUND_EXPIRY_MIN_MINUTES = 5;
export const FUND_EXPIRY_MAX_MINUTES = 7 * 24 * 60;
export const FUND_METHODS = ["AGREEMENT", "PAGE"] as const;
export const EXPIRY_UNITS = ["minutes", "hours"] as const;

/** A title's width as Alipay counts it: a Chinese (any non-ASCII) character counts as two ASCII ones. */
export function titleWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char.charCodeAt(0) < 0x80 ? 1 : 2;
  return width;
}

/** Yuan as typed → fen within `min`–`max`, or the issue saying what is wrong. */
function yuanToFen(max: number) {
  return (value: string, ctx: z.RefinementCtx) => {
    const fen = parseYuanInput(value);
    if (fen === null || fen < FUND_AMOUNT_MIN_FEN) {
      ctx.addIssue({ code: "custom", message: "validation.invalidAmount" });
      return z.NEVER;
    }
    if (fen > max) {
      ctx.addIssue({ code: "custom", message: "validation.tooBig", params: { maximum: formatFen(max) } });
      return z.NEVER;
    }
    return fen;
  };
}

const campaignId = z.string().min(1, "validation.required").max(64);

/** "Add funds": an amount, an order title, and how it is paid (agreement pay needs its leftovers' expiry). */
export const fundCampaignSchema = z
  .object({
    campaignId,
    amount: z.string().trim().min(1, "validation.required").transform(yuanToFen(FUND_AMOUNT_MAX_FEN)),
    title: z
      .string()
      .trim()
      .min(1, "validation.required")
      .refine((v) => titleWidth(v) <= FUND_TITLE_MAX_WIDTH, "campaigns.funding.validation.titleTooLong"),
    method: z.enum(FUND_METHODS, "validation.invalidOption"),
    expiresIn: z.union([z.string(), z.number()]).optional().default(""),
    expiresUnit: z.enum(EXPIRY_UNITS, "validation.invalidOption").default("hours"),
  })
  .transform((input, ctx) => {
    const base = { campaignId: input.campaignId, amountFen: input.amount, title: input.title };
    if (input.method === "PAGE") return { ...base, method: "PAGE" as const, expiresInMinutes: null };
    const text = String(input.expiresIn).trim();
    const minutes = /^\d+$/.test(text) ? Number(text) * (input.expiresUnit === "hours" ? 60 : 1) : Number.NaN;
    if (!(minutes >= FUND_EXPIRY_MIN_MINUTES && minutes <= FUND_EXPIRY_MAX_MINUTES)) {
      ctx.addIssue({
        code: "custom",
        path: ["expiresIn"],
        message: text === "" ? "validation.required" : "campaigns.funding.validation.expiryRange",
        params: { min: FUND_EXPIRY_MIN_MINUTES, max: FUND_EXPIRY_MAX_MINUTES / (24 * 60) },
      });
      return z.NEVER;
    }
    return { ...base, method: "AGREEMENT" as const, expiresInMinutes: minutes };
  });
export type FundCampaignInput = z.output<typeof fundCampaignSchema>;
export type FundCampaignFormValues = z.input<typeof fundCampaignSchema>;

/**
 * "Return unused funds": from the whole campaign, or from one order (`fundOrderId`), optionally only part of it
 * (`amount`; empty returns everything that can be returned).
 */
export const returnCampaignFundsSchema = z
  .object({
    campaignId,
    fundOrderId: z
      .string()
      .max(64)
      .optional()
      .transform((v) => (v ? v : null)),
    amount: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => (v ? yuanToFen(FUND_AMOUNT_MAX_FEN)(v, ctx) : null)),
  })
  .superRefine((input, ctx) => {
    // Part of "everything" has no meaning: a partial amount is taken from one order.
    if (input.amount !== null && input.fundOrderId === null)
      ctx.addIssue({
        code: "custom",
        path: ["amount"],
        message: "campaigns.funding.validation.partialNeedsOrder",
      });
  })
  .transform(({ amount, ...rest }) => ({ ...rest, amountFen: amount }));
export type ReturnCampaignFundsInput = z.output<typeof returnCampaignFundsSchema>;
