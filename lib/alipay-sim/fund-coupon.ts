/**
 * 收发现金红包: alipay.fund.coupon.order.{agreement,page,app}.pay, .disburse, .refund and
 * alipay.fund.coupon.operation.query (REFERENCE.md §3), plus the orderExpiredTime auto-refund.
 *
 * The per-API business error tables were not in any stored source (REFERENCE §3.6), so these mappings are
 * assumptions borrowed from neighbouring APIs (docs/alipay-simulator.md): ORDER_NOT_EXIST, ORDER_STATUS_INVALID,
 * PAYMENT_INFO_INCONSISTENCY (same out_order_no/out_request_no with different parameters) and the invented
 * REMAIN_AMOUNT_NOT_ENOUGH (more than the packet has left). PAYER_BALANCE_NOT_ENOUGH and PAYEE_NOT_EXIST are
 * documented names.
 */
import type { ApiCall, SimContext } from "./context";
import { fenToYuan, yuanToFen } from "./money";
import { newNotifyId } from "./notify";
import { logonIdExists, maskLogonId, USER_ID_PATTERN, userIdExists } from "./payees";
import {
  type Biz,
  businessError,
  invalidParameter,
  RequestProblem,
  signNotification,
  success,
  type ApiResult,
} from "./protocol";
import type { FundOperation, FundOrder, FundOrderKind } from "./store";
import { formatBeijing, HOUR_MS, parseShortDuration } from "./time";

const MAX_AMOUNT_FEN = 10_000_000_000;
const MIN_PAY_TIMEOUT_MS = 60_000;
const MAX_PAY_TIMEOUT_MS = 7 * 24 * HOUR_MS;

type PayRequest = {
  outOrderNo: string;
  outRequestNo: string;
  orderTitle: string;
  amountFen: number;
  payTimeoutMs: number;
  extraParam: string | null;
  orderExpiredMs: number | null;
  payerUserId: string | null;
};

/** ≤ 100 ASCII characters or 50 Chinese ones: count anything outside ASCII double. */
function titleWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.charCodeAt(0) > 0x7f ? 2 : 1;
  return width;
}

function readAmount(biz: Biz, name = "amount"): number {
  const fen = yuanToFen(biz.required(name));
  if (fen === null || fen < 1 || fen > MAX_AMOUNT_FEN) {
    throw new RequestProblem(
      invalidParameter(`${name} 需在0.01-100000000.00元之间 / ${name} must be 0.01–100000000.00`),
    );
  }
  return fen;
}

function readTitle(biz: Biz): string {
  const title = biz.required("order_title");
  if (titleWidth(title) > 100) {
    throw new RequestProblem(
      invalidParameter("order_title 最多100个英文字符或50个汉字 / order_title is too long"),
    );
  }
  return title;
}

/** `extra_param` is a JSON *string*; its `merchantExt` value is itself `key=value` text like `orderExpiredTime=1m`. */
function readExtraParam(biz: Biz): { extraParam: string | null; orderExpiredMs: number | null } {
  const extraParam = biz.optional("extra_param") || null;
  if (extraParam === null) return { extraParam, orderExpiredMs: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(extraParam);
  } catch {
    throw new RequestProblem(
      invalidParameter("extra_param 必须是 JSON 字符串 / extra_param must be a JSON string"),
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new RequestProblem(
      invalidParameter("extra_param 必须是 JSON 对象字符串 / extra_param must encode an object"),
    );
  }
  const merchantExt = (parsed as Record<string, unknown>).merchantExt;
  if (merchantExt === undefined) return { extraParam, orderExpiredMs: null };
  if (typeof merchantExt !== "string") {
    throw new RequestProblem(
      invalidParameter("extra_param.merchantExt 必须是字符串 / merchantExt must be a string"),
    );
  }
  for (const pair of merchantExt.split(/[&;,]/)) {
    const [key, value = ""] = pair.split("=").map((part) => part.trim());
    if (key !== "orderExpiredTime") continue;
    const ms = parseShortDuration(value);
    if (ms === null) {
      throw new RequestProblem(
        invalidParameter("orderExpiredTime 格式应为 1m/2h/1d / orderExpiredTime must look like 1m, 2h, 1d"),
      );
    }
    return { extraParam, orderExpiredMs: ms };
  }
  return { extraParam, orderExpiredMs: null };
}

function readPayRequest(biz: Biz, agreement: boolean): PayRequest {
  const outOrderNo = biz.required("out_order_no", 64);
  const outRequestNo = biz.required("out_request_no", 64);
  const orderTitle = readTitle(biz);
  const amountFen = readAmount(biz);
  const payTimeoutText = biz.optional("pay_timeout") || undefined;
  let payTimeoutMs = HOUR_MS;
  if (payTimeoutText !== undefined) {
    const ms = parseShortDuration(payTimeoutText);
    if (ms === null || ms < MIN_PAY_TIMEOUT_MS || ms > MAX_PAY_TIMEOUT_MS) {
      throw new RequestProblem(
        invalidParameter("pay_timeout 取值 1m-7d（整数 + m/h/d）/ pay_timeout must be 1m–7d"),
      );
    }
    payTimeoutMs = ms;
  }
  const { extraParam, orderExpiredMs } = readExtraParam(biz);
  let payerUserId: string | null = null;
  if (agreement) {
    payerUserId = biz.required("payer_user_id", 32);
    if (!USER_ID_PATTERN.test(payerUserId)) {
      throw new RequestProblem(
        invalidParameter("payer_user_id 应为 2088 开头的 16 位数字 / payer_user_id must be 2088 + 12 digits"),
      );
    }
  }
  return {
    outOrderNo,
    outRequestNo,
    orderTitle,
    amountFen,
    payTimeoutMs,
    extraParam,
    orderExpiredMs,
    payerUserId,
  };
}

function orderByOutOrderNo(sim: SimContext, appId: string, outOrderNo: string): FundOrder | undefined {
  return Object.values(sim.store.state.fundOrders).find(
    (order) => order.appId === appId && order.outOrderNo === outOrderNo,
  );
}

function operationsOf(sim: SimContext, order: FundOrder): FundOperation[] {
  return order.operationIds.flatMap((id) => {
    const op = sim.store.state.fundOperations[id];
    return op ? [op] : [];
  });
}

function remainingFen(order: FundOrder): number {
  return order.amountFen - order.disbursedFen - order.refundedFen;
}

function operationFields(order: FundOrder, op: FundOperation) {
  return {
    auth_no: order.authNo,
    out_order_no: order.outOrderNo,
    operation_id: op.operationId,
    out_request_no: op.outRequestNo,
    amount: fenToYuan(op.amountFen),
    status: op.status,
    gmt_trans: op.transAt === null ? undefined : formatBeijing(op.transAt),
  };
}

function newOperation(
  sim: SimContext,
  order: FundOrder,
  init: Pick<FundOperation, "outRequestNo" | "type" | "amountFen" | "remark" | "fingerprint">,
): FundOperation {
  const op: FundOperation = {
    operationId: sim.store.numericId(sim.nowMs, 20),
    authNo: order.authNo,
    outOrderNo: order.outOrderNo,
    status: "INIT",
    createdAt: sim.nowMs,
    transAt: null,
    orderTitle: order.orderTitle,
    payerUserId: order.payerUserId,
    payeeUserId: order.payeeUserId,
    payeeLogonId: order.payeeLogonId,
    ...init,
  };
  sim.store.state.fundOperations[op.operationId] = op;
  order.operationIds.push(op.operationId);
  sim.store.touch();
  return op;
}

function newOrder(
  sim: SimContext,
  appId: string,
  kind: FundOrderKind,
  init: Partial<FundOrder> & Pick<FundOrder, "outOrderNo" | "orderTitle" | "amountFen" | "fingerprint">,
): FundOrder {
  const order: FundOrder = {
    authNo: sim.store.numericId(sim.nowMs, 28),
    appId,
    kind,
    status: "INIT",
    payerUserId: null,
    payeeUserId: null,
    payeeLogonId: null,
    notifyUrl: null,
    returnUrl: null,
    extraParam: null,
    orderExpiresAt: null,
    payTimeoutAt: null,
    createdAt: sim.nowMs,
    gmtTrans: null,
    disbursedFen: 0,
    refundedFen: 0,
    expired: false,
    sourceAuthNo: null,
    operationIds: [],
    ...init,
  };
  sim.store.state.fundOrders[order.authNo] = order;
  sim.store.touch();
  return order;
}

/** Classic notify_url notification (form, rsaCheckV1-style signature), redelivered until `success`. */
function notifyOperation(
  sim: SimContext,
  url: string | null,
  notifyType: string,
  order: FundOrder,
  op: FundOperation,
): void {
  if (!url) return;
  const fields = signNotification(
    {
      notify_type: notifyType,
      notify_id: newNotifyId(),
      notify_time: formatBeijing(sim.nowMs),
      app_id: order.appId,
      charset: "utf-8",
      version: "1.0",
      sign_type: "RSA2",
      auth_no: order.authNo,
      out_order_no: order.outOrderNo,
      operation_id: op.operationId,
      out_request_no: op.outRequestNo,
      operation_type: op.type,
      amount: fenToYuan(op.amountFen),
      status: op.status,
      gmt_create: formatBeijing(op.createdAt),
      gmt_trans: op.transAt === null ? undefined : formatBeijing(op.transAt),
      payer_user_id: op.payerUserId,
      payee_user_id: op.payeeUserId,
      payee_logon_id: op.payeeLogonId,
    },
    sim.alipayKey,
    false,
  );
  sim.notifier.enqueue("notify_url", url, fields);
}

function completePayment(sim: SimContext, order: FundOrder, op: FundOperation, payer: string): void {
  order.status = "SUCCESS";
  order.gmtTrans = sim.nowMs;
  op.status = "SUCCESS";
  op.transAt = sim.nowMs;
  op.payerUserId = payer;
  order.payerUserId = payer;
  sim.store.addLedger(sim.nowMs, {
    method: `alipay.fund.coupon.order.${order.kind === "AGREEMENT" ? "agreement" : order.kind === "PAGE" ? "page" : "app"}.pay`,
    key: order.outOrderNo,
    user: payer,
    amountFen: order.amountFen,
    kind: "FUNDING",
  });
  notifyOperation(sim, order.notifyUrl, "trade_status_sync", order, op);
}

function payFingerprint(kind: FundOrderKind, request: PayRequest): string {
  return JSON.stringify([
    kind,
    request.outRequestNo,
    request.amountFen,
    request.orderTitle,
    request.payerUserId,
    request.extraParam,
  ]);
}

function inconsistent(): ApiResult {
  return businessError("PAYMENT_INFO_INCONSISTENCY", "两次请求商户单号一样，但是参数不一致");
}

/** Idempotent creation of a pay order: the same out_order_no with the same parameters is the same order. */
function findOrCreatePayOrder(
  call: ApiCall,
  kind: FundOrderKind,
  request: PayRequest,
): FundOrder | ApiResult {
  const fingerprint = payFingerprint(kind, request);
  const existing = orderByOutOrderNo(call.sim, call.appId, request.outOrderNo);
  if (existing) return existing.fingerprint === fingerprint ? existing : inconsistent();
  const order = newOrder(call.sim, call.appId, kind, {
    outOrderNo: request.outOrderNo,
    orderTitle: request.orderTitle,
    amountFen: request.amountFen,
    fingerprint,
    notifyUrl: call.params.notify_url || null,
    returnUrl: call.params.return_url || null,
    extraParam: request.extraParam,
    payTimeoutAt: call.sim.nowMs + request.payTimeoutMs,
    payerUserId: request.payerUserId,
  });
  newOperation(call.sim, order, {
    outRequestNo: request.outRequestNo,
    type: "PAY",
    amountFen: request.amountFen,
    remark: null,
    fingerprint,
  });
  return order;
}

function payResponse(sim: SimContext, order: FundOrder): ApiResult {
  const op = operationsOf(sim, order).find((candidate) => candidate.type === "PAY");
  if (!op) throw new Error(`fund order ${order.authNo} has no PAY operation`);
  return success(operationFields(order, op));
}

export function agreementPay(call: ApiCall): ApiResult {
  const { sim } = call;
  const request = readPayRequest(call.biz, true);
  const existing = orderByOutOrderNo(sim, call.appId, request.outOrderNo);
  if (existing) {
    return existing.fingerprint === payFingerprint("AGREEMENT", request) && existing.status === "SUCCESS"
      ? payResponse(sim, existing)
      : inconsistent();
  }
  if (sim.store.state.balanceFen < request.amountFen)
    return businessError("PAYER_BALANCE_NOT_ENOUGH", "付款方余额不足");
  const order = findOrCreatePayOrder(call, "AGREEMENT", request);
  if (!("authNo" in order)) return order;
  sim.store.state.balanceFen -= request.amountFen;
  const op = operationsOf(sim, order)[0];
  if (!op) throw new Error("missing PAY operation");
  completePayment(sim, order, op, request.payerUserId ?? sim.partnerId);
  // orderExpiredTime only takes effect for agreement pay (REFERENCE §3.2).
  if (request.orderExpiredMs !== null) order.orderExpiresAt = sim.nowMs + request.orderExpiredMs;
  return payResponse(sim, order);
}

/** page.pay arrives from a browser; the order waits in INIT until the person pays on the cashier page. */
export function preparePagePay(
  call: ApiCall,
): { ok: true; order: FundOrder } | { ok: false; result: ApiResult } {
  const request = readPayRequest(call.biz, false);
  const order = findOrCreatePayOrder(call, "PAGE", request);
  return "authNo" in order ? { ok: true, order } : { ok: false, result: order };
}

export type FundCashierOutcome =
  | { ok: true; order: FundOrder; alreadyPaid: boolean }
  | { ok: false; httpStatus: 404 | 409; message: string };

export function payFundOrderAtCashier(sim: SimContext, authNo: string): FundCashierOutcome {
  const order = sim.store.state.fundOrders[authNo];
  if (!order || order.kind !== "PAGE")
    return { ok: false, httpStatus: 404, message: "订单不存在 / unknown order" };
  advanceFundOrders(sim);
  if (order.status === "SUCCESS") return { ok: true, order, alreadyPaid: true };
  if (order.status === "CLOSED")
    return { ok: false, httpStatus: 409, message: "订单已关闭（超过 pay_timeout）/ order closed" };
  const op = operationsOf(sim, order)[0];
  if (!op) throw new Error("missing PAY operation");
  completePayment(sim, order, op, sim.cashierPayerId);
  return { ok: true, order, alreadyPaid: false };
}

/** Signed parameters appended to return_url, verifiable like a notification (checkNotifySignV2). */
export function returnUrlFor(sim: SimContext, order: FundOrder): string | null {
  if (!order.returnUrl) return null;
  const op = operationsOf(sim, order).find((candidate) => candidate.type === "PAY");
  const fields = signNotification(
    {
      app_id: order.appId,
      method: "alipay.fund.coupon.order.page.pay.return",
      charset: "utf-8",
      version: "1.0",
      sign_type: "RSA2",
      timestamp: formatBeijing(sim.nowMs),
      auth_no: order.authNo,
      out_order_no: order.outOrderNo,
      operation_id: op?.operationId,
      out_request_no: op?.outRequestNo,
      amount: fenToYuan(order.amountFen),
      status: order.status,
    },
    sim.alipayKey,
    false,
  );
  const url = new URL(order.returnUrl);
  for (const [key, value] of Object.entries(fields)) url.searchParams.set(key, value);
  return url.toString();
}

/** app.pay: the order string a phone would hand to the Alipay app; the simulated app pays at once. */
export function appPay(call: ApiCall): ApiResult {
  const request = readPayRequest(call.biz, false);
  const order = findOrCreatePayOrder(call, "APP", request);
  if (!("authNo" in order)) return order;
  if (order.status === "INIT") {
    const op = operationsOf(call.sim, order)[0];
    if (!op) throw new Error("missing PAY operation");
    completePayment(call.sim, order, op, call.sim.cashierPayerId);
  }
  if (order.status !== "SUCCESS") return businessError("ORDER_STATUS_INVALID", "订单状态不正确");
  return payResponse(call.sim, order);
}

function payeeOf(biz: Biz): { payeeUserId: string | null; payeeLogonId: string | null } | ApiResult {
  const payeeUserId = biz.optional("payee_user_id", 32) || null;
  const payeeLogonId = biz.optional("payee_logon_id", 100) || null;
  if (payeeUserId !== null) {
    if (!USER_ID_PATTERN.test(payeeUserId)) {
      return invalidParameter(
        "payee_user_id 应为 2088 开头的 16 位数字 / payee_user_id must be 2088 + 12 digits",
      );
    }
    if (!userIdExists(payeeUserId)) return businessError("PAYEE_NOT_EXIST", "收款账号不存在");
    return { payeeUserId, payeeLogonId: null };
  }
  if (payeeLogonId !== null) {
    if (!logonIdExists(payeeLogonId)) return businessError("PAYEE_NOT_EXIST", "收款账号不存在");
    return { payeeUserId: null, payeeLogonId };
  }
  return invalidParameter("payee_user_id 和 payee_logon_id 不能同时为空 / a payee is required");
}

export function disburse(call: ApiCall): ApiResult {
  const { biz, sim } = call;
  const outOrderNo = biz.required("out_order_no", 64);
  const outRequestNo = biz.required("out_request_no", 64);
  const orderTitle = readTitle(biz);
  const amountFen = readAmount(biz);
  const deductAuthNo = biz.optional("deduct_auth_no", 64) || null;
  const deductOutOrderNo = biz.optional("deduct_out_order_no", 64) || null;
  if (deductAuthNo === null && deductOutOrderNo === null) {
    return invalidParameter(
      "deduct_auth_no 和 deduct_out_order_no 不能同时为空 / a source order is required",
    );
  }
  const payee = payeeOf(biz);
  if ("ok" in payee) return payee;
  const fingerprint = JSON.stringify([
    "DISBURSE",
    outRequestNo,
    amountFen,
    orderTitle,
    deductAuthNo,
    deductOutOrderNo,
    payee.payeeUserId,
    payee.payeeLogonId,
  ]);
  // A repeat of the same disbursement returns the first result and moves no money.
  const existing = orderByOutOrderNo(sim, call.appId, outOrderNo);
  if (existing) return existing.fingerprint === fingerprint ? payResponse(sim, existing) : inconsistent();

  // deduct_auth_no wins when both are sent (REFERENCE §3.3).
  const source =
    deductAuthNo !== null
      ? sim.store.state.fundOrders[deductAuthNo]
      : orderByOutOrderNo(sim, call.appId, deductOutOrderNo ?? "");
  if (!source || source.appId !== call.appId || source.kind === "DISBURSE") {
    return businessError("ORDER_NOT_EXIST", "红包订单不存在");
  }
  advanceFundOrders(sim);
  if (source.status !== "SUCCESS" || source.expired)
    return businessError("ORDER_STATUS_INVALID", "红包订单状态不可打款（未支付、已关闭或已过期退回）");
  if (amountFen > remainingFen(source)) return businessError("REMAIN_AMOUNT_NOT_ENOUGH", "红包剩余金额不足");

  const order = newOrder(sim, call.appId, "DISBURSE", {
    outOrderNo,
    orderTitle,
    amountFen,
    fingerprint,
    sourceAuthNo: source.authNo,
    payerUserId: source.payerUserId,
    notifyUrl: call.params.notify_url || null,
    ...payee,
  });
  const op = newOperation(sim, order, { outRequestNo, type: "PAY", amountFen, remark: null, fingerprint });
  order.status = "SUCCESS";
  order.gmtTrans = sim.nowMs;
  op.status = "SUCCESS";
  op.transAt = sim.nowMs;
  source.disbursedFen += amountFen;
  sim.store.addLedger(sim.nowMs, {
    method: call.method,
    key: `${outOrderNo}/${outRequestNo}`,
    user: payee.payeeUserId ?? payee.payeeLogonId ?? "",
    amountFen,
    kind: "FUND_COUPON_DISBURSE",
  });
  notifyOperation(sim, order.notifyUrl, "trade_status_sync", order, op);
  return payResponse(sim, order);
}

function applyRefund(
  sim: SimContext,
  order: FundOrder,
  outRequestNo: string,
  amountFen: number,
  remark: string | null,
  fingerprint: string,
  method: string,
): FundOperation {
  const op = newOperation(sim, order, { outRequestNo, type: "REFUND", amountFen, remark, fingerprint });
  op.status = "SUCCESS";
  op.transAt = sim.nowMs;
  op.payeeUserId = order.payerUserId;
  op.payeeLogonId = null;
  order.refundedFen += amountFen;
  // Only agreement pay took the money from the merchant balance; page/app pay refunds go back to the person.
  if (order.kind === "AGREEMENT") sim.store.state.balanceFen += amountFen;
  sim.store.addLedger(sim.nowMs, {
    method,
    key: `${order.authNo}/${outRequestNo}`,
    user: order.payerUserId ?? sim.partnerId,
    amountFen,
    kind: "REFUND",
  });
  return op;
}

export function refund(call: ApiCall): ApiResult {
  const { biz, sim } = call;
  const authNo = biz.required("auth_no", 64);
  const outRequestNo = biz.required("out_request_no", 64);
  const amountFen = readAmount(biz);
  const remark = biz.optional("remark", 100) || null;
  const order = sim.store.state.fundOrders[authNo];
  if (!order || order.appId !== call.appId || order.kind === "DISBURSE")
    return businessError("ORDER_NOT_EXIST", "红包订单不存在");
  const fingerprint = JSON.stringify(["REFUND", amountFen, remark]);
  const earlier = operationsOf(sim, order).find(
    (op) => op.type === "REFUND" && op.outRequestNo === outRequestNo,
  );
  // Alipay's staff: reusing an out_request_no is treated as a repeat, so every refund needs a fresh one.
  if (earlier)
    return earlier.fingerprint === fingerprint ? success(operationFields(order, earlier)) : inconsistent();
  advanceFundOrders(sim);
  if (order.status !== "SUCCESS") return businessError("ORDER_STATUS_INVALID", "红包订单未支付或已关闭");
  if (amountFen > remainingFen(order)) return businessError("REMAIN_AMOUNT_NOT_ENOUGH", "红包剩余金额不足");
  const op = applyRefund(sim, order, outRequestNo, amountFen, remark, fingerprint, call.method);
  notifyOperation(sim, call.params.notify_url || null, "fund_stdtrustee_refund.success", order, op);
  return success(operationFields(order, op));
}

export function operationQuery(call: ApiCall): ApiResult {
  const { biz, sim } = call;
  const authNo = biz.optional("auth_no", 64) || null;
  const outOrderNo = biz.optional("out_order_no", 64) || null;
  const operationId = biz.optional("operation_id", 64) || null;
  const outRequestNo = biz.optional("out_request_no", 64) || null;
  if ((authNo === null && outOrderNo === null) || (operationId === null && outRequestNo === null)) {
    return invalidParameter(
      "需要 (auth_no 或 out_order_no) 且 (operation_id 或 out_request_no) / need (auth_no|out_order_no) and (operation_id|out_request_no)",
    );
  }
  advanceFundOrders(sim);
  // Alipay's ids win over the merchant's when both are sent (REFERENCE §3.5).
  const order =
    authNo !== null
      ? sim.store.state.fundOrders[authNo]
      : orderByOutOrderNo(sim, call.appId, outOrderNo ?? "");
  if (!order || order.appId !== call.appId) return businessError("ORDER_NOT_EXIST", "红包订单不存在");
  const op = operationsOf(sim, order).find((candidate) =>
    operationId !== null ? candidate.operationId === operationId : candidate.outRequestNo === outRequestNo,
  );
  if (!op) return businessError("ORDER_NOT_EXIST", "资金操作流水不存在");
  return success({
    auth_no: order.authNo,
    out_order_no: order.outOrderNo,
    operation_id: op.operationId,
    out_request_no: op.outRequestNo,
    operation_type: op.type,
    amount: fenToYuan(op.amountFen),
    status: op.status,
    gmt_create: formatBeijing(op.createdAt),
    gmt_trans: op.transAt === null ? undefined : formatBeijing(op.transAt),
    order_title: op.orderTitle,
    remark: op.remark ?? undefined,
    payer_user_id: op.payerUserId ?? undefined,
    payee_user_id: op.payeeUserId ?? undefined,
    payee_logon_id: op.payeeLogonId === null ? undefined : maskLogonId(op.payeeLogonId),
    extra_param: order.extraParam ?? undefined,
    total_pay_refund_amount: fenToYuan(order.refundedFen),
  });
}

/** Clock-driven changes: unpaid page/app orders close at pay_timeout; agreement orders auto-refund at expiry. */
export function advanceFundOrders(sim: SimContext): void {
  for (const order of Object.values(sim.store.state.fundOrders)) {
    if (order.status === "INIT" && order.payTimeoutAt !== null && sim.nowMs >= order.payTimeoutAt) {
      order.status = "CLOSED";
      for (const op of operationsOf(sim, order)) if (op.status === "INIT") op.status = "CLOSED";
      sim.store.touch();
    }
    if (
      order.status === "SUCCESS" &&
      !order.expired &&
      order.orderExpiresAt !== null &&
      sim.nowMs >= order.orderExpiresAt
    ) {
      order.expired = true;
      sim.store.touch();
      const left = remainingFen(order);
      if (left > 0) {
        const op = applyRefund(
          sim,
          order,
          `EXPIRE_${order.authNo}`,
          left,
          "orderExpiredTime",
          "EXPIRE",
          "alipay.fund.coupon.order.expire",
        );
        // Refunds caused by expiry notify the pay call's notify_url (REFERENCE §3.4).
        notifyOperation(sim, order.notifyUrl, "fund_stdtrustee_refund.success", order, op);
      }
    }
  }
}
