/**
 * Errors that services throw on purpose. The action wrapper and the route-handler wrapper turn them into typed
 * results / 4xx responses; anything else is a bug and becomes INTERNAL (logged, never shown in detail).
 */
import type { MessageKey, MessageParams, MessageRef } from "@/lib/i18n/messages";

export type ErrorCode =
  "UNAUTHENTICATED" | "FORBIDDEN" | "VALIDATION" | "NOT_FOUND" | "CONFLICT" | "RATE_LIMITED" | "INTERNAL";

/** Field path ("email", "rows.3.amount") → messages about it. */
export type FieldErrors = Record<string, MessageRef[]>;

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  VALIDATION: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

const DEFAULT_MESSAGE: Readonly<Record<ErrorCode, MessageKey>> = {
  UNAUTHENTICATED: "errors.unauthenticated",
  FORBIDDEN: "errors.forbidden",
  VALIDATION: "errors.validation",
  NOT_FOUND: "errors.notFound",
  CONFLICT: "errors.conflict",
  RATE_LIMITED: "errors.internal",
  INTERNAL: "errors.internal",
};

export class DomainError extends Error {
  /** What to tell the person, in no language yet. */
  readonly ref: MessageRef;

  constructor(
    readonly code: ErrorCode,
    ref?: MessageRef,
    readonly fieldErrors?: FieldErrors,
  ) {
    const resolved = ref ?? { key: DEFAULT_MESSAGE[code] };
    super(`${code}: ${resolved.key}`);
    this.name = "DomainError";
    this.ref = resolved;
  }
}

export function defaultMessage(code: ErrorCode): MessageRef {
  return { key: DEFAULT_MESSAGE[code] };
}

export function domainError(code: ErrorCode, key?: MessageKey, params?: MessageParams): DomainError {
  return new DomainError(code, key ? { key, params } : undefined);
}

/** A conflict or validation problem that belongs next to one form field. */
export function fieldError(
  code: ErrorCode,
  field: string,
  key: MessageKey,
  params?: MessageParams,
): DomainError {
  return new DomainError(code, { key, params }, { [field]: [{ key, params }] });
}
