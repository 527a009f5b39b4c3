"use client";

import { useEffect, useState } from "react";
import { cn } from "@/lib/cn";
import { useI18n } from "@/lib/i18n/client";
import { Icons } from "./icons";
import { useToast } from "./toast";
import { Tooltip } from "./tooltip";

const COPIED_MS = 2000;

/** `navigator.clipboard` exists only in secure contexts; a console reached over plain HTTP on a LAN has none. */
export async function writeClipboard(text: string): Promise<boolean> {
  if (navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused: fall through to the selection-based copy.
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  const copied = document.execCommand("copy");
  area.remove();
  return copied;
}

/**
 * A long identifier (Alipay's crowd number, a request key) shown truncated to its space, with a copy button
 * and a tooltip saying what the identifier is and showing it in full.
 */
export function CopyableId({
  value,
  label,
  description,
  className,
}: {
  value: string;
  /** The identifier's name, for the copy button: "crowd number". */
  label: string;
  /** What the identifier is for, e.g. whom to quote it to. */
  description: string;
  className?: string;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), COPIED_MS);
    return () => clearTimeout(timer);
  }, [copied]);

  return (
    <Tooltip
      className={cn("max-w-full items-center gap-1", className)}
      content={
        <>
          {description}
          <span className="mt-1 block font-mono break-all text-gray-300" translate="no">
            {value}
          </span>
        </>
      }
    >
      {(describedBy) => (
        <>
          <span className="min-w-0 truncate font-mono text-xs text-gray-500" translate="no">
            {value}
          </span>
          <button
            type="button"
            aria-label={t("copyableId.copy", { label })}
            aria-describedby={describedBy}
            onClick={async () => {
              const done = await writeClipboard(value);
              setCopied(done);
              // The toast region announces it; the icon alone would say nothing to a screen reader.
              toast(
                t(done ? "copyableId.copied" : "copyableId.copyFailed", { label }),
                done ? "info" : "error",
              );
            }}
            className="shrink-0 rounded p-0.5 text-gray-400 hover:bg-gray-100 hover:text-gray-700 focus-visible:outline-2 focus-visible:outline-brand-600"
          >
            {copied ? <Icons.check className="text-green-600" /> : <Icons.copy />}
          </button>
        </>
      )}
    </Tooltip>
  );
}
