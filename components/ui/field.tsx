"use client";

import { useId, type ReactElement, type ReactNode } from "react";
import { cloneElement } from "react";
import { useI18n } from "@/lib/i18n/client";
import type { MessageRef } from "@/lib/i18n/messages";

type ControlProps = {
  id?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
};

/**
 * A labelled form control with its hint and errors. The label is bound to the control (so tests and screen
 * readers find it by name) and errors are announced through aria-describedby.
 */
export function Field({
  label,
  hint,
  errors,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  errors?: MessageRef[];
  children: ReactElement<ControlProps>;
}) {
  const { tr } = useI18n();
  const generatedId = useId();
  const id = children.props.id ?? generatedId;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-gray-900">
        {label}
      </label>
      {cloneElement(children, {
        id,
        "aria-invalid": errors?.length ? true : undefined,
        "aria-describedby": describedBy,
      })}
      {hint ? (
        <p id={hintId} className="text-xs text-gray-500">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={errorId} className="text-sm text-red-600" data-field-error="">
          {errors.map((e) => tr(e)).join(" ")}
        </p>
      ) : null}
    </div>
  );
}
