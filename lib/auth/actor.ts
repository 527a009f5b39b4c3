/**
 * Who is doing something. Services take an explicit actor (never read the session themselves), check it with
 * `assertCan` and record it in audit events.
 */
import { DomainError } from "@/lib/errors";
import { roleHasPermission, type Permission, type Role } from "./permissions";

export type RequestMeta = { ip: string | null; userAgent: string | null };

export type UserActor = RequestMeta & {
  type: "USER";
  userId: string;
  email: string;
  name: string;
  role: Role;
};

/** Background jobs and start-up tasks (seeding, sync). Holds every permission by construction. */
export type SystemActor = RequestMeta & { type: "SYSTEM"; label: string };

export type Actor = UserActor | SystemActor;

export const NO_REQUEST: RequestMeta = { ip: null, userAgent: null };

export function systemActor(label: string): SystemActor {
  return { type: "SYSTEM", label, ...NO_REQUEST };
}

export function actorCan(actor: Actor, permission: Permission): boolean {
  return actor.type === "SYSTEM" || roleHasPermission(actor.role, permission);
}

/** Defence in depth inside services: the boundary already ran `requirePermission`. */
export function assertCan(actor: Actor, permission: Permission): void {
  if (!actorCan(actor, permission)) throw new DomainError("FORBIDDEN");
}

export function actorLabel(actor: Actor): string {
  return actor.type === "USER" ? actor.email : actor.label;
}

export function actorId(actor: Actor): string | null {
  return actor.type === "USER" ? actor.userId : null;
}
