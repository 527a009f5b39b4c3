import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import type { RequestMeta, UserActor } from "@/lib/auth/actor";
import { currentRequestMeta } from "@/lib/auth/request-meta";
import { currentUserForDisplay, requirePermission, type Requirement } from "@/lib/auth/session";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { defaultMessage, DomainError, type FieldErrors } from "@/lib/errors";
import { fieldErrorsFromZod } from "@/lib/validation/errors";
import type { ActionResult } from "./result";

type ActionInput<S extends z.ZodType> = z.input<S> | FormData;

type Spec<S extends z.ZodType, Req> = {
  /** Stable name, used in audit events for refused calls and in the authorisation matrix test. */
  name: string;
  requires: Req;
  schema: S;
};

function formDataToObject(formData: FormData): Record<string, FormDataEntryValue> {
  const result: Record<string, FormDataEntryValue> = {};
  for (const [key, value] of formData.entries()) {
    if (!key.startsWith("$ACTION")) result[key] = value; // Next's own bookkeeping fields
  }
  return result;
}

function failure(code: DomainError["code"], error: DomainError | null, fieldErrors?: FieldErrors) {
  return {
    ok: false as const,
    error: { code, message: error?.ref ?? defaultMessage(code) },
    ...(fieldErrors ? { fieldErrors } : {}),
  };
}

/** A signed-in user asked for something their role does not allow: worth a line in the audit log. */
async function auditRefusal(name: string, meta: RequestMeta): Promise<void> {
  const user = await currentUserForDisplay();
  if (!user) return;
  await recordAudit(
    db,
    { ...user, ...meta },
    { action: "authz.denied", entityType: "Action", entityId: name },
  );
}

/**
 * The one server-action wrapper: authenticate → check the permission → parse input with the zod schema →
 * call the service → typed result. Services write their audit events in the transaction of their change
 * (see docs/decisions/004-audit-in-the-same-transaction.md); the wrapper records refused calls.
 * Never throws except for Next's own redirects.
 */
export function defineAction<S extends z.ZodType, R>(
  spec: Spec<S, Requirement>,
  handler: (input: z.output<S>, ctx: { actor: UserActor }) => Promise<R>,
): (input: ActionInput<S>) => Promise<ActionResult<R>>;
export function defineAction<S extends z.ZodType, R>(
  spec: Spec<S, "public">,
  handler: (input: z.output<S>, ctx: { actor: UserActor | null; meta: RequestMeta }) => Promise<R>,
): (input: ActionInput<S>) => Promise<ActionResult<R>>;
export function defineAction<S extends z.ZodType, R>(
  spec: Spec<S, Requirement | "public">,
  handler: (input: z.output<S>, ctx: { actor: UserActor; meta: RequestMeta }) => Promise<R>,
): (input: ActionInput<S>) => Promise<ActionResult<R>> {
  return async (input) => {
    const meta = await currentRequestMeta();
    try {
      const actor =
        spec.requires === "public" ? await currentUserForDisplay() : await requirePermission(spec.requires);
      const parsed = spec.schema.safeParse(input instanceof FormData ? formDataToObject(input) : input);
      if (!parsed.success) return failure("VALIDATION", null, fieldErrorsFromZod(parsed.error));
      // For "public" actions the actor may be null; the overloads give each handler the right type.
      const data = await handler(parsed.data, { actor: actor as UserActor, meta });
      return { ok: true, data };
    } catch (error) {
      unstable_rethrow(error);
      if (error instanceof DomainError) {
        if (error.code === "FORBIDDEN" && spec.requires !== "public") await auditRefusal(spec.name, meta);
        return failure(error.code, error, error.fieldErrors);
      }
      console.error(`[action ${spec.name}]`, error);
      return failure("INTERNAL", null);
    }
  };
}
