"use client";

import { useCallback, useState, useTransition } from "react";
import type { z } from "zod";
import { defaultMessage } from "@/lib/errors";
import { fieldErrorsFromZod } from "@/lib/validation/errors";
import type { ActionFailure, ActionResult } from "./result";

type Options<I> = {
  /**
   * The action's own schema, checked in the browser first so field errors show without a round trip; the
   * server checks again. A refusal here looks exactly like the server's VALIDATION failure.
   */
  schema?: z.ZodType<unknown, I>;
};

/**
 * The one way to call a server action from a client component: keeps what forms need, pending state and the
 * last failure (with field errors for <Field errors={...}>). `run` takes the action's input, a FormData
 * included, and calls `onSuccess` with the data; an action that redirects on success never returns here.
 */
export function useAction<I, R>(action: (input: I) => Promise<ActionResult<R>>, options: Options<I> = {}) {
  const { schema } = options;
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const run = useCallback(
    (input: I, onSuccess?: (data: R) => void) => {
      const checked = schema?.safeParse(input);
      if (checked && !checked.success) {
        setFailure({
          ok: false,
          error: { code: "VALIDATION", message: defaultMessage("VALIDATION") },
          fieldErrors: fieldErrorsFromZod(checked.error),
        });
        return;
      }
      startTransition(async () => {
        const result = await action(input);
        if (result.ok) {
          setFailure(null);
          onSuccess?.(result.data);
        } else {
          setFailure(result);
        }
      });
    },
    [action, schema],
  );
  const reset = useCallback(() => setFailure(null), []);
  return { run, pending, failure, fieldErrors: failure?.fieldErrors ?? {}, reset };
}
