/**
 * Turns zod issues into field errors that name the field and carry a translatable message. Schemas may set
 * an i18n key as an issue's message (`z.string().min(1, "validation.required")`, or a custom issue with the
 * message's parameters in `params`); otherwise the issue code decides the message. Used by forms (client) and actions/route handlers (server) alike.
 */
import type { z } from "zod";
import type { FieldErrors } from "@/lib/errors";
import { isMessageKey, type MessageRef } from "@/lib/i18n/messages";

function messageFor(issue: z.core.$ZodIssue): MessageRef {
  if (isMessageKey(issue.message)) {
    const params: Record<string, string | number> = {};
    if ("minimum" in issue) params.minimum = Number(issue.minimum);
    if ("maximum" in issue) params.maximum = Number(issue.maximum);
    // Custom issues carry their message's parameters (the limit, the amount) in `params`.
    if (issue.code === "custom") {
      for (const [name, value] of Object.entries(issue.params ?? {})) {
        if (typeof value === "string" || typeof value === "number") params[name] = value;
      }
    }
    return { key: issue.message, params };
  }
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string") {
        return Number(issue.minimum) <= 1
          ? { key: "validation.required" }
          : { key: "validation.tooShort", params: { minimum: Number(issue.minimum) } };
      }
      return { key: "validation.tooSmall", params: { minimum: Number(issue.minimum) } };
    case "too_big":
      return issue.origin === "string"
        ? { key: "validation.tooLong", params: { maximum: Number(issue.maximum) } }
        : { key: "validation.tooBig", params: { maximum: Number(issue.maximum) } };
    case "invalid_format":
      return issue.format === "email" ? { key: "validation.invalidEmail" } : { key: "validation.invalid" };
    case "invalid_value":
      return { key: "validation.invalidOption" };
    case "invalid_type":
      if (issue.input === undefined || issue.input === null) return { key: "validation.required" };
      if (issue.expected === "number") return { key: "validation.invalidNumber" };
      if (issue.expected === "date") return { key: "validation.invalidDate" };
      return { key: "validation.invalid" };
    default:
      return { key: "validation.invalid" };
  }
}

export function fieldErrorsFromZod(error: z.ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "_form";
    (fieldErrors[field] ??= []).push(messageFor(issue));
  }
  return fieldErrors;
}
