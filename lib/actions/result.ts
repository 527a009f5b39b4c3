/** What every server action returns (safe to import from client components). */
import type { ErrorCode, FieldErrors } from "@/lib/errors";
import type { MessageRef } from "@/lib/i18n/messages";

export type ActionFailure = {
  ok: false;
  error: { code: ErrorCode; message: MessageRef };
  fieldErrors?: FieldErrors;
};

export type ActionResult<T> = { ok: true; data: T } | ActionFailure;
