/**
 * 营销活动送红包: alipay.marketing.campaign.cash.{create,trigger,status.modify,detail.query,list.query}
 * (REFERENCE.md §2) and the campaign's cashier payment.
 *
 * Invented here, because no stored source documents them (REFERENCE §7.1/§7.2) — see docs/alipay-simulator.md:
 * - sub_codes isv.CASH_AMOUNT_OUT_OF_RANGE, isv.CASH_NUM_OUT_OF_RANGE, isv.CASH_CAMPAIGN_NOT_EXIST,
 *   CASH_CAMP_COUNT_INSUFFICIENT, isv.CASH_ORDER_PRICE_ILLEGAL;
 * - which trigger failures use `40004` (budget/count exhausted, unknown or unpaid campaign) and which use
 *   `10000` + trigger_result "false" + error_msg (frequency limit, campaign not READY, unknown user).
 */
import { randomBytes } from "node:crypto";
import type { ApiCall, SimContext } from "./context";
import { fenToYuan, yuanToFen } from "./money";
import { logonIdExists, USER_ID_PATTERN, userIdExists } from "./payees";
import { businessError, invalidParameter, success, type ApiResult } from "./protocol";
import type { Campaign, CampaignStatus, FrequencyLimits } from "./store";
import { addBeijingMonths, beijingPeriodKeys, DAY_MS, formatBeijing, MINUTE_MS, parseBeijing } from "./time";

const MIN_TOTAL_FEN = 100;
const MAX_TOTAL_FEN = 1_000_000_000;
const MIN_PACKET_FEN = 20;
const MAX_PACKET_FEN = 20_000;
const MAX_COUNT = 10_000_000;
const PAY_URL_VALID_MS = DAY_MS;
/** Alipay says leftover budget goes back "within about 30 minutes" of the end (REFERENCE §6.4). */
const SETTLE_AFTER_MS = 30 * MINUTE_MS;
const DEFAULT_OUT_BIZ_NO = "default_out_biz_no";

const notExist = () => businessError("isv.CASH_CAMPAIGN_NOT_EXIST", "现金活动不存在");

function encodeFully(text: string): string {
  // Real pay_url samples percent-encode even the characters encodeURIComponent leaves alone (`.`, `_`, `-`).
  return encodeURIComponent(text).replace(
    /[.\-_!~*'()]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

export function campaignCashierUrl(publicUrl: string, crowdNo: string): string {
  return `${publicUrl}/cashier/campaign?crowdNo=${encodeURIComponent(crowdNo)}`;
}

export function merchantLogoUrl(publicUrl: string): string {
  return `${publicUrl}/assets/merchant-logo.svg`;
}

/** `L<n>` (lifetime, mandatory, ≤ 100) plus at most one of `D<n>`/`W<n>`/`M<n>` (each ≤ L), joined by `|`. */
export function parseSendFrequency(text: string): FrequencyLimits | null {
  let lifetime: number | null = null;
  let period: FrequencyLimits["period"] = null;
  for (const token of text.split("|")) {
    const match = /^([LDWM])([1-9]\d{0,2})$/.exec(token);
    if (!match) return null;
    const unit = match[1] as "L" | "D" | "W" | "M";
    const count = Number(match[2]);
    if (unit === "L") {
      if (lifetime !== null) return null;
      lifetime = count;
    } else {
      if (period !== null) return null;
      period = { unit, count };
    }
  }
  if (lifetime === null || lifetime > 100) return null;
  if (period && period.count > lifetime) return null;
  return { lifetime, period };
}

function nextRandom(campaign: Campaign): number {
  // mulberry32 step on state kept in the campaign, so persisted campaigns continue the same sequence.
  campaign.randomState = (campaign.randomState + 0x6d2b79f5) >>> 0;
  let t = campaign.randomState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Alipay's status, as a function of payment, pause and the clock. Returns true when something changed. */
export function advanceCampaign(sim: SimContext, campaign: Campaign): boolean {
  const before = campaign.status;
  const now = sim.nowMs;
  if (campaign.status === "PAID" && now >= campaign.startAt) campaign.status = "READY";
  if (
    (campaign.status === "PAID" || campaign.status === "READY" || campaign.status === "PAUSE") &&
    now >= campaign.endAt
  ) {
    campaign.status = "CLOSED";
    campaign.closedAt = campaign.endAt;
  }
  if (campaign.status === "CLOSED" && now >= campaign.endAt + SETTLE_AFTER_MS) {
    campaign.status = "SETTLE";
    campaign.settledAt = campaign.endAt + SETTLE_AFTER_MS;
    const leftover = campaign.totalFen - campaign.sendAmountFen;
    if (leftover > 0) {
      sim.store.addLedger(campaign.settledAt, {
        method: "alipay.marketing.campaign.cash.settle",
        key: `${campaign.crowdNo}/settle`,
        user: sim.cashierPayerId,
        amountFen: leftover,
        kind: "REFUND",
      });
    }
  }
  if (campaign.status !== before) sim.store.touch();
  return campaign.status !== before;
}

export function advanceCampaigns(sim: SimContext): void {
  for (const campaign of Object.values(sim.store.state.campaigns)) advanceCampaign(sim, campaign);
}

function findCampaign(call: ApiCall, crowdNo: string): Campaign | undefined {
  const campaign = call.sim.store.state.campaigns[crowdNo];
  if (!campaign || campaign.appId !== call.appId) return undefined;
  advanceCampaign(call.sim, campaign);
  return campaign;
}

export function createCampaign(call: ApiCall): ApiResult {
  const { biz, sim } = call;
  const couponName = biz.required("coupon_name", 64);
  const prizeType = biz.required("prize_type");
  const totalMoney = biz.required("total_money");
  const totalNumText = biz.required("total_num");
  const prizeMsg = biz.required("prize_msg", 64);
  const startText = biz.required("start_time");
  const endText = biz.required("end_time");
  const merchantLink = biz.optional("merchant_link", 512);
  const frequencyText = biz.optional("send_freqency");

  if (prizeType !== "fixed" && prizeType !== "random") {
    return businessError("isv.CASH_PRIZE_TYPE_ERROR", "红包类型错误，只支持 fixed 或 random");
  }
  const totalFen = yuanToFen(totalMoney);
  if (totalFen === null)
    return invalidParameter("total_money 格式错误，应为元，最多两位小数 / total_money is not a yuan amount");
  if (!/^[1-9]\d*$/.test(totalNumText))
    return invalidParameter("total_num 必须是正整数 / total_num must be a positive integer");
  const totalNum = Number(totalNumText);
  if (totalFen < MIN_TOTAL_FEN || totalFen > MAX_TOTAL_FEN) {
    return businessError("isv.CASH_AMOUNT_OUT_OF_RANGE", "活动总金额需在1.00-10000000.00元之间");
  }
  if (totalNum > MAX_COUNT) return businessError("isv.CASH_NUM_OUT_OF_RANGE", "红包个数需在1-10000000之间");
  // Per packet = total / num (the average for random campaigns), compared without division to stay in fen.
  if (totalFen < MIN_PACKET_FEN * totalNum || totalFen > MAX_PACKET_FEN * totalNum) {
    return businessError("isv.CASH_AMOUNT_OUT_OF_RANGE", "单个红包金额需在0.20-200.00元之间");
  }

  const now = sim.nowMs;
  const nowStart = startText === "NowTime";
  const startAt = nowStart ? now : parseBeijing(startText);
  const endAt = parseBeijing(endText);
  if (startAt === null || endAt === null) {
    return businessError(
      "isv.CASH_TIME_CHECK_FAILED",
      "活动时间格式错误，应为 yyyy-MM-dd HH:mm:ss 或 NowTime",
    );
  }
  if (!nowStart && startAt <= now)
    return businessError("isv.CASH_TIME_CHECK_FAILED", "活动开始时间必须晚于当前时间");
  if (endAt <= startAt) return businessError("isv.CASH_TIME_CHECK_FAILED", "活动结束时间必须晚于开始时间");
  if (endAt > addBeijingMonths(startAt, 6)) {
    return businessError("isv.CASH_TIME_CHECK_FAILED", "活动时间跨度不能超过6个月");
  }

  const limits =
    frequencyText === undefined ? { lifetime: 1, period: null } : parseSendFrequency(frequencyText);
  if (!limits) {
    return businessError(
      "isv.CASH_SEND_FREQUENCY_ERROR",
      "参与频率格式错误：L<n>（n≤100）必填，可再加一个 D<n>/W<n>/M<n>（不大于 L），用 | 连接",
    );
  }
  if (merchantLink !== undefined && !/^https?:\/\/\S+$/.test(merchantLink)) {
    return invalidParameter("merchant_link 必须是 http(s) 地址 / merchant_link must be an http(s) URL");
  }

  // ~64-character opaque id like the real ones; base64url brings the `-` and `_` that pay_url encoding must handle.
  const crowdNo = randomBytes(48).toString("base64url");
  const originCrowdNo = sim.store.numericId(now, 32);
  const campaign: Campaign = {
    crowdNo,
    originCrowdNo,
    appId: call.appId,
    couponName,
    prizeMsg,
    prizeType,
    totalFen,
    totalNum,
    startMode: nowStart ? "NowTime" : "scheduled",
    startAt,
    endAt,
    merchantLink: merchantLink ?? null,
    sendFrequency: frequencyText ?? "L1",
    limits,
    status: "CREATED",
    createdAt: now,
    payUrlExpiresAt: now + PAY_URL_VALID_MS,
    paidAt: null,
    closedAt: null,
    settledAt: null,
    sendAmountFen: 0,
    sentCount: 0,
    randomState: randomBytes(4).readUInt32BE(0),
    triggers: {},
    receipts: {},
  };
  sim.store.state.campaigns[crowdNo] = campaign;
  sim.store.touch();
  return success({
    crowd_no: crowdNo,
    origin_crowd_no: originCrowdNo,
    pay_url: encodeFully(campaignCashierUrl(sim.publicUrl, crowdNo)),
  });
}

export type CampaignPayOutcome =
  | { ok: true; campaign: Campaign; alreadyPaid: boolean }
  | { ok: false; httpStatus: 404 | 409 | 410; message: string };

/** The merchant pays the whole budget on the cashier page (or via POST /__sim/campaigns/:crowdNo/pay). */
export function payCampaign(sim: SimContext, crowdNo: string): CampaignPayOutcome {
  const campaign = sim.store.state.campaigns[crowdNo];
  if (!campaign) return { ok: false, httpStatus: 404, message: "现金活动不存在 / unknown campaign" };
  advanceCampaign(sim, campaign);
  if (campaign.status !== "CREATED") return { ok: true, campaign, alreadyPaid: true };
  if (sim.nowMs > campaign.payUrlExpiresAt) {
    return { ok: false, httpStatus: 410, message: "付款链接已过期 / this payment link has expired" };
  }
  if (sim.nowMs >= campaign.endAt)
    return { ok: false, httpStatus: 409, message: "活动已结束 / the campaign has ended" };
  campaign.paidAt = sim.nowMs;
  if (campaign.startMode === "NowTime") campaign.startAt = sim.nowMs;
  campaign.status = sim.nowMs >= campaign.startAt ? "READY" : "PAID";
  sim.store.addLedger(sim.nowMs, {
    method: "alipay.marketing.campaign.cash.create",
    key: campaign.crowdNo,
    user: sim.cashierPayerId,
    amountFen: campaign.totalFen,
    kind: "FUNDING",
  });
  sim.store.touch();
  return { ok: true, campaign, alreadyPaid: false };
}

function triggerSuccessFields(
  sim: SimContext,
  campaign: Campaign,
  outBizNo: string,
  amountFen: number,
  bizNo: string,
  repeat: boolean,
) {
  return {
    trigger_result: "true",
    prize_amount: fenToYuan(amountFen),
    repeat_trigger_flag: repeat ? "true" : "false",
    partner_id: sim.partnerId,
    coupon_name: campaign.couponName,
    prize_msg: campaign.prizeMsg,
    merchant_logo: merchantLogoUrl(sim.publicUrl),
    biz_no: bizNo,
    out_biz_no: outBizNo,
  };
}

function notAwarded(outBizNo: string, errorMsg: string): ApiResult {
  return success({
    trigger_result: "false",
    repeat_trigger_flag: "false",
    error_msg: errorMsg,
    out_biz_no: outBizNo,
  });
}

function packetAmount(campaign: Campaign, remainingFen: number): number | null {
  const remainingCount = campaign.totalNum - campaign.sentCount;
  if (remainingFen <= 0 || remainingCount <= 0) return null;
  // The last packet takes exactly what is left, so a campaign's packets always add up to its budget.
  if (remainingCount === 1) return remainingFen;
  if (campaign.prizeType === "fixed") {
    const each = Math.floor(campaign.totalFen / campaign.totalNum);
    return each <= remainingFen ? each : null;
  }
  // Random: 0.5–1.5 × the average of what is left, leaving at least 1 fen for every packet still to come.
  const low = Math.max(1, Math.floor(remainingFen / (2 * remainingCount)));
  const high = Math.max(
    1,
    Math.min(Math.floor((3 * remainingFen) / (2 * remainingCount)), remainingFen - (remainingCount - 1)),
  );
  const from = Math.min(low, high);
  return from + Math.floor(nextRandom(campaign) * (high - from + 1));
}

export function triggerCampaign(call: ApiCall): ApiResult {
  const { biz, sim } = call;
  const crowdNo = biz.required("crowd_no", 128);
  const userId = biz.optional("user_id", 20) || undefined;
  const loginId = biz.optional("login_id", 150) || undefined;
  const openId = biz.optional("open_id", 128) || undefined;
  const explicitOutBizNo = biz.optional("out_biz_no", 96) || undefined;
  const orderPrice = biz.optional("order_price", 20) || undefined;

  if (explicitOutBizNo !== undefined && !/^\w+$/.test(explicitOutBizNo)) {
    return invalidParameter("out_biz_no 只能包含字母、数字和下划线 / out_biz_no: letters, digits and _ only");
  }
  // Precedence among several identities is undocumented (REFERENCE §7.9); user_id first, as the doc says.
  let userKey: string;
  let user: string;
  if (userId !== undefined) {
    if (!USER_ID_PATTERN.test(userId))
      return invalidParameter("user_id 应为 2088 开头的 16 位数字 / user_id must be 2088 + 12 digits");
    userKey = `user_id:${userId}`;
    user = userId;
  } else if (openId !== undefined) {
    userKey = `open_id:${openId}`;
    user = openId;
  } else if (loginId !== undefined) {
    userKey = `login_id:${loginId}`;
    user = loginId;
  } else {
    return invalidParameter(
      "user_id、login_id、open_id 不能同时为空 / one of user_id, login_id, open_id is required",
    );
  }

  const campaign = findCampaign(call, crowdNo);
  if (!campaign || campaign.status === "CREATED") return notExist();

  const outBizNo = explicitOutBizNo ?? DEFAULT_OUT_BIZ_NO;
  // Without an out_biz_no Alipay substitutes a fixed default, which makes the same user's second call a repeat.
  const triggerKey = explicitOutBizNo ?? `${DEFAULT_OUT_BIZ_NO}#${userKey}`;
  const earlier = campaign.triggers[triggerKey];
  if (earlier)
    return success(triggerSuccessFields(sim, campaign, outBizNo, earlier.amountFen, earlier.bizNo, true));

  let priceFen: number | null = null;
  if (orderPrice !== undefined) {
    if (!/^\d+$/.test(orderPrice))
      return businessError("isv.CASH_ORDER_PRICE_ILLEGAL", "系统异常（order_price 应为以分为单位的整数）");
    priceFen = Number(orderPrice) > 0 ? Number(orderPrice) : null;
  }

  const notReady: Partial<Record<CampaignStatus, string>> = {
    PAID: "现金活动未开始",
    PAUSE: "现金活动已暂停",
    CLOSED: "现金活动已结束",
    SETTLE: "现金活动已结束",
  };
  const notReadyMsg = notReady[campaign.status];
  if (notReadyMsg) return notAwarded(outBizNo, notReadyMsg);
  if (
    (userId !== undefined && !userIdExists(userId)) ||
    (userId === undefined && openId === undefined && !logonIdExists(user))
  ) {
    return notAwarded(outBizNo, "用户不存在");
  }

  const receipts = campaign.receipts[userKey] ?? [];
  if (receipts.length >= campaign.limits.lifetime) return notAwarded(outBizNo, "已超过活动参与次数限制");
  const period = campaign.limits.period;
  if (period) {
    const unit = period.unit === "D" ? "day" : period.unit === "W" ? "week" : "month";
    const current = beijingPeriodKeys(sim.nowMs)[unit];
    const inPeriod = receipts.filter((at) => beijingPeriodKeys(at)[unit] === current).length;
    if (inPeriod >= period.count) return notAwarded(outBizNo, "已超过活动周期内参与次数限制");
  }

  const remainingFen = campaign.totalFen - campaign.sendAmountFen;
  if (campaign.sentCount >= campaign.totalNum) {
    return remainingFen > 0
      ? businessError("CASH_CAMP_COUNT_INSUFFICIENT", "现金活动红包个数不足")
      : businessError("CASH_CAMP_BUDGET_INSUFFICIENT", "现金活动预算不足");
  }
  const amountFen = priceFen ?? packetAmount(campaign, remainingFen);
  if (amountFen === null || amountFen > remainingFen) {
    return businessError("CASH_CAMP_BUDGET_INSUFFICIENT", "现金活动预算不足");
  }

  const bizNo = sim.store.numericId(sim.nowMs, 28);
  const entry = sim.store.addLedger(sim.nowMs, {
    method: call.method,
    key: `${crowdNo}/${triggerKey}`,
    user,
    amountFen,
    kind: "CAMPAIGN_TRIGGER",
  });
  campaign.triggers[triggerKey] = { outBizNo, userKey, amountFen, bizNo, at: sim.nowMs, ledgerId: entry.id };
  campaign.receipts[userKey] = [...receipts, sim.nowMs];
  campaign.sendAmountFen += amountFen;
  campaign.sentCount += 1;
  sim.store.touch();
  return success(triggerSuccessFields(sim, campaign, outBizNo, amountFen, bizNo, false));
}

export function modifyCampaignStatus(call: ApiCall): ApiResult {
  const crowdNo = call.biz.required("crowd_no", 128);
  const target = call.biz.required("camp_status");
  const campaign = findCampaign(call, crowdNo);
  if (!campaign) return notExist();
  const known = ["CREATED", "PAID", "READY", "PAUSE", "CLOSED", "SETTLE", "SETTLED"];
  if (!known.includes(target))
    return invalidParameter("camp_status 只能是 READY 或 PAUSE / camp_status must be READY or PAUSE");
  // Alipay's FAQ: only PAUSE ⇄ READY between campaigns that are READY or PAUSE; CLOSED is not accepted.
  if (
    (target !== "READY" && target !== "PAUSE") ||
    (campaign.status !== "READY" && campaign.status !== "PAUSE")
  ) {
    return businessError("isv.CASH_CURRENT_STATE_CANNOT_MODIFY", "现金红包当前状态不允许修改");
  }
  campaign.status = target;
  call.sim.store.touch();
  return success({});
}

export function queryCampaignDetail(call: ApiCall): ApiResult {
  const crowdNo = call.biz.required("crowd_no", 128);
  const campaign = findCampaign(call, crowdNo);
  if (!campaign) return notExist();
  return success({
    crowd_no: campaign.crowdNo,
    coupon_name: campaign.couponName,
    prize_msg: campaign.prizeMsg,
    prize_type: campaign.prizeType,
    start_time: formatBeijing(campaign.startAt),
    end_time: formatBeijing(campaign.endAt),
    total_amount: fenToYuan(campaign.totalFen),
    send_amount: fenToYuan(campaign.sendAmountFen),
    // The two documented Number fields (total_num is deprecated but still sent).
    total_count: campaign.totalNum,
    total_num: campaign.totalNum,
    origin_crowd_no: campaign.originCrowdNo,
    // detail.query's model spells the settled state SETTLED; list.query spells it SETTLE (REFERENCE §2.1).
    camp_status: campaign.status === "SETTLE" ? "SETTLED" : campaign.status,
  });
}

export function listCampaigns(call: ApiCall): ApiResult {
  const { biz, sim } = call;
  const filter = biz.optional("camp_status") || "ALL";
  const pageSizeText = biz.required("page_size");
  const pageIndexText = biz.required("page_index");
  if (!/^[1-9]\d*$/.test(pageSizeText) || Number(pageSizeText) > 50) {
    return invalidParameter("page_size 必须是 1-50 的整数 / page_size must be 1–50");
  }
  if (!/^[1-9]\d*$/.test(pageIndexText))
    return invalidParameter("page_index 从 1 开始 / page_index starts at 1");
  const wanted = filter === "SETTLED" ? "SETTLE" : filter;
  if (!["ALL", "CREATED", "PAID", "READY", "PAUSE", "CLOSED", "SETTLE"].includes(wanted)) {
    return invalidParameter("camp_status 取值错误 / unknown camp_status");
  }
  const pageSize = Number(pageSizeText);
  const pageIndex = Number(pageIndexText);
  const mine = Object.values(sim.store.state.campaigns).filter((campaign) => campaign.appId === call.appId);
  for (const campaign of mine) advanceCampaign(sim, campaign);
  const matching = mine
    .filter((campaign) => wanted === "ALL" || campaign.status === wanted)
    .sort((a, b) => b.createdAt - a.createdAt || (a.originCrowdNo < b.originCrowdNo ? 1 : -1));
  const page = matching.slice((pageIndex - 1) * pageSize, pageIndex * pageSize);
  return success({
    camp_list: page.map((campaign) => ({
      crowd_no: campaign.crowdNo,
      origin_crowd_no: campaign.originCrowdNo,
      camp_status: campaign.status,
      coupon_name: campaign.couponName,
    })),
    page_index: String(pageIndex),
    page_size: String(pageSize),
    total_size: String(matching.length),
  });
}
