"use client";

import { useState } from "react";
import { Button } from "./button";
import { writeClipboard } from "./copyable-id";
import { Field } from "./field";
import { Input } from "./input";

/** What the panel says, already translated: each feature words its secret its own way. */
export type ShownOnceSecretLabels = {
  /** That the secret is never shown again, and what to do with it. */
  warning: string;
  /** The read-only box's label. */
  label: string;
  copy: string;
  copied: string;
  /** Shown when neither clipboard API worked, so the reader copies it by hand. */
  copyFailed: string;
  done: string;
};

/**
 * A secret the server hands out once (an API key, a webhook signing secret): a read-only box with a copy
 * button and the warning that it is not shown again. `onDone` should drop the secret from memory.
 */
export function ShownOnceSecret({
  secret,
  labels,
  testId,
  onDone,
}: {
  secret: string;
  labels: ShownOnceSecretLabels;
  /** `data-testid` of the box, for tests that read the secret. */
  testId?: string;
  onDone: () => void;
}) {
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <div className="space-y-4">
      <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" role="alert">
        {labels.warning}
      </p>
      <div className="flex items-end gap-2">
        <div className="min-w-0 flex-1">
          <Field label={labels.label}>
            <Input
              readOnly
              value={secret}
              className="font-mono text-xs"
              translate="no"
              spellCheck={false}
              data-testid={testId}
              onFocus={(e) => e.currentTarget.select()}
            />
          </Field>
        </div>
        <Button
          variant="secondary"
          onClick={async () => setCopy((await writeClipboard(secret)) ? "copied" : "failed")}
        >
          {copy === "copied" ? labels.copied : labels.copy}
        </Button>
      </div>
      <p aria-live="polite" className="text-sm text-red-600">
        {copy === "failed" ? labels.copyFailed : null}
      </p>
      <div className="flex justify-end">
        <Button onClick={onDone}>{labels.done}</Button>
      </div>
    </div>
  );
}
