import { z } from "zod";
import { dayFilter, listQuerySchema } from "./list-query";

/**
 * `/audit?actor=…&action=…&entityType=…&entityId=…&from=YYYY-MM-DD&to=YYYY-MM-DD` plus the table params; the
 * CSV export (/api/audit/export) takes the same. `action` is one action, or a family when it ends in `.`
 * (`campaign.`).
 */
export function auditListQuerySchema(timeZone: string) {
  const day = (endExclusive: boolean) => dayFilter(timeZone, endExclusive);
  return listQuerySchema(["createdAt", "action", "actorLabel", "entityType"], {
    field: "createdAt",
    direction: "desc",
  }).extend({
    actor: z.string().trim().max(200).optional().catch(undefined),
    action: z.string().trim().max(100).optional().catch(undefined),
    entityType: z.string().trim().max(100).optional().catch(undefined),
    entityId: z.string().trim().max(200).optional().catch(undefined),
    from: day(false),
    to: day(true),
  });
}

export type AuditListQuery = z.output<ReturnType<typeof auditListQuerySchema>>;
