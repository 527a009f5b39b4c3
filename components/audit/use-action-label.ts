"use client";

import { useCallback } from "react";
import { auditActionLabel, auditEntityTypeLabel } from "@/lib/audit/labels";
import { useI18n } from "@/lib/i18n/client";

/** The human name of an audit action (`user.create` → "Created user"), or the action itself when unnamed. */
export function useActionLabel(): (action: string) => string {
  const { t } = useI18n();
  return useCallback((action: string) => auditActionLabel(t, action), [t]);
}

/** The human name of an audit entity type (`Campaign` → "活动"), or the type itself when unnamed. */
export function useEntityTypeLabel(): (entityType: string) => string {
  const { t } = useI18n();
  return useCallback((entityType: string) => auditEntityTypeLabel(t, entityType), [t]);
}
