"use client";

import { useCallback, useState, useTransition } from "react";
import type { ActionFailure, ActionResult } from "./result";

/**
 * Calls a server action from a client component and keeps what forms need: pending state and the last
 * failure (with field errors for <Field errors={...}>).
 */
export function useAction<I, R>(action: (input: I) => Promise<ActionResult<R>>) {
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const run = useCallback(
    (input: I, onSuccess?: (data: R) => void) => {
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
    [action],
  );
  const reset = useCallback(() => setFailure(null), []);
  return { run, pending, failure, fieldErrors: failure?.fieldErrors ?? {}, reset };
}
