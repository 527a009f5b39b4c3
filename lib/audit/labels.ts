/**
 * Audit actions and entity types in the reader's language (`user.create` → "Created user"). Events outlive
 * code: an action or type without a label (an old or future one) is shown as recorded. Pure: used by the
 * page's client components and by the CSV export on the server.
 */
import { isMessageKey, type Translator } from "@/lib/i18n/messages";

export function auditActionLabel(t: Translator, action: string): string {
  const key = `audit.action.${action}`;
  return isMessageKey(key) ? t(key) : action;
}

export function auditEntityTypeLabel(t: Translator, entityType: string): string {
  const key = `audit.entityType.${entityType}`;
  return isMessageKey(key) ? t(key) : entityType;
}

/** Who acted: a user's email as is; the system and anonymous callers (failed sign-ins) marked as such. */
export function auditActorText(t: Translator, row: { actorType: string; actorLabel: string }): string {
  if (row.actorType === "SYSTEM") return `${t("audit.system")} · ${row.actorLabel}`;
  if (row.actorType === "ANONYMOUS") return `${t("audit.anonymous")} · ${row.actorLabel}`;
  return row.actorLabel;
}
