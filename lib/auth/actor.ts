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

/**
 * The company's backend calling /api/v1 with an API key: holds exactly the permissions the key was given,
 * for the campaigns it was given (null = every campaign).
 */
export type ApiKeyActor = RequestMeta & {
  type: "API_KEY";
  keyId: string;
  /** `api:<key name> (<prefix>…)`, as the audit log and the payout's requester show it. */
  label: string;
  permissions: readonly Permission[];
  campaignIds: readonly string[] | null;
  /** Requests per minute the key may make, across every web process. */
  ratePerMinute: number;
};

export type Actor = UserActor | SystemActor | ApiKeyActor;

export const NO_REQUEST: RequestMeta = { ip: null, userAgent: null };

export function systemActor(label: string): SystemActor {
  return { type: "SYSTEM", label, ...NO_REQUEST };
}

export function actorCan(actor: Actor, permission: Permission): boolean {
  switch (actor.type) {
    case "SYSTEM":
      return true;
    case "API_KEY":
      return actor.permissions.includes(permission);
    case "USER":
      return roleHasPermission(actor.role, permission);
  }
}

/** Whether the actor may use this campaign at all: API keys are limited to theirs, people are not. */
export function actorCanUseCampaign(actor: Actor, campaignId: string): boolean {
  return actor.type !== "API_KEY" || actor.campaignIds === null || actor.campaignIds.includes(campaignId);
}

/** Defence in depth for API keys: a campaign outside the key's list is answered like one that does not exist. */
export function assertCampaignInScope(actor: Actor, campaignId: string): void {
  if (!actorCanUseCampaign(actor, campaignId)) throw new DomainError("NOT_FOUND");
}

/** Defence in depth inside services: the boundary already ran `requirePermission`. */
export function assertCan(actor: Actor, permission: Permission): void {
  if (!actorCan(actor, permission)) throw new DomainError("FORBIDDEN");
}

export function actorLabel(actor: Actor): string {
  return actor.type === "USER" ? actor.email : actor.label;
}

export function actorId(actor: Actor): string | null {
  if (actor.type === "USER") return actor.userId;
  return actor.type === "API_KEY" ? actor.keyId : null;
}
