"use client";

import { useCallback } from "react";
import { useI18n } from "@/lib/i18n/client";
import { isMessageKey } from "@/lib/i18n/messages";

/** The human name of an audit action (`user.create` → "Created user"), or the action itself when unnamed. */
export function useActionLabel(): (action: string) => string {
  const { t } = useI18n();
  return useCallback(
    (action: string) => {
      const key = `audit.action.${action}`;
      return isMessageKey(key) ? t(key) : action;
    },
    [t],
  );
}
