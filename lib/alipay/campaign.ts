import "server-only";
import { z } from "zod";
import type { AlipayClient } from "./client";
import { fenToYuan, yuanToFen } from "./money";
import type { Recipient } from "./recipient";
import { mapOk, type AlipayResult } from "./result";
import { beijingTime, parseBeijingTime } from "./time";

/**
 * 营销活动送红包: alipay.marketing.campaign.cash.* (REFERENCE.md §2). Domain types in, domain types out:
 * fen integers, Date objects, enums; yuan strings and snake_case stay in this file.
 */

export const ALIPAY_CAMPAIGN_STATUSES = ["CREATED", "PAID", "READY", "PAUSE", "CLOSED", "SETTLED"] as const;
export type AlipayCampaignStatus = (typeof ALIPAY_CAMPAIGN_STATUSES)[number];

/** list.query says SETTLE, detail.query says SETTLED (REFERENCE §2.1): both mean settled. */
const campaignStatus = z
  .string()
  .transform((s) => (s === "SETTLE" ? "SETTLED" : s))
  .pipe(z.enum(ALIPAY_CAMPAIGN_STATUSES));

const yuan = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const fen = yuanToFen(v);
  if (fen === null) {
    ctx.addIssue({ code: "custom", message: "not a yuan amount" });
    return z.NEVER;
  }
  return fen;
});

const beijing = z.string().transform((v, ctx) => {
  const date = parseBeijingTime(v);
  if (!date) {
    ctx.addIssue({ code: "custom", message: "not a Beijing time" });
    return z.NEVER;
  }
  return date;
});

export type CashCampaignSpec = {
  couponName: string;
  prizeMsg: string;
  prizeType: "fixed" | "random";
  totalFen: number;
  count: number;
  /** "now" = Alipay's `NowTime`: starts as soon as the budget is paid. */
  start: Date | "now";
  end: Date;
  merchantLink?: string;
  /** `send_freqency`, e.g. "D3|L10"; omitted = Alipay's default L1. */
  sendFrequency?: string;
};

const createSchema = z.object({
  crowd_no: z.string().min(1),
  origin_crowd_no: z.string().optional(),
  pay_url: z.string().min(1),
});

export type CreatedCashCampaign = { crowdNo: string; originCrowdNo: string | null; payUrl: string };

export async function createCashCampaign(
  client: AlipayClient,
  spec: CashCampaignSpec,
): Promise<AlipayResult<CreatedCashCampaign>> {
  const bizContent: Record<string, unknown> = {
    coupon_name: spec.couponName,
    prize_type: spec.prizeType,
    total_money: fenToYuan(spec.totalFen),
    total_num: String(spec.count),
    prize_msg: spec.prizeMsg,
    start_time: spec.start === "now" ? "NowTime" : beijingTime(spec.start),
    end_time: beijingTime(spec.end),
  };
  if (spec.merchantLink) bizContent.merchant_link = spec.merchantLink;
  if (spec.sendFrequency) bizContent.send_freqency = spec.sendFrequency; // sic: Alipay's spelling
  const result = await client.call("alipay.marketing.campaign.cash.create", bizContent, createSchema);
  return mapOk(result, (data, meta) => ({
    kind: "ok",
    meta,
    data: {
      crowdNo: data.crowd_no,
      originCrowdNo: data.origin_crowd_no ?? null,
      // Returned URL-encoded (even "." and "_"); decoded here once.
      payUrl: safeDecode(data.pay_url),
    },
  }));
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const triggerSchema = z.object({
  trigger_result: z.enum(["true", "false"]),
  prize_amount: z.string().optional(),
  repeat_trigger_flag: z.enum(["true", "false"]).optional(),
  partner_id: z.string().optional(),
  biz_no: z.string().optional(),
  error_msg: z.string().optional(),
});

export type CampaignTrigger = {
  crowdNo: string;
  recipient: Recipient;
  /** Our idempotency key: unique per campaign, letters/digits/underscore, reused on every retry. */
  outBizNo: string;
  /** Fixed amount overriding the campaign's prize rule (order_price, sent in fen — REFERENCE §2.3). */
  orderPriceFen?: number;
};

export type TriggeredPacket = {
  amountFen: number;
  repeat: boolean;
  bizNo: string | null;
  partnerId: string | null;
};

/** Synthetic sub_code for "10000 but trigger_result=false": Alipay declined to award the packet. */
export const NOT_AWARDED = "TRIGGER_RESULT_FALSE";

export async function triggerCashCampaign(
  client: AlipayClient,
  trigger: CampaignTrigger,
): Promise<AlipayResult<TriggeredPacket>> {
  const bizContent: Record<string, unknown> = { crowd_no: trigger.crowdNo, out_biz_no: trigger.outBizNo };
  const idField = { USER_ID: "user_id", OPEN_ID: "open_id", LOGIN_ID: "login_id" }[
    trigger.recipient.identityType
  ];
  bizContent[idField] = trigger.recipient.identity;
  if (trigger.orderPriceFen !== undefined) bizContent.order_price = String(trigger.orderPriceFen);
  const result = await client.call("alipay.marketing.campaign.cash.trigger", bizContent, triggerSchema);
  return mapOk(result, (data, meta): AlipayResult<TriggeredPacket> => {
    if (data.trigger_result === "false") {
      // Both documented shapes of "not awarded": this one is 10000 + trigger_result=false + error_msg.
      return {
        kind: "rejected",
        code: "10000",
        subCode: NOT_AWARDED,
        subMsg: data.error_msg ?? "",
        retryable: false,
        meta: { ...meta, subCode: NOT_AWARDED, subMsg: data.error_msg ?? null },
      };
    }
    const amountFen = yuanToFen(data.prize_amount ?? "");
    if (amountFen === null) {
      return {
        kind: "unknown",
        reason: "invalid-response",
        detail: "trigger succeeded without a prize_amount",
        meta,
      };
    }
    return {
      kind: "ok",
      meta,
      data: {
        amountFen,
        // An earlier success replayed: not a second payment.
        repeat: data.repeat_trigger_flag === "true",
        bizNo: data.biz_no ?? null,
        partnerId: data.partner_id ?? null,
      },
    };
  });
}

const emptySchema = z.object({});

/** Only READY ⇄ PAUSE can be set through the API (REFERENCE §2.4). */
export async function setCashCampaignStatus(
  client: AlipayClient,
  crowdNo: string,
  status: "READY" | "PAUSE",
): Promise<AlipayResult<Record<string, never>>> {
  const result = await client.call(
    "alipay.marketing.campaign.cash.status.modify",
    { crowd_no: crowdNo, camp_status: status },
    emptySchema,
  );
  return mapOk(result, (_data, meta) => ({ kind: "ok", data: {}, meta }));
}

const listSchema = z.object({
  camp_list: z
    .array(
      z.object({
        crowd_no: z.string(),
        origin_crowd_no: z.string().optional(),
        camp_status: campaignStatus,
        coupon_name: z.string().optional(),
      }),
    )
    .optional(),
  total_size: z.union([z.string(), z.number()]).optional(),
});

export type CampaignListItem = {
  crowdNo: string;
  originCrowdNo: string | null;
  status: AlipayCampaignStatus;
  couponName: string | null;
};

export async function listCashCampaigns(
  client: AlipayClient,
  query: { status?: AlipayCampaignStatus | "ALL"; page: number; pageSize: number },
): Promise<AlipayResult<{ items: CampaignListItem[]; total: number }>> {
  const status = query.status === "SETTLED" ? "SETTLE" : (query.status ?? "ALL");
  const result = await client.call(
    "alipay.marketing.campaign.cash.list.query",
    { camp_status: status, page_size: String(Math.min(50, query.pageSize)), page_index: String(query.page) },
    listSchema,
  );
  return mapOk(result, (data, meta) => ({
    kind: "ok",
    meta,
    data: {
      total: Number(data.total_size ?? data.camp_list?.length ?? 0),
      items: (data.camp_list ?? []).map((c) => ({
        crowdNo: c.crowd_no,
        originCrowdNo: c.origin_crowd_no ?? null,
        status: c.camp_status,
        couponName: c.coupon_name ?? null,
      })),
    },
  }));
}

const detailSchema = z.object({
  crowd_no: z.string(),
  coupon_name: z.string().optional(),
  prize_msg: z.string().optional(),
  prize_type: z.string().optional(),
  start_time: beijing.optional(),
  end_time: beijing.optional(),
  total_amount: yuan,
  send_amount: yuan.optional(),
  total_count: z.union([z.number(), z.string()]).optional(),
  total_num: z.union([z.number(), z.string()]).optional(),
  origin_crowd_no: z.string().optional(),
  camp_status: campaignStatus,
});

export type CampaignDetail = {
  crowdNo: string;
  originCrowdNo: string | null;
  status: AlipayCampaignStatus;
  totalFen: number;
  /** What Alipay says it has sent so far (compare with our own spent figure). */
  sentFen: number;
  totalCount: number | null;
  start: Date | null;
  end: Date | null;
};

export async function getCashCampaignDetail(
  client: AlipayClient,
  crowdNo: string,
): Promise<AlipayResult<CampaignDetail>> {
  const result = await client.call(
    "alipay.marketing.campaign.cash.detail.query",
    { crowd_no: crowdNo },
    detailSchema,
  );
  return mapOk(result, (data, meta) => ({
    kind: "ok",
    meta,
    data: {
      crowdNo: data.crowd_no,
      originCrowdNo: data.origin_crowd_no ?? null,
      status: data.camp_status,
      totalFen: data.total_amount,
      sentFen: data.send_amount ?? 0,
      totalCount:
        data.total_count !== undefined
          ? Number(data.total_count)
          : data.total_num !== undefined
            ? Number(data.total_num)
            : null,
      start: data.start_time ?? null,
      end: data.end_time ?? null,
    },
  }));
}
