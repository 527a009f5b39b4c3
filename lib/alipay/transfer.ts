import "server-only";
import { z } from "zod";
import type { AlipayClient } from "./client";
import { fenToYuan, yuanToFen } from "./money";
import type { Recipient } from "./recipient";
import { mapOk, type AlipayResult } from "./result";
import { parseBeijingTime } from "./time";

/**
 * B2C cash red packet (现金红包): alipay.fund.trans.uni.transfer with STD_RED_PACKET / DIRECT_TRANSFER, and
 * alipay.fund.trans.common.query to settle unknown outcomes (REFERENCE.md §4).
 */

const PRODUCT_CODE = "STD_RED_PACKET";
const BIZ_SCENE = "DIRECT_TRANSFER";
// Sent as a JSON *string*: the SDK snake-cases object keys, and Alipay expects a string here (REFERENCE §5.3).
const BUSINESS_PARAMS = JSON.stringify({ sub_biz_scene: "REDPACKET" });

const IDENTITY_TYPE = {
  USER_ID: "ALIPAY_USER_ID",
  OPEN_ID: "ALIPAY_OPEN_ID",
  LOGIN_ID: "ALIPAY_LOGON_ID",
} as const;

export type RedPacketTransfer = {
  /** Idempotency key, stored before the first call and reused on every retry. */
  outBizNo: string;
  amountFen: number;
  recipient: Recipient;
  orderTitle?: string;
  remark?: string;
};

export type TransferReceipt = { orderId: string; payFundOrderId: string | null; paidAt: Date | null };

const transferSchema = z.object({
  out_biz_no: z.string().optional(),
  order_id: z.string().optional(),
  pay_fund_order_id: z.string().optional(),
  status: z.string().optional(),
  trans_date: z.string().optional(),
  error_code: z.string().optional(),
  fail_reason: z.string().optional(),
});

/** The exact request body for a transfer: retries must send it unchanged (PAYMENT_INFO_INCONSISTENCY otherwise). */
export function transferBizContent(transfer: RedPacketTransfer): Record<string, unknown> {
  const payeeInfo: Record<string, string> = {
    identity: transfer.recipient.identity,
    identity_type: IDENTITY_TYPE[transfer.recipient.identityType],
  };
  if (transfer.recipient.name) payeeInfo.name = transfer.recipient.name;
  const body: Record<string, unknown> = {
    out_biz_no: transfer.outBizNo,
    trans_amount: fenToYuan(transfer.amountFen),
    product_code: PRODUCT_CODE,
    biz_scene: BIZ_SCENE,
    business_params: BUSINESS_PARAMS,
    payee_info: payeeInfo,
  };
  if (transfer.orderTitle) body.order_title = transfer.orderTitle;
  if (transfer.remark) body.remark = transfer.remark;
  return body;
}

export async function transferRedPacket(
  client: AlipayClient,
  transfer: RedPacketTransfer,
): Promise<AlipayResult<TransferReceipt>> {
  const result = await client.call(
    "alipay.fund.trans.uni.transfer",
    transferBizContent(transfer),
    transferSchema,
  );
  return mapOk(result, (data, meta): AlipayResult<TransferReceipt> => {
    switch (data.status) {
      case "SUCCESS":
        if (!data.order_id)
          return { kind: "unknown", reason: "invalid-response", detail: "SUCCESS without order_id", meta };
        return {
          kind: "ok",
          meta,
          data: {
            orderId: data.order_id,
            payFundOrderId: data.pay_fund_order_id ?? null,
            paidAt: data.trans_date ? parseBeijingTime(data.trans_date) : null,
          },
        };
      case "FAIL":
      case "REFUND":
        return {
          kind: "rejected",
          code: "10000",
          subCode: data.error_code ?? data.status,
          subMsg: data.fail_reason ?? "",
          retryable: false,
          meta,
        };
      case "DEALING":
        return { kind: "unknown", reason: "processing", detail: "transfer is DEALING", meta };
      default:
        return {
          kind: "unknown",
          reason: "invalid-response",
          detail: `status ${data.status ?? "(none)"}`,
          meta,
        };
    }
  });
}

const querySchema = z.object({
  order_id: z.string().optional(),
  out_biz_no: z.string().optional(),
  pay_fund_order_id: z.string().optional(),
  status: z.string(),
  pay_date: z.string().optional(),
  trans_amount: z.string().optional(),
  error_code: z.string().optional(),
  fail_reason: z.string().optional(),
});

export type TransferStatus = {
  status: "SUCCESS" | "DEALING" | "FAIL" | "REFUND" | "WAIT_PAY" | "CLOSED";
  orderId: string | null;
  amountFen: number | null;
  paidAt: Date | null;
  failCode: string | null;
  failReason: string | null;
};

/**
 * Looks a transfer up by our key. `rejected` with subCode ORDER_NOT_EXIST means Alipay has no such order:
 * resend the original request unchanged (REFERENCE §6.3).
 */
export async function queryTransfer(
  client: AlipayClient,
  outBizNo: string,
): Promise<AlipayResult<TransferStatus>> {
  const result = await client.call(
    "alipay.fund.trans.common.query",
    { product_code: PRODUCT_CODE, biz_scene: BIZ_SCENE, out_biz_no: outBizNo },
    querySchema,
  );
  return mapOk(result, (data, meta): AlipayResult<TransferStatus> => {
    const status = z
      .enum(["SUCCESS", "DEALING", "FAIL", "REFUND", "WAIT_PAY", "CLOSED"])
      .safeParse(data.status);
    if (!status.success)
      return { kind: "unknown", reason: "invalid-response", detail: `status ${data.status}`, meta };
    return {
      kind: "ok",
      meta,
      data: {
        status: status.data,
        orderId: data.order_id ?? null,
        amountFen: data.trans_amount ? yuanToFen(data.trans_amount) : null,
        paidAt: data.pay_date ? parseBeijingTime(data.pay_date) : null,
        failCode: data.error_code ?? null,
        failReason: data.fail_reason ?? null,
      },
    };
  });
}
