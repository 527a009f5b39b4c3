"use client";

import { useId, type ReactNode } from "react";
import type { FieldErrors } from "@/lib/errors";
import { useI18n } from "@/lib/i18n/client";
import type { MessageRef } from "@/lib/i18n/messages";

/** Errors about a list field or any of its items (`permissions`, `permissions.2`), for a ChoiceGroup. */
export function errorsUnder(fieldErrors: FieldErrors, field: string): MessageRef[] {
  return Object.entries(fieldErrors)
    .filter(([path]) => path === field || path.startsWith(`${field}.`))
    .flatMap(([, errors]) => errors);
}

/** `list` with `value` checked (`on`) or unchecked, for a group of checkboxes; never holds it twice. */
export function toggled<T>(list: readonly T[], value: T, on: boolean): T[] {
  return on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);
}

/**
 * A group of checkboxes or radios with one legend and the errors about the whole group: Field's counterpart
 * for a list field, announcing its hint and errors through aria-describedby the same way.
 */
export function ChoiceGroup({
  legend,
  hint,
  errors,
  children,
}: {
  legend: string;
  hint?: string;
  errors: MessageRef[];
  children: ReactNode;
}) {
  const { tr } = useI18n();
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length ? `${id}-error` : undefined;
  return (
    <fieldset
      aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
      aria-invalid={errors.length ? true : undefined}
    >
      <legend className="mb-1.5 text-sm font-medium text-gray-900">{legend}</legend>
      {children}
      {hint ? (
        <p id={hintId} className="mt-1.5 text-xs text-gray-500">
          {hint}
        </p>
      ) : null}
      {errors.length ? (
        <p id={errorId} className="mt-1.5 text-sm text-red-600" data-field-error="">
          {errors.map((e) => tr(e)).join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
