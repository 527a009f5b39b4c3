/**
 * 现金红包 by transfer: alipay.fund.trans.uni.transfer and alipay.fund.trans.common.query (REFERENCE.md §4), plus
 * the alipay.fund.trans.order.changed message to the app's 应用网关.
 *
 * Assumed (docs/alipay-simulator.md): the per-payee limit of 10 successful transfers per Beijing day answers
 * EXCEED_LIMIT_DC_RECEIVED; the payee population follows the conventions in payees.ts.
 */
import type { ApiCall, SimContext } from "./context";
import { fenToYuan, yuanToFen } from "./money";
import { newNotifyId } from "./notify";
import { logonIdExists, USER_ID_PATTERN, userIdExists } from "./payees";
import { Biz, businessError, signNotification, success, type ApiResult } from "./protocol";
import type { Transfer } from "./store";
import { beijingPeriodKeys, formatBeijing } from "./time";

const MAX_TRANSFER_FEN = 10_000_000_000;
const MAX_RECEIPTS_PER_PAYEE_PER_DAY = 10;

const invalid = (subMsg: string) => businessError("INVALID_PARAMETER", subMsg);

function canonical(value: unknown): string {
  // Key order must not make two identical requests look different.
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

function transferFields(transfer: Transfer) {
  return {
    out_biz_no: transfer.outBizNo,
    order_id: transfer.orderId,
    pay_fund_order_id: transfer.payFundOrderId,
    status: transfer.status,
    trans_date: formatBeijing(transfer.transAt),
  };
}

export function uniTransfer(call: ApiCall): ApiResult {
  const { biz, sim } = call;
  const outBizNo = biz.required("out_biz_no", 64);
  const amountText = biz.required("trans_amount");
  const productCode = biz.required("product_code", 64);
  const bizScene = biz.optional("biz_scene", 64) || "DIRECT_TRANSFER";
  const orderTitle = biz.optional("order_title", 128) || null;
  const passbackParams = biz.optional("passback_params") || null;
  biz.optional("remark", 200);
  const payee = biz.object("payee_info") ?? new Biz({});
  const transAmountFen = yuanToFen(amountText);
  if (transAmountFen === null) return invalid("trans_amount 格式错误，应为元，最多两位小数");

  // Idempotency comes first: a retry of a payment that succeeded must answer the same even if rules changed since.
  const fingerprint = canonical({ ...biz.raw, trans_amount: transAmountFen });
  const key = `${call.appId}/${outBizNo}`;
  const earlier = sim.store.state.transfers[key];
  if (earlier) {
    return earlier.fingerprint === fingerprint
      ? success(transferFields(earlier))
      : businessError("PAYMENT_INFO_INCONSISTENCY", "两次请求商户单号一样，但是参数不一致");
  }

  if (productCode !== "STD_RED_PACKET" && productCode !== "TRANS_ACCOUNT_NO_PWD") {
    return businessError(
      "PRODUCT_NOT_SIGN",
      `模拟器只支持 STD_RED_PACKET 和 TRANS_ACCOUNT_NO_PWD，收到 ${productCode}`,
    );
  }
  if (bizScene !== "DIRECT_TRANSFER") return invalid(`biz_scene 只支持 DIRECT_TRANSFER，收到 ${bizScene}`);
  if (productCode === "STD_RED_PACKET") {
    const businessParams = biz.raw.business_params;
    if (typeof businessParams !== "string") {
      return invalid(
        '现金红包必须传 business_params（JSON 字符串，如 "{\\"sub_biz_scene\\":\\"REDPACKET\\"}"）',
      );
    }
    let subBizScene: unknown;
    try {
      subBizScene = (JSON.parse(businessParams) as Record<string, unknown> | null)?.sub_biz_scene;
    } catch {
      return invalid("business_params 不是合法的 JSON");
    }
    if (subBizScene !== "REDPACKET") return invalid('business_params.sub_biz_scene 必须是 "REDPACKET"');
  }
  const minFen = productCode === "STD_RED_PACKET" ? 1 : 10;
  if (transAmountFen < minFen)
    return businessError("EXCEED_LIMIT_SM_MIN_AMOUNT", `单笔最低转账金额${fenToYuan(minFen)}元`);
  if (transAmountFen > MAX_TRANSFER_FEN)
    return businessError("EXCEED_LIMIT_SM_AMOUNT", "单笔最高转账金额100000000.00元");

  const identity = payee.required("identity", 100);
  const identityType = payee.required("identity_type", 64);
  const name = payee.optional("name", 100) || null;
  if (identityType === "ALIPAY_USER_ID") {
    if (!USER_ID_PATTERN.test(identity)) return invalid("ALIPAY_USER_ID 应为 2088 开头的 16 位数字");
    if (!userIdExists(identity)) return businessError("PAYEE_NOT_EXIST", "收款账号不存在");
  } else if (identityType === "ALIPAY_LOGON_ID") {
    // Alipay checks the real name against a login id; without one the payee cannot be identified.
    if (name === null) return businessError("PAYEE_NOT_EXIST", "收款方为 ALIPAY_LOGON_ID 时必须传 name");
    if (!logonIdExists(identity)) return businessError("PAYEE_NOT_EXIST", "收款账号不存在");
  } else if (identityType !== "ALIPAY_OPEN_ID") {
    return invalid(`模拟器只支持 ALIPAY_USER_ID、ALIPAY_LOGON_ID、ALIPAY_OPEN_ID，收到 ${identityType}`);
  }

  const day = beijingPeriodKeys(sim.nowMs).day;
  const receivedToday = Object.values(sim.store.state.transfers).filter(
    (t) => t.payeeType === identityType && t.payeeIdentity === identity && t.payeeDay === day,
  ).length;
  if (receivedToday >= MAX_RECEIPTS_PER_PAYEE_PER_DAY) {
    return businessError("EXCEED_LIMIT_DC_RECEIVED", "收款方当日收款笔数超限");
  }
  if (sim.store.state.balanceFen < transAmountFen)
    return businessError("PAYER_BALANCE_NOT_ENOUGH", "付款方余额不足");

  sim.store.state.balanceFen -= transAmountFen;
  const transfer: Transfer = {
    appId: call.appId,
    outBizNo,
    orderId: sim.store.numericId(sim.nowMs, 32),
    payFundOrderId: sim.store.numericId(sim.nowMs, 32),
    productCode,
    bizScene,
    transAmountFen,
    payeeType: identityType,
    payeeIdentity: identity,
    payeeName: name,
    orderTitle,
    passbackParams,
    status: "SUCCESS",
    transAt: sim.nowMs,
    payeeDay: day,
    fingerprint,
  };
  sim.store.state.transfers[key] = transfer;
  sim.store.addLedger(sim.nowMs, {
    method: call.method,
    key: outBizNo,
    user: identity,
    amountFen: transAmountFen,
    kind: "TRANSFER",
  });
  sendOrderChanged(sim, transfer);
  return success(transferFields(transfer));
}

/** 蚂蚁消息 to the 应用网关 (REFERENCE §1.9, §4.4), signed rsaCheckV2-style (sign_type kept). */
function sendOrderChanged(sim: SimContext, transfer: Transfer): void {
  if (!sim.appGatewayUrl) return;
  const bizContent = {
    out_biz_no: transfer.outBizNo,
    order_id: transfer.orderId,
    pay_fund_order_id: transfer.payFundOrderId,
    product_code: transfer.productCode,
    biz_scene: transfer.bizScene,
    origin_interface: "alipay.fund.trans.uni.transfer",
    status: transfer.status,
    action_type: "FINISH",
    trans_amount: fenToYuan(transfer.transAmountFen),
    pay_date: formatBeijing(transfer.transAt),
    ...(transfer.passbackParams ? { passback_params: transfer.passbackParams } : {}),
  };
  const fields = signNotification(
    {
      notify_id: newNotifyId(),
      utc_timestamp: String(sim.nowMs),
      msg_method: "alipay.fund.trans.order.changed",
      app_id: transfer.appId,
      version: "1.1",
      charset: "utf-8",
      sign_type: "RSA2",
      biz_content: JSON.stringify(bizContent),
    },
    sim.alipayKey,
    true,
  );
  sim.notifier.enqueue("app_gateway", sim.appGatewayUrl, fields);
}

export function commonQuery(call: ApiCall): ApiResult {
  const { biz, sim } = call;
  const payFundOrderId = biz.optional("pay_fund_order_id", 64) || null;
  const orderId = biz.optional("order_id", 64) || null;
  const outBizNo = biz.optional("out_biz_no", 64) || null;
  const productCode = biz.optional("product_code", 64) || null;
  const bizScene = biz.optional("biz_scene", 64) || null;
  const mine = Object.values(sim.store.state.transfers).filter((t) => t.appId === call.appId);
  let transfer: Transfer | undefined;
  // Precedence pay_fund_order_id > order_id > out_biz_no (REFERENCE §4.3).
  if (payFundOrderId !== null) transfer = mine.find((t) => t.payFundOrderId === payFundOrderId);
  else if (orderId !== null) transfer = mine.find((t) => t.orderId === orderId);
  else if (outBizNo !== null) {
    if (productCode === null || bizScene === null) {
      return invalid("按 out_biz_no 查询时 product_code 和 biz_scene 必填");
    }
    transfer = mine.find(
      (t) => t.outBizNo === outBizNo && t.productCode === productCode && t.bizScene === bizScene,
    );
  } else {
    return invalid("pay_fund_order_id、order_id、out_biz_no 至少传一个");
  }
  if (!transfer) return businessError("ORDER_NOT_EXIST", "转账订单不存在");
  return success({
    order_id: transfer.orderId,
    out_biz_no: transfer.outBizNo,
    pay_fund_order_id: transfer.payFundOrderId,
    status: transfer.status,
    pay_date: formatBeijing(transfer.transAt),
    trans_amount: fenToYuan(transfer.transAmountFen),
    order_fee: "0.00",
    passback_params: transfer.passbackParams ?? undefined,
  });
}
