import "server-only";
import { AlipaySdk } from "alipay-sdk";
import type { z } from "zod";
import { classifyReply, classifyThrown } from "./classify";
import { normalizePrivateKey, normalizePublicKey, selfCheckPrivateKey, type KeyType } from "./keys";
import { RateLimiter } from "./rate-limiter";
import type { AlipayResult, CallMeta, UnknownReason } from "./result";
import { beijingTime } from "./time";

export type AlipayClientConfig = {
  appId: string;
  /** PEM or bare base64; normalised here. */
  privateKey: string;
  keyType: KeyType;
  /** Alipay's public key (key mode)… */
  alipayPublicKey?: string;
  /** …or the three certificates' PEM text (certificate mode). */
  certificates?: { appCert: string; alipayPublicCert: string; alipayRootCert: string };
  gateway: string;
  timeoutMs: number;
  maxQps: number;
  notifyUrl?: string;
  /** A limit shared with other processes (ALIPAY_MAX_QPS across all of them), awaited before every call. */
  sharedLimiter?: { acquire(): Promise<void> };
  /** Told once per call what happened (see AlipayCallLog); lib/alipay/index.ts writes it to the log. */
  log?: (call: AlipayCallLog) => void;
};

/**
 * What the client reports about each call: enough for an operator to see what it does and to quote a trace id
 * to Alipay, and nothing else — never biz_content, keys, signatures or the response.
 */
export type AlipayCallLog = {
  method: string;
  outcome: "ok" | "rejected" | "unknown";
  code: string | null;
  subCode: string | null;
  traceId: string | null;
  latencyMs: number;
  /** Why the outcome is unknown (timeout, network, invalid-response, …); only for `unknown`. */
  reason?: UnknownReason;
};

type WireObject = Record<string, unknown>;

function text(value: unknown): string | null {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
}

/**
 * The one gateway to Alipay. Every call: waits for a rate-limit slot, sends a Beijing-time timestamp, requires
 * a valid response signature (`validateSign: true`), validates the response with zod, and returns a
 * discriminated AlipayResult. It never throws for anything Alipay or the network does.
 */
export class AlipayClient {
  readonly sdk: AlipaySdk;
  readonly appId: string;
  readonly notifyUrl: string | undefined;
  private readonly limiter: RateLimiter;
  private readonly sharedLimiter: { acquire(): Promise<void> } | null;
  private readonly log: (call: AlipayCallLog) => void;

  constructor(config: AlipayClientConfig) {
    const privateKey = normalizePrivateKey(config.privateKey, config.keyType);
    selfCheckPrivateKey(privateKey);
    if (!config.alipayPublicKey && !config.certificates) {
      throw new Error(
        "ALIPAY_PUBLIC_KEY (or the three ALIPAY_*_CERT) is required: responses are always verified.",
      );
    }
    this.appId = config.appId;
    this.notifyUrl = config.notifyUrl;
    this.limiter = new RateLimiter(config.maxQps);
    this.sharedLimiter = config.sharedLimiter ?? null;
    this.log = config.log ?? (() => {});
    this.sdk = new AlipaySdk({
      appId: config.appId,
      privateKey,
      keyType: config.keyType,
      gateway: config.gateway,
      timeout: config.timeoutMs,
      camelcase: false, // keep Alipay's snake_case wire names; conversion to domain types happens in this folder
      ...(config.certificates
        ? {
            appCertContent: config.certificates.appCert,
            alipayPublicCertContent: config.certificates.alipayPublicCert,
            alipayRootCertContent: config.certificates.alipayRootCert,
          }
        : { alipayPublicKey: normalizePublicKey(config.alipayPublicKey ?? "") }),
    });
  }

  /**
   * Calls a v2 gateway method. `schema` describes the fields of `<method>_response` the caller relies on;
   * a reply that does not match it is `unknown` (never a crash).
   */
  async call<S extends z.ZodType>(
    method: string,
    bizContent: WireObject,
    schema: S,
    options: { notifyUrl?: string } = {},
  ): Promise<AlipayResult<z.output<S>>> {
    const result = await this.exchange(method, bizContent, schema, options);
    // Reported from the final result, so a reply that fails its schema is logged as the unknown it is.
    try {
      this.log({
        method,
        outcome: result.kind,
        code: result.meta.code,
        subCode: result.meta.subCode,
        traceId: result.meta.traceId,
        latencyMs: result.meta.latencyMs,
        ...(result.kind === "unknown" ? { reason: result.reason } : {}),
      });
    } catch {
      // The call has happened: a failing log must not turn its outcome into an exception.
    }
    return result;
  }

  private async exchange<S extends z.ZodType>(
    method: string,
    bizContent: WireObject,
    schema: S,
    options: { notifyUrl?: string },
  ): Promise<AlipayResult<z.output<S>>> {
    await this.limiter.acquire();
    await this.sharedLimiter?.acquire();
    const at = new Date();
    const started = performance.now();
    const meta = (reply: WireObject | null, traceId: string | null): CallMeta => ({
      method,
      at,
      latencyMs: Math.round(performance.now() - started),
      traceId,
      code: text(reply?.code),
      subCode: text(reply?.sub_code),
      subMsg: text(reply?.sub_msg),
      reply,
    });

    let reply: WireObject;
    try {
      const params: WireObject = { bizContent, timestamp: beijingTime(at) };
      const notifyUrl = options.notifyUrl ?? this.notifyUrl;
      if (notifyUrl) params.notifyUrl = notifyUrl;
      reply = (await this.sdk.exec(method, params, { validateSign: true })) as WireObject;
    } catch (error) {
      const reason = classifyThrown(error);
      const traceId = text((error as { traceId?: unknown }).traceId);
      return {
        kind: "unknown",
        reason,
        detail: (error as Error).message?.slice(0, 300) ?? "",
        meta: meta(null, traceId),
      };
    }

    const traceId = text(reply.traceId);
    const callMeta = meta(reply, traceId);
    const verdict = classifyReply({ code: callMeta.code, subCode: callMeta.subCode });
    if (verdict.kind === "unknown" || (verdict.kind === "rejected" && verdict.retryable))
      this.limiter.backOff();
    else this.limiter.recover();

    if (verdict.kind === "unknown") {
      return { kind: "unknown", reason: verdict.reason, detail: callMeta.subMsg ?? "", meta: callMeta };
    }
    if (verdict.kind === "rejected") {
      return {
        kind: "rejected",
        code: callMeta.code ?? "",
        subCode: callMeta.subCode ?? "",
        subMsg: callMeta.subMsg ?? "",
        retryable: verdict.retryable,
        meta: callMeta,
      };
    }
    const parsed = schema.safeParse(reply);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
      return {
        kind: "unknown",
        reason: "invalid-response",
        detail: `unexpected fields: ${fields}`,
        meta: callMeta,
      };
    }
    return { kind: "ok", data: parsed.data, meta: callMeta };
  }

  /** Page payment (PC cashier): the auto-submitting HTML form to show the payer. Nothing is sent from here. */
  pageForm(
    method: string,
    bizContent: WireObject,
    options: { returnUrl?: string; notifyUrl?: string },
  ): string {
    const params: WireObject = { bizContent, timestamp: beijingTime(new Date()) };
    if (options.returnUrl) params.returnUrl = options.returnUrl;
    const notifyUrl = options.notifyUrl ?? this.notifyUrl;
    if (notifyUrl) params.notifyUrl = notifyUrl;
    // The SDK's own POST form escapes only `"` in values, so a browser decodes an `&amp;` typed in a title and
    // posts text that no longer matches the signature. Signed by the SDK as a link, written out here with every
    // value HTML-escaped, all fields in the body (as Alipay's own PHP SDK posts them).
    const signed = new URL(this.sdk.pageExecute(method, "GET", params));
    const inputs = [...signed.searchParams]
      .map(
        ([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}" />`,
      )
      .join("");
    const action = `${signed.origin}${signed.pathname}?charset=utf-8`;
    return `<form action="${escapeHtml(action)}" method="post" accept-charset="utf-8">${inputs}</form>`;
  }

  /** App payment: the signed order string the Alipay client SDK needs. */
  orderString(method: string, bizContent: WireObject, options: { notifyUrl?: string } = {}): string {
    const params: WireObject = { bizContent, timestamp: beijingTime(new Date()) };
    const notifyUrl = options.notifyUrl ?? this.notifyUrl;
    if (notifyUrl) params.notifyUrl = notifyUrl;
    return this.sdk.sdkExecute(method, params);
  }
}

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll('"', "&quot;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll("'", "&#39;");
}
