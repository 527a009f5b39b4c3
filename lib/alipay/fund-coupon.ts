import "server-only";
import { z } from "zod";
import type { AlipayClient } from "./client";
import { fenToYuan, yuanToFen } from "./money";
import { mapOk, type AlipayResult, type CallMeta } from "./result";
import { parseBeijingTime } from "./time";

/** A verified operation in our terms (fen, Beijing time read); its two ids are required by the caller. */
function operationOf(
  data: z.output<typeof operationSchema>,
  authNo: string,
  operationId: string,
): FundOperation {
  return {
    authNo,
    operationId,
    outOrderNo: data.out_order_no ?? null,
    outRequestNo: data.out_request_no ?? null,
    amountFen: data.amount ? yuanToFen(data.amount) : null,
    at: data.gmt_trans ? parseBeijingTime(data.gmt_trans) : null,
    type: data.operation_type ?? null,
  };
}

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
      data: operationOf(data, data.auth_no, data.operation_id),
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

const APP_PAY_RESPONSE_KEY = "alipay_fund_coupon_order_app_pay_response";

/**
 * The exact text of `"<key>":{…}` 's object in a response body, found by walking its braces outside strings
 * (REFERENCE §1.7: the signature covers that substring byte for byte). Null when the key or its object is absent.
 */
function signedObjectText(raw: string, key: string): string | null {
  const at = raw.indexOf(`"${key}"`);
  if (at < 0) return null;
  const start = raw.indexOf("{", at + key.length + 2);
  if (start < 0 || raw.slice(at + key.length + 2, start).trim() !== ":") return null;
  let depth = 0;
  let inString = false;
  for (let i = start; i < raw.length; i += 1) {
    const ch = raw[i];
    if (inString) {
      if (ch === "\\") i += 1;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth += 1;
    else if (ch === "}") {
      depth -= 1;
      if (depth === 0) return raw.slice(start, i + 1);
    }
  }
  return null;
}

export type AppPayResultCheck =
  | { kind: "verified"; appId: string | null; operation: FundOperation }
  | { kind: "invalid"; reason: "malformed" | "unsigned" | "bad-signature" | "not-paid" };

const appPayResponseSchema = operationSchema.extend({
  code: z.string().optional(),
  app_id: z.string().optional(),
});

/**
 * What the Alipay client SDK handed the app after app.pay (`result`: `{"alipay_fund_coupon_order_app_pay_response":
 * {…},"sign":"…"}`), checked on the server as REFERENCE §3.1 requires: the response object's exact text must carry
 * Alipay's signature (verified with Alipay's public key, as every gateway reply is), and only the signed text is
 * read, so nothing outside it can change what is believed. Matching it to an order (out_order_no, amount, app id)
 * is the caller's job.
 */
export function verifyAppPayResult(client: AlipayClient, raw: string): AppPayResultCheck {
  let envelope: unknown;
  try {
    envelope = JSON.parse(raw);
  } catch {
    return { kind: "invalid", reason: "malformed" };
  }
  const sign =
    typeof envelope === "object" && envelope !== null && "sign" in envelope ? envelope.sign : undefined;
  if (typeof sign !== "string" || sign.length === 0) return { kind: "invalid", reason: "unsigned" };
  const signed = signedObjectText(raw, APP_PAY_RESPONSE_KEY);
  if (signed === null) return { kind: "invalid", reason: "malformed" };
  let valid = false;
  try {
    valid = client.sdk.rsaCheck(signed, sign, "RSA2");
  } catch {
    valid = false; // a key or signature the verifier cannot read is no signature
  }
  if (!valid) return { kind: "invalid", reason: "bad-signature" };
  let body: unknown;
  try {
    body = JSON.parse(signed);
  } catch {
    return { kind: "invalid", reason: "malformed" };
  }
  const parsed = appPayResponseSchema.safeParse(body);
  if (!parsed.success) return { kind: "invalid", reason: "malformed" };
  const data = parsed.data;
  if (data.code !== "10000" || data.status !== "SUCCESS" || !data.auth_no || !data.operation_id)
    return { kind: "invalid", reason: "not-paid" };
  return {
    kind: "verified",
    appId: data.app_id ?? null,
    operation: operationOf(data, data.auth_no, data.operation_id),
  };
}
