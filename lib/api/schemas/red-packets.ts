/**
 * What the machine API's user-funded red-packet endpoints accept and answer (the C2C flow on the FUND_COUPON
 * rail): the route handlers parse with these schemas and lib/api/endpoints/red-packets.ts describes the
 * endpoints with the very same ones. Limits are the service's (lib/user-packets/limits.ts), so the API and the
 * service refuse the same things. Pure: no server-only, no transforms.
 */
import { z } from "zod";
import { storableText } from "@/lib/validation/text";
import { apiPayoutSchema } from "@/lib/api/resources";
import { CAMPAIGN_STATUSES, FUND_ORDER_STATUSES } from "@/lib/enums";
import { OUT_ORDER_NO_PATTERN, PAYER_USER_ID_PATTERN, USER_PACKET_LIMITS } from "@/lib/user-packets/limits";
import { OUT_BIZ_NO_PATTERN } from "@/lib/validation/payouts";

const L = USER_PACKET_LIMITS;

const timestamp = z.iso
  .datetime()
  .meta({ description: "ISO 8601, UTC", example: "2026-12-01T08:30:00.000Z" });
const fen = (description: string) =>
  z
    .number()
    .int()
    .meta({ description: `${description}, in fen (1 yuan = 100 fen)` });

const userId = z
  .string()
  .trim()
  .regex(PAYER_USER_ID_PATTERN, "userPackets.errors.payerUserId")
  .meta({ description: "An Alipay user id: 2088 and 12 more digits", example: "2088000000000001" });

export const apiRedPacketPathSchema = z.object({
  packetId: storableText(z.string().min(1, "validation.required").max(64, "validation.tooLong")).meta({
    description: "The packet's id (`id` of the order's answer)",
    example: "cmp_8f2k1",
  }),
});

/** POST /api/v1/red-packets/app-pay-orders. */
export const apiAppPayOrderRequestSchema = z
  .object({
    outOrderNo: z
      .string()
      .trim()
      .regex(OUT_ORDER_NO_PATTERN, "userPackets.errors.outOrderNo")
      .meta({
        description:
          "Your idempotency key for this packet (letters, digits and _, at most 64); it becomes the Alipay " +
          "order's out_order_no. The same key with the same values returns the same packet and order",
        example: "gift_20261201_000042",
      }),
    payerUserId: userId.meta({ description: "The Alipay user id of the person paying the packet" }),
    amountFen: z
      .number("validation.invalidNumber")
      .int("userPackets.validation.amountFen")
      .min(L.amountMinFen, "userPackets.validation.amountFen")
      .max(L.amountMaxFen, "userPackets.validation.amountFen")
      .meta({
        description: `What the payer puts in, in fen (${L.amountMinFen}–${L.amountMaxFen}, at most ¥2,000)`,
        example: 8_800,
      }),
    packetCount: z
      .number("validation.invalidNumber")
      .int("userPackets.validation.packetCount")
      .min(L.packetCountMin, "userPackets.validation.packetCount")
      .max(L.packetCountMax, "userPackets.validation.packetCount")
      .meta({ description: `How many claims it allows at most (${L.packetCountMin}–${L.packetCountMax})` }),
    title: storableText(
      z.string().trim().min(1, "validation.required").max(L.titleMax, "validation.tooLong"),
    ).meta({
      description:
        `The packet's title, shown by Alipay (at most ${L.titleMax} characters, and 100 letters or 50 ` +
        "Chinese characters)",
      example: "新年快乐",
    }),
    greeting: storableText(
      z.string().trim().min(1, "validation.required").max(L.greetingMax, "validation.tooLong"),
    ).meta({
      description: `The greeting claimers see (at most ${L.greetingMax} characters)`,
      example: "恭喜发财",
    }),
    expiresInMinutes: z
      .number("validation.invalidNumber")
      .int("userPackets.validation.expiresInMinutes")
      .min(L.expiresMinMinutes, "userPackets.validation.expiresInMinutes")
      .max(L.expiresMaxMinutes, "userPackets.validation.expiresInMinutes")
      .meta({
        description:
          `Minutes until the packet ends (${L.expiresMinMinutes}–${L.expiresMaxMinutes}); what is unclaimed ` +
          "then is refunded to the payer",
        example: 1440,
      }),
  })
  .meta({ id: "RedPacketOrderRequest" });
export type ApiAppPayOrderRequest = z.output<typeof apiAppPayOrderRequestSchema>;

export const apiAppPayOrderSchema = z
  .object({
    id: z.string().meta({ description: "The packet's id (its campaign in the console)" }),
    orderNo: z.string().meta({ description: "The Alipay order's out_order_no (your outOrderNo)" }),
    orderString: z.string().meta({
      description:
        "The signed order string for the Alipay client SDK (alipay.fund.coupon.order.app.pay); pass it to the " +
        "SDK as it is, then POST what the SDK returns to …/payment",
    }),
    status: z
      .enum(CAMPAIGN_STATUSES)
      .meta({ description: "AWAITING_FUNDING until the payment is confirmed" }),
    expiresAt: timestamp.meta({ description: "When the packet ends and its remainder is refunded" }),
  })
  .meta({ id: "RedPacketOrder" });
export type ApiAppPayOrder = z.infer<typeof apiAppPayOrderSchema>;

/** POST /api/v1/red-packets/{packetId}/payment. */
export const apiRedPacketPaymentRequestSchema = z
  .object({
    result: z
      .string()
      .min(1, "validation.required")
      .max(20_000, "validation.tooLong")
      .meta({
        description:
          "The `result` string the Alipay SDK returned after the payment, as it was: its signed " +
          "alipay_fund_coupon_order_app_pay_response is verified on the server",
      }),
  })
  .meta({ id: "RedPacketPayment" });

/** POST /api/v1/red-packets/{packetId}/claims. */
export const apiRedPacketClaimRequestSchema = z
  .object({
    outBizNo: z
      .string()
      .trim()
      .min(1, "validation.required")
      .regex(OUT_BIZ_NO_PATTERN, "payouts.validation.outBizNo")
      .meta({
        description:
          "Your idempotency key for this claim (letters, digits and _, at most 64); the same key with the same " +
          "values returns the existing claim",
        example: "claim_20261201_000042",
      }),
    recipient: z.object({
      type: z.literal("USER_ID", "validation.invalidOption").meta({
        description: "Claims are paid to Alipay user ids",
      }),
      id: userId.meta({ description: "The claimer's Alipay user id (2088 + 12 digits)" }),
    }),
    amountFen: z
      .number("validation.invalidNumber")
      .int("validation.invalidNumber")
      .min(1, "validation.invalidAmount")
      .meta({ description: "What this claimer receives, in fen (at most what is left)", example: 188 }),
  })
  .meta({ id: "RedPacketClaim" });
export type ApiRedPacketClaimRequest = z.output<typeof apiRedPacketClaimRequestSchema>;

export const apiRedPacketSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    greeting: z.string(),
    payerUserId: z.string(),
    status: z.enum(CAMPAIGN_STATUSES).meta({
      description:
        "AWAITING_FUNDING (not paid yet), ACTIVE (claimable), CLOSED (ended; the remainder refunded)",
    }),
    orderNo: z.string(),
    orderStatus: z.enum(FUND_ORDER_STATUSES),
    amountFen: fen("What the payer put in"),
    packetCount: z.number().int().meta({ description: "How many claims it allows at most" }),
    claimedCount: z.number().int().meta({ description: "Claims Alipay paid" }),
    claimedFen: fen("What those claims received"),
    refundedFen: fen("Returned to the payer"),
    availableFen: fen("What claims can still take now"),
    paidAt: timestamp.nullable(),
    createdAt: timestamp,
    expiresAt: timestamp,
  })
  .meta({ id: "RedPacket" });
export type ApiRedPacket = z.infer<typeof apiRedPacketSchema>;

export const apiRedPacketDetailSchema = z
  .object({
    packet: apiRedPacketSchema,
    claims: z.array(apiPayoutSchema).meta({ description: "Every claim (a payout), newest first" }),
    refunds: z
      .array(
        z.object({
          id: z.string(),
          amountFen: fen("Returned"),
          kind: z.string().meta({ description: "CLOSING (the packet ended), RETURNED or EXPIRED" }),
          status: z.string().meta({ description: "PENDING, UNKNOWN, SUCCEEDED or FAILED" }),
          createdAt: timestamp,
        }),
      )
      .meta({ description: "Refunds to the payer, oldest first" }),
  })
  .meta({ id: "RedPacketDetail" });
export type ApiRedPacketDetail = z.infer<typeof apiRedPacketDetailSchema>;
