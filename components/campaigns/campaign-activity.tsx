"use client";

import { useState } from "react";
import { ChangeSet } from "@/components/audit/audit-table";
import { useActionLabel } from "@/components/audit/use-action-label";
import { Badge } from "@/components/ui/badge";
import type { CampaignActivityEntry } from "@/lib/campaigns/types";
import { useI18n } from "@/lib/i18n/client";

/**
 * The campaign's activity, newest first: who did what and when. Readers with `audit:read` can expand an entry
 * to its before/after and IP (the server sends those details to nobody else).
 */
export function CampaignActivity({ events }: { events: CampaignActivityEntry[] }) {
  const { t, formatDateTime } = useI18n();
  const label = useActionLabel();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <ol className="divide-y divide-gray-100" aria-label={t("campaigns.detail.auditTrail")}>
      {events.map((event) => (
        <li key={event.id} className="py-3">
          <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
            <Badge>{label(event.action)}</Badge>
            <span className="flex items-center gap-3 text-xs text-gray-500 tabular">
              {formatDateTime(event.createdAt, { seconds: true })}
              {event.details ? (
                <button
                  type="button"
                  className="text-brand-700 hover:underline"
                  aria-expanded={open === event.id}
                  onClick={() => setOpen(open === event.id ? null : event.id)}
                >
                  {open === event.id ? t("audit.hideChanges") : t("audit.showChanges")}
                </button>
              ) : null}
            </span>
          </div>
          <p className="mt-1 truncate text-xs text-gray-600" title={event.actorLabel}>
            {event.actorType === "SYSTEM" ? `${t("audit.system")} · ${event.actorLabel}` : event.actorLabel}
          </p>
          {open === event.id && event.details ? (
            <div className="mt-3 space-y-2">
              {event.details.ip ? (
                <p className="text-xs text-gray-500">
                  {t("audit.ip")}: <code>{event.details.ip}</code>
                </p>
              ) : null}
              <ChangeSet before={event.details.before} after={event.details.after} />
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
