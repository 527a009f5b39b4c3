/**
 * The HTTP server: `/gateway.do` (the v2 protocol), the cashier pages, the simulated phone for app.pay, and the
 * JSON admin endpoints under `/__sim/`. Business state changes run synchronously between awaits, so concurrent
 * requests can never interleave inside one check-then-pay step (the property the console's race tests rely on).
 */
import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  advanceCampaigns,
  campaignCashierUrl,
  createCampaign,
  listCampaigns,
  modifyCampaignStatus,
  payCampaign,
  queryCampaignDetail,
  triggerCampaign,
} from "./campaigns";
import { cashierPage, MERCHANT_LOGO_SVG, messagePage } from "./cashier";
import type { ApiCall, ApiHandler, SimContext } from "./context";
import { FaultConfigError, FaultEngine, type FaultConfig, type FaultDecision } from "./faults";
import {
  advanceFundOrders,
  agreementPay,
  appPay,
  disburse,
  operationQuery,
  payFundOrderAtCashier,
  preparePagePay,
  refund,
  returnUrlFor,
} from "./fund-coupon";
import { fenToYuan } from "./money";
import { DEFAULT_NOTIFY_RETRY_DELAYS_MS, Notifier } from "./notify";
import {
  Biz,
  CODE,
  envelope,
  innerOf,
  parseFormInto,
  RequestProblem,
  requestSignContent,
  responseKeyFor,
  rsa2Sign,
  rsa2Verify,
  type ApiResult,
  type Inner,
  type Params,
} from "./protocol";
import { Store, type LedgerEntry } from "./store";
import { commonQuery, uniTransfer } from "./transfers";
import { formatBeijing, MINUTE_MS, parseBeijing } from "./time";

export type SimulatorOptions = {
  /** 0 = free port (default 4010). */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Apps allowed to call: app_id → the app's RSA public key (PEM SPKI). Requests are verified against it. */
  apps: Array<{ appId: string; publicKey: string }>;
  /** The simulator's own "Alipay" RSA-2048 private key (PEM PKCS#8); it signs responses and notifications. */
  alipayPrivateKey: string;
  /** Base URL people's browsers use for cashier pages (default `http://<host>:<port>`). */
  publicUrl?: string;
  /** Where `alipay.fund.trans.order.changed` messages are POSTed (the app's 应用网关), if set. */
  appGatewayUrl?: string;
  /** Optional JSON file: state survives restarts (demo). Omit for in-memory (tests). */
  stateFile?: string;
  /** Initial fault configuration (see faults). */
  faults?: FaultConfig;
  /** Simulated merchant balance in fen for transfers and agreement pay (default 100_000_000 = ¥1,000,000). */
  merchantBalanceFen?: number;
  /** Clock (default real time); tests may pass a controllable one. */
  now?: () => Date;
  log?: (line: string) => void;
  /**
   * Delays between notification redeliveries (ms); one more attempt than entries. Default 1s, 2s, 5s, 10s, 30s,
   * 60s, 120s — Alipay's real schedule (minutes to hours) compressed for development.
   */
  notifyRetryDelaysMs?: number[];
  /**
   * Allowed distance between a request's `timestamp` and the simulator's Beijing-time clock (default 15 minutes).
   * Alipay's real tolerance is undocumented (REFERENCE §7.6); 15 minutes catches a client that sends UTC.
   */
  timestampToleranceMs?: number;
};

export type Simulator = {
  /** http://127.0.0.1:PORT */
  url: string;
  /** `${url}/gateway.do` */
  gatewayUrl: string;
  stop(): Promise<void>;
  /** Forget all state (campaigns, orders, transfers, ledger, notifications, balance, clock offset); keep keys, apps and faults. */
  reset(): void;
  setFaults(f: FaultConfig): void;
  ledger(): LedgerEntry[];
  /** Advance the simulator's clock (for campaign start/end/settle and order expiry). */
  advanceTime(ms: number): void;
};

const PAGE_PAY = "alipay.fund.coupon.order.page.pay";
const APP_PAY = "alipay.fund.coupon.order.app.pay";
const HANDLERS: Record<string, ApiHandler> = {
  "alipay.marketing.campaign.cash.create": createCampaign,
  "alipay.marketing.campaign.cash.trigger": triggerCampaign,
  "alipay.marketing.campaign.cash.status.modify": modifyCampaignStatus,
  "alipay.marketing.campaign.cash.detail.query": queryCampaignDetail,
  "alipay.marketing.campaign.cash.list.query": listCampaigns,
  "alipay.fund.coupon.order.agreement.pay": agreementPay,
  "alipay.fund.coupon.order.disburse": disburse,
  "alipay.fund.coupon.order.refund": refund,
  "alipay.fund.coupon.operation.query": operationQuery,
  "alipay.fund.trans.uni.transfer": uniTransfer,
  "alipay.fund.trans.common.query": commonQuery,
};
const KNOWN_METHODS = new Set([...Object.keys(HANDLERS), PAGE_PAY, APP_PAY]);

/** The one simulated merchant behind every configured app, and the person who pays cashier pages. */
export const PARTNER_ID = "2088101000000001";
const CASHIER_PAYER_ID = "2088102000000002";
const MAX_BODY_BYTES = 1024 * 1024;

type Rejection = { ok: false; responseKey: string; inner: Inner; signed: boolean };
type Verified = { ok: true; appId: string; method: string; params: Params; biz: Biz };

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function toPem(key: string, label: "PUBLIC KEY"): string {
  const trimmed = key.trim();
  if (trimmed.includes("-----BEGIN")) return trimmed;
  // Alipay's console hands out bare base64; accept it like alipay-sdk's formatKey does.
  return `-----BEGIN ${label}-----\n${trimmed.replace(/\s+/g, "")}\n-----END ${label}-----`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, "request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, data: unknown): void {
  const body = JSON.stringify(data, null, 2);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
  });
  res.end(html);
}

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(302, { location, "content-length": 0 });
  res.end();
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "body must be JSON");
  }
}

function runHandler(handler: ApiHandler, call: ApiCall): ApiResult {
  try {
    return handler(call);
  } catch (error) {
    if (error instanceof RequestProblem) return error.result;
    throw error;
  }
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const log = options.log ?? (() => {});
  const host = options.host ?? "127.0.0.1";
  const baseNow = options.now ?? (() => new Date());
  const tolerance = options.timestampToleranceMs ?? 15 * MINUTE_MS;

  const alipayKey = createPrivateKey(options.alipayPrivateKey);
  if (alipayKey.asymmetricKeyType !== "rsa" || (alipayKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    // alipay-sdk's response-signature extraction only works with signatures at least as long as RSA-2048's.
    throw new Error("alipayPrivateKey must be an RSA key of at least 2048 bits");
  }
  const apps = new Map<string, KeyObject>();
  for (const app of options.apps) {
    try {
      apps.set(app.appId, createPublicKey(toPem(app.publicKey, "PUBLIC KEY")));
    } catch (error) {
      throw new Error(
        `apps[${app.appId}].publicKey is not a usable RSA public key: ${(error as Error).message}`,
      );
    }
  }

  const store = new Store(options.merchantBalanceFen ?? 100_000_000, options.stateFile, log);
  const notifier = new Notifier(store, options.notifyRetryDelaysMs ?? DEFAULT_NOTIFY_RETRY_DELAYS_MS, log);
  const faults = new FaultEngine(options.faults);
  let publicUrl = options.publicUrl ?? "";
  let stopped = false;
  const pendingSleeps = new Set<() => void>();

  const simNow = () => baseNow().getTime() + store.state.clockOffsetMs;
  const context = (): SimContext => ({
    store,
    nowMs: simNow(),
    publicUrl,
    partnerId: PARTNER_ID,
    cashierPayerId: CASHIER_PAYER_ID,
    alipayKey,
    notifier,
    appGatewayUrl: options.appGatewayUrl,
  });
  const tick = () => {
    const sim = context();
    advanceCampaigns(sim);
    advanceFundOrders(sim);
    store.flush();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || stopped) return resolve();
      const done = () => {
        clearTimeout(timer);
        pendingSleeps.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pendingSleeps.add(done);
    });
  const sign = (text: string) => rsa2Sign(text, alipayKey);

  /** §1.11 steps 1–5: everything the gateway checks before any business rule runs. */
  function verifyRequest(params: Params): Verified | Rejection {
    const method = params.method ?? "";
    const reject = (
      kind: { code: string; msg: string },
      subCode: string,
      subMsg: string,
      signed: boolean,
      responseKey = method ? responseKeyFor(method) : "error_response",
    ): Rejection => ({
      ok: false,
      responseKey,
      inner: { code: kind.code, msg: kind.msg, sub_code: subCode, sub_msg: subMsg },
      signed,
    });
    const appId = params.app_id ?? "";
    // Before the app is known there is no key relationship, so these answers carry no signature (§1.7).
    if (!appId) return reject(CODE.missing, "isv.missing-app-id", "缺少AppID参数", false, "error_response");
    const appKey = apps.get(appId);
    if (!appKey)
      return reject(CODE.invalid, "isv.invalid-app-id", "无效的AppID参数", false, "error_response");
    if (!method) return reject(CODE.missing, "isv.missing-method", "缺少方法名参数", true, "error_response");
    if (!KNOWN_METHODS.has(method)) return reject(CODE.invalid, "isv.invalid-method", "不存在的方法名", true);
    if (!params.sign_type)
      return reject(CODE.missing, "isv.missing-signature-type", "缺少签名类型参数", true);
    if (!params.sign) return reject(CODE.missing, "isv.missing-signature", "缺少签名参数", true);
    if (!params.timestamp) return reject(CODE.missing, "isv.missing-timestamp", "缺少时间戳参数", true);
    if (!params.version) return reject(CODE.missing, "isv.missing-version", "缺少版本参数", true);
    // isv.missing-charset is not in Alipay's published list (the real gateway may default the charset): invented.
    if (!params.charset) return reject(CODE.missing, "isv.missing-charset", "缺少编码参数", true);
    if (params.charset.toLowerCase() !== "utf-8") {
      return reject(
        CODE.invalid,
        "isv.invalid-charset",
        "模拟器只支持 utf-8 / only utf-8 is supported",
        true,
      );
    }
    const stamp = parseBeijing(params.timestamp);
    if (stamp === null) {
      return reject(CODE.invalid, "isv.invalid-timestamp", "时间戳格式应为 yyyy-MM-dd HH:mm:ss", true);
    }
    // The real tolerance is undocumented (REFERENCE §7.6). Compared with the un-advanced clock: advanceTime moves
    // business time, while clients keep stamping their wall clock.
    const gatewayNow = baseNow().getTime();
    if (Math.abs(stamp - gatewayNow) > tolerance) {
      return reject(
        CODE.invalid,
        "isv.invalid-timestamp",
        `时间戳与网关时间（北京时间 ${formatBeijing(gatewayNow)}）相差超过 ${Math.round(tolerance / MINUTE_MS)} 分钟；timestamp 必须是北京时间 (UTC+8)`,
        true,
      );
    }
    // Real Alipay also accepts the legacy RSA (SHA1); the simulator insists on RSA2 as the console must.
    if (params.sign_type !== "RSA2") {
      return reject(
        CODE.invalid,
        "isv.invalid-signature-type",
        "模拟器只接受 RSA2 签名 / only RSA2 is accepted",
        true,
      );
    }
    // What alipay-sdk signs (empty values kept) first; the documented rule (empty values dropped) as a fallback so
    // hand-written clients following the Java SDK verify too.
    const content = requestSignContent(params, false);
    const valid =
      rsa2Verify(content, params.sign, appKey) ||
      (Object.values(params).includes("") &&
        rsa2Verify(requestSignContent(params, true), params.sign, appKey));
    if (!valid) {
      return reject(
        CODE.invalid,
        "isv.invalid-signature",
        `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${content}`,
        true,
      );
    }
    const bizText = params.biz_content;
    if (bizText === undefined || bizText === "") {
      return reject(CODE.invalid, "isv.invalid-parameter", "biz_content 不能为空", true);
    }
    let biz: unknown;
    try {
      biz = JSON.parse(bizText);
    } catch {
      // 3P notes mention isv.illegal-json for this; unconfirmed, so the generic parameter error is used.
      return reject(CODE.invalid, "isv.invalid-parameter", "biz_content 不是合法的 JSON", true);
    }
    if (typeof biz !== "object" || biz === null || Array.isArray(biz)) {
      return reject(CODE.invalid, "isv.invalid-parameter", "biz_content 必须是 JSON 对象", true);
    }
    return { ok: true, appId, method, params, biz: new Biz(biz as Record<string, unknown>) };
  }

  function writeEnvelope(res: http.ServerResponse, traceId: string, body: string): void {
    // Alipay answers 200 with a JSON body labelled text/html (§1.3).
    res.writeHead(200, {
      "content-type": "text/html;charset=utf-8",
      trace_id: traceId,
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  }

  function describe(inner: Inner): string {
    return inner.sub_code ? `${String(inner.code)} ${String(inner.sub_code)}` : String(inner.code);
  }

  async function handleGateway(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string) {
    const params: Params = {};
    parseFormInto(params, url.search.slice(1));
    if (body) parseFormInto(params, body);
    const traceId = randomBytes(15).toString("hex");
    tick();
    if (params.method === PAGE_PAY) return handlePagePay(res, params);

    const verdict = verifyRequest(params);
    if (!verdict.ok) {
      log(`[alipay-sim] ${params.method ?? "-"} → ${describe(verdict.inner)}`);
      return writeEnvelope(
        res,
        traceId,
        envelope(verdict.responseKey, verdict.inner, verdict.signed ? sign : undefined),
      );
    }
    const responseKey = responseKeyFor(verdict.method);
    if (verdict.method === APP_PAY) {
      const inner = innerOf({
        ok: false,
        ...CODE.invalid,
        subCode: "isv.invalid-parameter",
        subMsg: "app.pay 订单串由支付宝客户端提交；模拟器中请 POST 到 /__sim/client/app-pay",
      });
      return writeEnvelope(res, traceId, envelope(responseKey, inner, sign));
    }

    const decision: FaultDecision = faults.decide(verdict.method);
    const faultNote = (what: string) => log(`[alipay-sim] ${verdict.method} ⚡ ${what}`);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (stopped) return res.destroy();
    if (decision.rateLimited) {
      faultNote("rate limited");
      const inner = {
        ...CODE.limited,
        sub_code: "isv.app-call-limited",
        sub_msg: "应用调用次数超限 / call limited",
      };
      return writeEnvelope(res, traceId, envelope(responseKey, inner, sign));
    }
    if (decision.http500) {
      faultNote("HTTP 500 (not processed)");
      return sendHtml(res, 500, "<html><body><h1>500 Internal Server Error</h1></body></html>");
    }
    if (decision.unknown) {
      faultNote("20000 aop.unknow-error (not processed)");
      const inner = { ...CODE.unknown, sub_code: "aop.unknow-error", sub_msg: "系统繁忙" };
      return writeEnvelope(res, traceId, envelope(responseKey, inner, sign));
    }
    if (decision.dropBeforeProcessing) {
      faultNote("connection dropped (not processed)");
      return req.socket.destroy();
    }

    const result = runHandler(HANDLERS[verdict.method] as ApiHandler, { sim: context(), ...verdict });
    store.flush();
    const inner = innerOf(result);
    log(
      `[alipay-sim] ${verdict.method} → ${describe(inner)}${req.headers["x-urllib-retry-on-socket-error"] === "1/1" ? " (urllib retry)" : ""}`,
    );
    const signer = decision.badSignature
      ? (text: string) => {
          faultNote("bad signature");
          // A genuine 344-character signature over different text: well-formed, and wrong.
          return sign(`${text} `);
        }
      : sign;
    const response = envelope(responseKey, inner, signer);
    if (decision.timeoutDelayMs !== null) {
      faultNote(`answer held back ${decision.timeoutDelayMs} ms (processed)`);
      await sleep(decision.timeoutDelayMs);
      if (stopped) return req.socket.destroy();
    }
    if (decision.dropAfterProcessing) {
      faultNote("connection dropped (processed)");
      return req.socket.destroy();
    }
    writeEnvelope(res, traceId, response);
  }

  function handlePagePay(res: http.ServerResponse, params: Params) {
    const verdict = verifyRequest(params);
    if (!verdict.ok) {
      log(`[alipay-sim] ${PAGE_PAY} → ${describe(verdict.inner)}`);
      return sendHtml(
        res,
        400,
        messagePage(
          "支付请求错误 / Payment request rejected",
          `${String(verdict.inner.code)} ${String(verdict.inner.sub_code)}: ${String(verdict.inner.sub_msg)}`,
          { alert: true },
        ),
      );
    }
    let prepared: ReturnType<typeof preparePagePay>;
    try {
      prepared = preparePagePay({ sim: context(), ...verdict });
    } catch (error) {
      if (!(error instanceof RequestProblem)) throw error;
      prepared = { ok: false, result: error.result };
    }
    store.flush();
    if (!prepared.ok) {
      const inner = innerOf(prepared.result);
      return sendHtml(
        res,
        400,
        messagePage(
          "支付请求错误 / Payment request rejected",
          `${String(inner.code)} ${String(inner.sub_code)}: ${String(inner.sub_msg)}`,
          { alert: true },
        ),
      );
    }
    log(`[alipay-sim] ${PAGE_PAY} → cashier for ${prepared.order.authNo}`);
    redirect(res, `${publicUrl}/cashier/fund-coupon?authNo=${encodeURIComponent(prepared.order.authNo)}`);
  }

  function handleCampaignCashier(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const crowdNo = url.searchParams.get("crowdNo") ?? "";
    const sim = context();
    const campaign = store.state.campaigns[crowdNo];
    if (!campaign)
      return sendHtml(
        res,
        404,
        messagePage("活动不存在 / Campaign not found", "请检查付款链接。/ Check the payment link.", {
          alert: true,
        }),
      );
    if (req.method === "POST") {
      const outcome = payCampaign(sim, crowdNo);
      store.flush();
      if (!outcome.ok)
        return sendHtml(
          res,
          outcome.httpStatus,
          messagePage("无法付款 / Cannot pay", outcome.message, { alert: true }),
        );
      log(`[alipay-sim] campaign ${crowdNo} ${outcome.alreadyPaid ? "already paid" : "paid"} at the cashier`);
      if (campaign.merchantLink) {
        const target = new URL(campaign.merchantLink);
        target.searchParams.set("crowdNo", crowdNo);
        return redirect(res, target.toString());
      }
      return sendHtml(
        res,
        200,
        messagePage(
          "付款成功 / Payment successful",
          `已为“${campaign.couponName}”支付 ¥${fenToYuan(campaign.totalFen)}。/ The campaign budget is paid.`,
        ),
      );
    }
    if (campaign.status !== "CREATED") {
      return sendHtml(
        res,
        200,
        messagePage(
          "已付款 / Already paid",
          `“${campaign.couponName}”的预算已支付。/ This campaign's budget has been paid.`,
          { link: campaign.merchantLink ?? undefined },
        ),
      );
    }
    if (sim.nowMs > campaign.payUrlExpiresAt) {
      return sendHtml(
        res,
        410,
        messagePage(
          "付款链接已过期 / Payment link expired",
          "付款链接有效期为 24 小时，请重新创建活动。/ Payment links are valid for 24 hours; create the campaign again.",
          { alert: true },
        ),
      );
    }
    return sendHtml(
      res,
      200,
      cashierPage({
        heading: "支付宝收银台 · 现金红包活动 / Alipay cashier · cash campaign",
        subject: campaign.couponName,
        details: [
          ["活动 Campaign", campaign.couponName],
          ["红包个数 Packets", String(campaign.totalNum)],
          ["类型 Type", campaign.prizeType === "fixed" ? "固定金额 fixed" : "随机金额 random"],
          ["结束 Ends", `${formatBeijing(campaign.endAt)} (北京时间)`],
        ],
        amountFen: campaign.totalFen,
        action: `/cashier/campaign?crowdNo=${encodeURIComponent(crowdNo)}`,
      }),
    );
  }

  function handleFundCashier(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const authNo = url.searchParams.get("authNo") ?? "";
    const sim = context();
    const order = store.state.fundOrders[authNo];
    if (!order || order.kind !== "PAGE")
      return sendHtml(
        res,
        404,
        messagePage(
          "订单不存在 / Order not found",
          "请返回商户重新发起付款。/ Start the payment again from the merchant.",
          { alert: true },
        ),
      );
    if (req.method === "POST") {
      const outcome = payFundOrderAtCashier(sim, authNo);
      store.flush();
      if (!outcome.ok)
        return sendHtml(
          res,
          outcome.httpStatus,
          messagePage("无法付款 / Cannot pay", outcome.message, { alert: true }),
        );
      log(
        `[alipay-sim] fund order ${authNo} ${outcome.alreadyPaid ? "already paid" : "paid"} at the cashier`,
      );
      const back = returnUrlFor(context(), outcome.order);
      if (back) return redirect(res, back);
      return sendHtml(
        res,
        200,
        messagePage("付款成功 / Payment successful", `已支付 ¥${fenToYuan(order.amountFen)}。/ Paid.`),
      );
    }
    if (order.status === "SUCCESS") {
      return sendHtml(
        res,
        200,
        messagePage("已付款 / Already paid", "该红包订单已支付。/ This order has been paid.", {
          link: returnUrlFor(sim, order) ?? undefined,
        }),
      );
    }
    if (order.status === "CLOSED") {
      return sendHtml(
        res,
        410,
        messagePage(
          "订单已关闭 / Order closed",
          "超过支付时限（pay_timeout）。/ The payment window has passed.",
          { alert: true },
        ),
      );
    }
    return sendHtml(
      res,
      200,
      cashierPage({
        heading: "支付宝收银台 · 现金红包 / Alipay cashier · red packet",
        subject: order.orderTitle,
        details: [
          ["订单 Order", order.outOrderNo],
          ["名称 Title", order.orderTitle],
        ],
        amountFen: order.amountFen,
        action: `/cashier/fund-coupon?authNo=${encodeURIComponent(authNo)}`,
      }),
    );
  }

  /** The simulated Alipay app: takes an app.pay order string, verifies it and pays, answering like the client SDK. */
  function handleAppPay(res: http.ServerResponse, body: string) {
    const params: Params = {};
    parseFormInto(params, body.trim());
    const verdict = verifyRequest(params);
    const key = responseKeyFor(APP_PAY);
    if (!verdict.ok || verdict.method !== APP_PAY) {
      const inner = verdict.ok
        ? {
            ...CODE.invalid,
            sub_code: "isv.invalid-method",
            sub_msg: `order string is for ${verdict.method}, not ${APP_PAY}`,
          }
        : verdict.inner;
      return sendJson(res, 200, {
        resultStatus: "4000",
        memo: String(inner.sub_msg),
        result: envelope(key, inner, sign),
      });
    }
    const result = runHandler(appPay, { sim: context(), ...verdict });
    store.flush();
    const inner = innerOf(result);
    log(`[alipay-sim] ${APP_PAY} (client) → ${describe(inner)}`);
    // 9000 = paid, 4000 = failed, as the Alipay client SDK reports.
    sendJson(res, 200, {
      resultStatus: result.ok ? "9000" : "4000",
      memo: result.ok ? "" : String(inner.sub_msg),
      result: envelope(key, inner, sign),
    });
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string) {
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (path === "/__sim/health" && method === "GET") {
      return sendJson(res, 200, {
        ok: true,
        now: new Date(simNow()).toISOString(),
        beijingTime: formatBeijing(simNow()),
        clockOffsetMs: store.state.clockOffsetMs,
        apps: [...apps.keys()],
        partnerId: PARTNER_ID,
        gatewayUrl: `${publicUrl}/gateway.do`,
      });
    }
    if (path === "/__sim/ledger" && method === "GET") return sendJson(res, 200, store.state.ledger);
    if (path === "/__sim/notifications" && method === "GET") return sendJson(res, 200, store.state.outbox);
    if (path === "/__sim/reset" && method === "POST") {
      simulator.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (path === "/__sim/faults") {
      if (method === "GET") return sendJson(res, 200, faults.get());
      if (method === "POST") {
        try {
          faults.set(parseJson(body) as FaultConfig);
        } catch (error) {
          if (error instanceof FaultConfigError) throw new HttpError(400, error.message);
          throw error;
        }
        log(`[alipay-sim] faults set: ${JSON.stringify(faults.get())}`);
        return sendJson(res, 200, faults.get());
      }
    }
    if (path === "/__sim/time" && method === "POST") {
      const { advanceMs } = parseJson(body) as { advanceMs?: unknown };
      if (typeof advanceMs !== "number" || !Number.isFinite(advanceMs) || advanceMs < 0) {
        throw new HttpError(400, "advanceMs must be a number ≥ 0");
      }
      simulator.advanceTime(advanceMs);
      return sendJson(res, 200, {
        now: new Date(simNow()).toISOString(),
        beijingTime: formatBeijing(simNow()),
        clockOffsetMs: store.state.clockOffsetMs,
      });
    }
    if (path === "/__sim/balance") {
      if (method === "GET") return sendJson(res, 200, { fen: store.state.balanceFen });
      if (method === "POST") {
        const { fen } = parseJson(body) as { fen?: unknown };
        if (typeof fen !== "number" || !Number.isSafeInteger(fen) || fen < 0)
          throw new HttpError(400, "fen must be an integer ≥ 0");
        store.state.balanceFen = fen;
        store.touch();
        store.flush();
        return sendJson(res, 200, { fen });
      }
    }
    if (path === "/__sim/client/app-pay" && method === "POST") return handleAppPay(res, body);
    if (path === "/__sim/campaigns" && method === "GET") {
      // Every campaign, newest first: lets tests prove a campaign was created exactly once.
      const campaigns = Object.values(store.state.campaigns).sort((a, b) => b.createdAt - a.createdAt);
      return sendJson(res, 200, campaigns);
    }
    const campaignRoute = /^\/__sim\/campaigns\/([^/]+)(?:\/(pay|send-amount))?$/.exec(path);
    if (campaignRoute) {
      const crowdNo = decodeURIComponent(campaignRoute[1] ?? "");
      const action = campaignRoute[2];
      const campaign = store.state.campaigns[crowdNo];
      if (!campaign) throw new HttpError(404, "unknown campaign");
      if (!action && method === "GET") {
        return sendJson(res, 200, {
          ...campaign,
          remainingFen: campaign.totalFen - campaign.sendAmountFen,
          payUrl: campaignCashierUrl(publicUrl, crowdNo),
        });
      }
      if (action === "pay" && method === "POST") {
        const outcome = payCampaign(context(), crowdNo);
        store.flush();
        if (!outcome.ok) throw new HttpError(outcome.httpStatus, outcome.message);
        return sendJson(res, 200, { ...outcome.campaign, alreadyPaid: outcome.alreadyPaid });
      }
      if (action === "send-amount" && method === "POST") {
        const { sendAmountFen } = parseJson(body) as { sendAmountFen?: unknown };
        if (typeof sendAmountFen !== "number" || !Number.isSafeInteger(sendAmountFen) || sendAmountFen < 0) {
          throw new HttpError(400, "sendAmountFen must be an integer ≥ 0");
        }
        campaign.sendAmountFen = sendAmountFen;
        store.touch();
        store.flush();
        return sendJson(res, 200, campaign);
      }
    }
    throw new HttpError(404, `no such endpoint: ${method} ${path}`);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://simulator.invalid");
    const body = await readBody(req);
    const method = req.method ?? "GET";
    if (url.pathname === "/gateway.do") {
      if (method !== "POST" && method !== "GET") throw new HttpError(405, "use POST (or GET for page.pay)");
      return handleGateway(req, res, url, body);
    }
    tick();
    if (url.pathname === "/cashier/campaign" && (method === "GET" || method === "POST"))
      return handleCampaignCashier(req, res, url);
    if (url.pathname === "/cashier/fund-coupon" && (method === "GET" || method === "POST"))
      return handleFundCashier(req, res, url);
    if (url.pathname === "/assets/merchant-logo.svg" && method === "GET") {
      res.writeHead(200, { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" });
      return res.end(MERCHANT_LOGO_SVG);
    }
    if (url.pathname === "/" && method === "GET") {
      return sendJson(res, 200, {
        name: "Hongbao Console — local Alipay gateway simulator (loopback/dev only)",
        gateway: `${publicUrl}/gateway.do`,
        docs: "docs/alipay-simulator.md",
      });
    }
    if (url.pathname.startsWith("/__sim/")) return handleAdmin(req, res, url, body);
    throw new HttpError(404, `no such endpoint: ${method} ${url.pathname}`);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) log(`[alipay-sim] internal error: ${(error as Error).stack ?? String(error)}`);
      if (res.headersSent || res.destroyed) return res.destroy();
      sendJson(res, status, { error: (error as Error).message });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4010, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost}:${address.port}`;
  if (!publicUrl) publicUrl = url;
  publicUrl = publicUrl.replace(/\/+$/, "");

  notifier.resumePending();
  const ticker = setInterval(tick, 1000);
  ticker.unref();
  log(`[alipay-sim] listening on ${url} (gateway ${url}/gateway.do, apps: ${[...apps.keys()].join(", ")})`);

  const simulator: Simulator = {
    url,
    gatewayUrl: `${url}/gateway.do`,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(ticker);
      notifier.shutdown();
      for (const release of [...pendingSleeps]) release();
      store.flush();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    reset() {
      notifier.cancelAll();
      store.reset();
      store.flush();
      log("[alipay-sim] state reset");
    },
    setFaults(config: FaultConfig) {
      faults.set(config);
    },
    ledger() {
      return structuredClone(store.state.ledger);
    },
    advanceTime(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError("advanceTime(ms) needs a finite ms ≥ 0");
      store.state.clockOffsetMs += ms;
      store.touch();
      tick();
    },
  };
  return simulator;
}
