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
