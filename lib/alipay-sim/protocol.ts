/**
 * The v2 gateway wire format (REFERENCE.md §1.3–§1.9): form parsing, the request string-to-sign, RSA2 in both
 * directions, the `{"<method>_response":…,"sign":…}` envelope, and signed notification forms.
 */
import { createSign, createVerify, type KeyObject } from "node:crypto";

export type Params = Record<string, string>;

/** Form-urlencoded semantics (`+` → space), as the SDK's URLSearchParams encoding requires. Later keys win. */
export function parseFormInto(target: Params, text: string): Params {
  for (const [key, value] of new URLSearchParams(text)) target[key] = value;
  return target;
}

export function sortedJoin(entries: Array<[string, string]>): string {
  return entries
    .slice()
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
}

/**
 * The string a request's `sign` covers: every parameter except `sign` (`sign_type` stays in), sorted, raw values.
 * `dropEmpty` selects the documented gateway rule (empty values left out, as the Java SDK signs); without it the
 * string is what alipay-sdk signs, which keeps empty values.
 */
export function requestSignContent(params: Params, dropEmpty: boolean): string {
  return sortedJoin(
    Object.entries(params).filter(([key, value]) => key !== "sign" && !(dropEmpty && value === "")),
  );
}

export function rsa2Sign(content: string, privateKey: KeyObject): string {
  return createSign("RSA-SHA256").update(content, "utf8").sign(privateKey, "base64");
}

export function rsa2Verify(content: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return createVerify("RSA-SHA256").update(content, "utf8").verify(publicKey, signature, "base64");
  } catch {
    // Malformed input (not base64, wrong length) is just a failed verification, never a crash of the gateway.
    return false;
  }
}

export function responseKeyFor(method: string): string {
  return `${method.replaceAll(".", "_")}_response`;
}

/** An inner response object; values are JSON strings except the few documented Number fields. */
export type Inner = Record<string, unknown>;

/**
 * Serialises the inner object once and signs exactly that text, then appends `sign` LAST: alipay-sdk's getSignStr
 * cuts the body around the final `"sign"` and needs a real 344-character signature after the object (§1.7).
 * JSON.stringify does not escape `/`, matching what the SDK verifies byte for byte.
 */
export function envelope(responseKey: string, inner: Inner, sign?: (text: string) => string): string {
  const innerJson = JSON.stringify(inner);
  const head = `{${JSON.stringify(responseKey)}:${innerJson}`;
  if (!sign) return `${head}}`;
  return `${head},"sign":${JSON.stringify(sign(innerJson))}}`;
}

/**
 * Signs a notification form. Gateway messages (`msg_method`, 应用网关) are verified like Java's rsaCheckV2, which
 * keeps `sign_type`; classic notify_url notifications follow rsaCheckV1, which drops it. alipay-sdk's
 * checkNotifySignV2 tries both, so either verifies there. Empty values are never emitted because the SDK keeps
 * them in its string while Java drops them.
 */
export function signNotification(
  fields: Record<string, string | undefined | null>,
  privateKey: KeyObject,
  keepSignType: boolean,
): Params {
  const clean: Params = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null && value !== "") clean[key] = value;
  }
  const content = sortedJoin(
    Object.entries(clean).filter(([key]) => key !== "sign" && (keepSignType || key !== "sign_type")),
  );
  return { ...clean, sign: rsa2Sign(content, privateKey) };
}

export type GatewayError = { code: string; msg: string; subCode: string; subMsg: string };

export const CODE = {
  success: { code: "10000", msg: "Success" },
  unknown: { code: "20000", msg: "Service Currently Unavailable" },
  missing: { code: "40001", msg: "Missing Required Arguments" },
  invalid: { code: "40002", msg: "Invalid Arguments" },
  business: { code: "40004", msg: "Business Failed" },
  // The exact `msg` of 40005 is not confirmed (REFERENCE §7.6); the code and sub_code are.
  limited: { code: "40005", msg: "Call Limited" },
} as const;

export type ApiResult = { ok: true; fields: Inner } | ({ ok: false } & GatewayError);

export function success(fields: Inner): ApiResult {
  return { ok: true, fields };
}

export function businessError(subCode: string, subMsg: string): ApiResult {
  return { ok: false, ...CODE.business, subCode, subMsg };
}

export function invalidParameter(subMsg: string): ApiResult {
  return { ok: false, ...CODE.invalid, subCode: "isv.invalid-parameter", subMsg };
}

export function innerOf(result: ApiResult): Inner {
  if (result.ok) return { ...CODE.success, ...result.fields };
  return { code: result.code, msg: result.msg, sub_code: result.subCode, sub_msg: result.subMsg };
}

/** Thrown by field readers; handlers turn it into the carried result. */
export class RequestProblem extends Error {
  constructor(readonly result: ApiResult) {
    super(result.ok ? "ok" : `${result.subCode}: ${result.subMsg}`);
  }
}

/**
 * Typed access to `biz_content`. Alipay's fields are strings; numbers are tolerated (Alipay's JSON parser coerces
 * them) but objects where a string belongs are rejected with a message naming the field, which is how the common
 * mistake of passing `business_params`/`extra_param` as objects shows up.
 */
export class Biz {
  constructor(readonly raw: Record<string, unknown>) {}

  optional(name: string, maxLength?: number): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    let text: string;
    if (typeof value === "string") text = value;
    else if (typeof value === "number" || typeof value === "boolean") text = String(value);
    else {
      throw new RequestProblem(
        invalidParameter(`${name} 必须是字符串（JSON 字符串字段请先序列化）/ ${name} must be a string`),
      );
    }
    if (maxLength !== undefined && [...text].length > maxLength) {
      throw new RequestProblem(invalidParameter(`${name} 长度超过 ${maxLength} / ${name} is too long`));
    }
    return text;
  }

  /** Missing and empty are the same thing for a required field. */
  required(name: string, maxLength?: number): string {
    const value = this.optional(name, maxLength);
    if (value === undefined || value.trim() === "") {
      throw new RequestProblem(invalidParameter(`${name} 不能为空 / ${name} is required`));
    }
    return value;
  }

  object(name: string): Biz | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "object" || Array.isArray(value)) {
      throw new RequestProblem(invalidParameter(`${name} 必须是对象 / ${name} must be an object`));
    }
    return new Biz(value as Record<string, unknown>);
  }
}
