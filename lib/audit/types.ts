/** An audit event as the console shows it. */
export type AuditEventRow = {
  id: string;
  createdAt: string;
  actorType: string;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
};

/** What an audit event's entity is called, and where the reader can open it (null: nowhere they may go). */
export type AuditEntityLink = { name: string; href: string | null };

/** A row of the audit log page and export: the event, its entity's name, and the client's user agent. */
export type AuditLogRow = AuditEventRow & {
  /** Null when the entity type has no resolver or the entity no longer exists: show the raw id. */
  entity: AuditEntityLink | null;
  userAgent: string | null;
};
