import "server-only";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { csvStream, type CsvRow } from "@/lib/csv/writer";
import { db } from "@/lib/db";
import { formatDateTime } from "@/lib/format/date";
import type { Translator } from "@/lib/i18n/messages";
import type { AuditListQuery } from "@/lib/validation/audit";
import { afterTimeKey, walkByTime } from "@/lib/validation/keyset";
import { auditActionLabel, auditActorText, auditEntityTypeLabel } from "./labels";
import { auditWhere, withEntityNames } from "./service";
import type { AuditLogRow } from "./types";

export const AUDIT_EXPORT_CHUNK = 1000;

/**
 * Every event matching the audit page's filters, newest first (oldest first when the page is sorted by time
 * ascending; other sorts export by time too, the only order that can be walked without OFFSET). Read in chunks
 * by keyset over (createdAt, id), so each query is as cheap as the first and at most one chunk is in memory.
 */
export async function* iterateAuditEvents(
  actor: Actor,
  query: AuditListQuery,
  chunkSize = AUDIT_EXPORT_CHUNK,
): AsyncGenerator<AuditLogRow> {
  assertCan(actor, "audit:read");
  const direction = query.sort.field === "createdAt" ? query.sort.direction : "desc";
  const where = auditWhere(query);
  const chunks = walkByTime(chunkSize, (after) =>
    db.auditEvent.findMany({
      where: after ? { AND: [where, afterTimeKey(after, direction)] } : where,
      orderBy: [{ createdAt: direction }, { id: direction }],
      take: chunkSize,
    }),
  );
  for await (const events of chunks) yield* await withEntityNames(actor, events);
}

function json(value: unknown): string {
  return value === null || value === undefined ? "" : JSON.stringify(value);
}

/**
 * The filtered audit log as a CSV download: labels in the reader's language, times in the display time zone,
 * the entity's name beside its raw id.
 */
export function auditCsv(
  actor: Actor,
  query: AuditListQuery,
  i18n: { t: Translator; timeZone: string },
  chunkSize = AUDIT_EXPORT_CHUNK,
): ReadableStream<Uint8Array> {
  // Refuse before the response starts: the generator's own check would only run once the download began.
  assertCan(actor, "audit:read");
  const { t, timeZone } = i18n;
  const header: CsvRow = [
    t("audit.export.time"),
    t("audit.export.actor"),
    t("audit.export.action"),
    t("audit.export.entityType"),
    t("audit.export.entityName"),
    t("audit.export.entityId"),
    t("audit.ip"),
    t("audit.before"),
    t("audit.after"),
  ];
  async function* rows(): AsyncGenerator<CsvRow> {
    for await (const row of iterateAuditEvents(actor, query, chunkSize)) {
      yield [
        formatDateTime(row.createdAt, timeZone, { seconds: true }),
        auditActorText(t, row),
        auditActionLabel(t, row.action),
        auditEntityTypeLabel(t, row.entityType),
        row.entity?.name ?? "",
        row.entityId,
        row.ip,
        json(row.before),
        json(row.after),
      ];
    }
  }
  return csvStream(header, rows());
}

/** `audit-log-20261121-2015.csv`, stamped in the display time zone. */
export function auditCsvFilename(now: Date, timeZone: string): string {
  return `audit-log-${formatDateTime(now, timeZone)
    .replace(/[-: ]/g, "")
    .replace(/^(\d{8})/, "$1-")}.csv`;
}
