/**
 * The user-funded red-packet endpoints (the C2C flow on the FUND_COUPON rail) as the OpenAPI document, docs/api.md
 * and the console's API page describe them, with the schemas their route handlers parse with
 * (lib/api/schemas/red-packets.ts). Pure.
 */
import type { EndpointSpec } from "@/lib/api/endpoint-spec";
import { apiPayoutSchema } from "@/lib/api/resources";
import {
  apiAppPayOrderRequestSchema,
  apiAppPayOrderSchema,
  apiRedPacketClaimRequestSchema,
  apiRedPacketDetailSchema,
  apiRedPacketPathSchema,
  apiRedPacketPaymentRequestSchema,
  apiRedPacketSchema,
} from "@/lib/api/schemas/red-packets";

const AUTH = `-H "Authorization: Bearer $HONGBAO_KEY"`;

export const RED_PACKET_ENDPOINTS: readonly EndpointSpec[] = [
  {
    route: "POST /api/v1/red-packets/app-pay-orders",
    tag: "Red packets",
    summary: "Start a user-funded red packet",
    description:
      "A person in your app puts money into a red packet for others to claim. Creates the packet (a FUND_COUPON " +
      "campaign that waits for its payment) and its Alipay order (`alipay.fund.coupon.order.app.pay`), and " +
      "answers the signed `orderString` your app passes to the Alipay SDK. Nothing is charged until the payer " +
      "confirms in Alipay. `outOrderNo` is your idempotency key: the same key with the same values answers the " +
      "same packet (200, with a fresh order string); other values are refused (409 IDEMPOTENCY_CONFLICT naming " +
      "them). Each claimer may claim once; what nobody claimed by `expiresAt` is refunded to the payer. Only " +
      "keys for all campaigns may start packets.",
    body: apiAppPayOrderRequestSchema,
    responses: {
      201: { description: "The packet and its order string", schema: apiAppPayOrderSchema },
      200: {
        description: "This outOrderNo was used before with the same values: the same packet",
        schema: apiAppPayOrderSchema,
      },
    },
    errors: ["INVALID_JSON", "VALIDATION", "IDEMPOTENCY_CONFLICT", "CONFLICT"],
    example: [
      'curl -X POST "$HONGBAO_URL/api/v1/red-packets/app-pay-orders" \\',
      `  ${AUTH} \\`,
      '  -H "Content-Type: application/json" \\',
      `  -d '{"outOrderNo":"gift_20261201_000042","payerUserId":"2088000000000001","amountFen":8800,` +
        `"packetCount":5,"title":"新年快乐","greeting":"恭喜发财","expiresInMinutes":1440}'`,
    ].join("\n"),
  },
  {
    route: "POST /api/v1/red-packets/[packetId]/payment",
    tag: "Red packets",
    summary: "Confirm a red packet's payment",
    description:
      "Send the `result` the Alipay SDK returned after the payment, as it was. The console verifies Alipay's " +
      "signature on it and that it is this packet's order and amount, then the packet is funded and ACTIVE. " +
      "Alipay's own notification funds it too (whichever comes first; the other changes nothing), so a lost " +
      "result is not a lost payment. A result that is not Alipay's signed payment of this order is a 422 on " +
      "`result` and changes nothing.",
    params: apiRedPacketPathSchema,
    body: apiRedPacketPaymentRequestSchema,
    responses: { 200: { description: "The packet, with its status now", schema: apiRedPacketSchema } },
    errors: ["INVALID_JSON", "VALIDATION", "NOT_FOUND"],
    example: [
      'curl -X POST "$HONGBAO_URL/api/v1/red-packets/$PACKET_ID/payment" \\',
      `  ${AUTH} \\`,
      '  -H "Content-Type: application/json" \\',
      `  -d '{"result":"{\\"alipay_fund_coupon_order_app_pay_response\\":{…},\\"sign\\":\\"…\\"}"}'`,
    ].join("\n"),
  },
  {
    route: "POST /api/v1/red-packets/[packetId]/claims",
    tag: "Red packets",
    summary: "Claim from a red packet",
    description:
      "Pays one claimer part of the packet: a payout of the packet's campaign, disbursed from the payer's order " +
      "in the background, answered like POST …/payouts (201 new, 200 an identical replay of `outBizNo`, 409 " +
      "IDEMPOTENCY_CONFLICT). Each user may claim once (FREQUENCY_LIMIT), at most `packetCount` claims are made " +
      "(CONFLICT), and never more than is left (BUDGET_EXHAUSTED). Follow it with GET …/red-packets/{packetId} " +
      "or the payout webhooks.",
    params: apiRedPacketPathSchema,
    body: apiRedPacketClaimRequestSchema,
    responses: {
      201: { description: "The claim's payout", schema: apiPayoutSchema },
      200: {
        description: "This outBizNo was claimed before with the same values: the existing payout",
        schema: apiPayoutSchema,
      },
    },
    errors: [
      "INVALID_JSON",
      "VALIDATION",
      "NOT_FOUND",
      "IDEMPOTENCY_CONFLICT",
      "CONFLICT",
      "CAMPAIGN_NOT_PAYING",
      "BUDGET_EXHAUSTED",
      "FREQUENCY_LIMIT",
    ],
    example: [
      'curl -X POST "$HONGBAO_URL/api/v1/red-packets/$PACKET_ID/claims" \\',
      `  ${AUTH} \\`,
      '  -H "Content-Type: application/json" \\',
      `  -d '{"outBizNo":"claim_20261201_000042","recipient":{"type":"USER_ID","id":"2088000000000002"},` +
        `"amountFen":188}'`,
    ].join("\n"),
  },
  {
    route: "GET /api/v1/red-packets/[packetId]",
    tag: "Red packets",
    summary: "Get a red packet",
    description:
      "The packet with its status and figures (paid, claimed, refunded, still claimable), every claim (a " +
      "payout) and every refund to the payer.",
    params: apiRedPacketPathSchema,
    responses: {
      200: { description: "The packet, its claims and refunds", schema: apiRedPacketDetailSchema },
    },
    errors: ["NOT_FOUND"],
    example: `curl "$HONGBAO_URL/api/v1/red-packets/$PACKET_ID" \\\n  ${AUTH}`,
  },
];
