import "server-only";
import { z } from "zod";
import type { AlipayClient } from "./client";
import { fenToYuan, yuanToFen } from "./money";
import { mapOk, type AlipayResult, type CallMeta } from "./result";
import { parseBeijingTime } from "./time";

/**
 * 收发现金红包: alipay.fund.coupon.* (REFERENCE.md §3). A red-packet order is funded (agreement, page or app
 * pay), then disbursed to users piece by piece; leftovers are refunded or auto-refunded at orderExpiredTime.
 * `status` INIT means "still processing" (unknown); CLOSED is a definite failure.
 */

const operationSchema = z.object({
  auth_no: z.string().optional(),
  out_order_no: z.string().optional(),
  operation_id: z.string().optional(),
  out_request_no: z.string().optional(),
  amount: z.string().optional(),
  status: z.string().optional(),
  gmt_trans: z.string().optional(),
  operation_type: z.string().optional(),
  total_pay_refund_amount: z.string().optional(),
});

export type FundOperation = {
  authNo: string;
  operationId: string;
  outOrderNo: string | null;
  outRequestNo: string | null;
  amountFen: number | null;
  at: Date | null;
  type: string | null;
};

function interpret(method: string) {
  return (data: z.output<typeof operationSchema>, meta: CallMeta): AlipayResult<FundOperation> => {
    if (data.status === "INIT")
      return { kind: "unknown", reason: "processing", detail: `${method} status INIT`, meta };
    if (data.status === "CLOSED") {
      return { kind: "rejected", code: "10000", subCode: "CLOSED", subMsg: "", retryable: false, meta };
    }
    if (data.status !== "SUCCESS" || !data.auth_no || !data.operation_id) {
      return {
        kind: "unknown",
        reason: "invalid-response",
        detail: `${method} status ${data.status ?? "(none)"}`,
        meta,
      };
    }
    return {
      kind: "ok",
      meta,
      data: {
        authNo: data.auth_no,
        operationId: data.operation_id,
        outOrderNo: data.out_order_no ?? null,
        outRequestNo: data.out_request_no ?? null,
        amountFen: data.amount ? yuanToFen(data.amount) : null,
        at: data.gmt_trans ? parseBeijingTime(data.gmt_trans) : null,
        type: data.operation_type ?? null,
      },
    };
  };
}

export type FundingOrder = {
  outOrderNo: string;
  outRequestNo: string;
  title: string;
  amountFen: number;
  /** Pay deadline such as "30m", "2h", "1d" (Alipay: 1m–7d; default 1h). */
  payTimeout?: string;
  /** Auto-refund what was not disbursed after this many minutes (agreement pay only). */
  expireAfterMinutes?: number;
};

function fundingBizContent(order: FundingOrder): Record<string, unknown> {
  const body: Record<string, unknown> = {
    out_order_no: order.outOrderNo,
    out_request_no: order.outRequestNo,
    order_title: order.title,
    amount: fenToYuan(order.amountFen),
  };
  if (order.payTimeout) body.pay_timeout = order.payTimeout;
  if (order.expireAfterMinutes) {
    // A JSON *string* whose merchantExt is itself "key=value" text (REFERENCE §3.2).
    body.extra_param = JSON.stringify({ merchantExt: `orderExpiredTime=${order.expireAfterMinutes}m` });
  }
  return body;
}

/** Password-free funding from the merchant's own account (payerUserId must be the app's PID). */
export async function agreementPay(
  client: AlipayClient,
  order: FundingOrder & { payerUserId: string },
): Promise<AlipayResult<FundOperation>> {
  const method = "alipay.fund.coupon.order.agreement.pay";
  const result = await client.call(
    method,
    { ...fundingBizContent(order), payer_user_id: order.payerUserId },
    operationSchema,
  );
  return mapOk(result, interpret(method));
}

/** PC cashier: an auto-submitting HTML form; the outcome arrives by notification (or operation.query). */
export function pagePayForm(client: AlipayClient, order: FundingOrder, returnUrl: string): string {
  return client.pageForm("alipay.fund.coupon.order.page.pay", fundingBizContent(order), { returnUrl });
}

/** Mobile: the order string for the Alipay app's SDK; verify the outcome on the server afterwards. */
export function appPayOrderString(client: AlipayClient, order: FundingOrder): string {
  return client.orderString("alipay.fund.coupon.order.app.pay", fundingBizContent(order));
}

export type Disbursement = {
  /** A new merchant order number for this disbursement. */
  outOrderNo: string;
  outRequestNo: string;
  /** auth_no of the funded order. */
  deductAuthNo: string;
  title: string;
  amountFen: number;
  payee: { userId: string } | { logonId: string };
};

export async function disburse(client: AlipayClient, d: Disbursement): Promise<AlipayResult<FundOperation>> {
  const method = "alipay.fund.coupon.order.disburse";
  const body: Record<string, unknown> = {
    out_order_no: d.outOrderNo,
    out_request_no: d.outRequestNo,
    deduct_auth_no: d.deductAuthNo,
    order_title: d.title,
    amount: fenToYuan(d.amountFen),
    ...("userId" in d.payee ? { payee_user_id: d.payee.userId } : { payee_logon_id: d.payee.logonId }),
  };
  return mapOk(await client.call(method, body, operationSchema), interpret(method));
}

export async function refund(
  client: AlipayClient,
  r: { authNo: string; outRequestNo: string; amountFen: number; remark?: string },
): Promise<AlipayResult<FundOperation>> {
  const method = "alipay.fund.coupon.order.refund";
  const body: Record<string, unknown> = {
    auth_no: r.authNo,
    out_request_no: r.outRequestNo,
    amount: fenToYuan(r.amountFen),
  };
  if (r.remark) body.remark = r.remark;
  return mapOk(await client.call(method, body, operationSchema), interpret(method));
}

/** Settles an unknown pay/disburse/refund: Alipay's ids are the fast path, ours the slow one. */
export async function queryOperation(
  client: AlipayClient,
  q: { authNo?: string; outOrderNo?: string; operationId?: string; outRequestNo?: string },
): Promise<AlipayResult<FundOperation>> {
  const method = "alipay.fund.coupon.operation.query";
  const body: Record<string, unknown> = {};
  if (q.authNo) body.auth_no = q.authNo;
  if (q.outOrderNo) body.out_order_no = q.outOrderNo;
  if (q.operationId) body.operation_id = q.operationId;
  if (q.outRequestNo) body.out_request_no = q.outRequestNo;
  return mapOk(await client.call(method, body, operationSchema), interpret(method));
}
