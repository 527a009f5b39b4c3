import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import type { RequestMeta, UserActor } from "@/lib/auth/actor";
import { currentRequestMeta } from "@/lib/auth/request-meta";
import { ACTION_PERMISSIONS, type ActionName, type EntryRequirement } from "@/lib/auth/permissions";
import { currentUserForDisplay, requirePermission } from "@/lib/auth/session";
import { recordRefusal } from "@/lib/audit/service";
import { defaultMessage, DomainError, type FieldErrors } from "@/lib/errors";
import { fieldErrorsFromZod } from "@/lib/validation/errors";
import type { ActionResult } from "./result";

type ActionInput<S extends z.ZodType> = z.input<S> | FormData;

/** Public actions (sign-in, language) may run without a user; every other action has one. */
type ActorFor<N extends ActionName> = (typeof ACTION_PERMISSIONS)[N] extends "public"
  ? UserActor | null
  : UserActor;

type Spec<N extends ActionName, S extends z.ZodType> = {
  /** The action's name in ACTION_PERMISSIONS (which says who may call it), audit events and the matrix test. */
  name: N;
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
async function auditRefusal(name: string): Promise<void> {
  const user = await currentUserForDisplay();
  if (user) await recordRefusal(user, { entityType: "Action", entityId: name });
}

/**
 * The one server-action wrapper: authenticate → check the permission ACTION_PERMISSIONS states for this action →
 * parse input with the zod schema → call the service → typed result. Services write their audit events in the
 * transaction of their change (see docs/decisions/004-audit-in-the-same-transaction.md); the wrapper records
 * refused calls. Never throws except for Next's own redirects.
 */
export function defineAction<N extends ActionName, S extends z.ZodType, R>(
  spec: Spec<N, S>,
  handler: (input: z.output<S>, ctx: { actor: ActorFor<N>; meta: RequestMeta }) => Promise<R>,
): (input: ActionInput<S>) => Promise<ActionResult<R>> {
  const requires: EntryRequirement = ACTION_PERMISSIONS[spec.name];
  return async (input) => {
    const meta = await currentRequestMeta();
    try {
      const actor = requires === "public" ? await currentUserForDisplay() : await requirePermission(requires);
      const parsed = spec.schema.safeParse(input instanceof FormData ? formDataToObject(input) : input);
      if (!parsed.success) return failure("VALIDATION", null, fieldErrorsFromZod(parsed.error));
      // A public action's actor may be null; ActorFor gives each handler the type its requirement implies.
      const data = await handler(parsed.data, { actor: actor as ActorFor<N>, meta });
      return { ok: true, data };
    } catch (error) {
      unstable_rethrow(error);
      if (error instanceof DomainError) {
        if (error.code === "FORBIDDEN" && requires !== "public") await auditRefusal(spec.name);
        return failure(error.code, error, error.fieldErrors);
      }
      console.error(`[action ${spec.name}]`, error);
      return failure("INTERNAL", null);
    }
  };
}
