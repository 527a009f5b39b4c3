import "server-only";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import type { RequestMeta, UserActor } from "./actor";
import { roleHasPermission, type Requirement } from "./permissions";

/** What a session cookie claims; checked against the database on every request. */
export type SessionClaims = { userId: string; sessionVersion: number };

/** A permission, or "authenticated": any signed-in, active user (e.g. signing out). */
export type { Requirement };

export function assertRequirement(user: UserActor, requirement: Requirement): void {
  if (requirement !== "authenticated" && !roleHasPermission(user.role, requirement)) {
    throw new DomainError("FORBIDDEN");
  }
}

/**
 * Loads the user a session names, refusing (UNAUTHENTICATED) when the user no longer exists, is disabled, or
 * the session predates a disable/enable (session version mismatch).
 */
export async function loadActiveUser(claims: SessionClaims | null, meta: RequestMeta): Promise<UserActor> {
  if (!claims) throw new DomainError("UNAUTHENTICATED");
  const user = await db.user.findUnique({
    where: { id: claims.userId },
    select: { id: true, email: true, name: true, role: true, disabledAt: true, sessionVersion: true },
  });
  if (!user || user.disabledAt !== null || user.sessionVersion !== claims.sessionVersion) {
    throw new DomainError("UNAUTHENTICATED");
  }
  return { type: "USER", userId: user.id, email: user.email, name: user.name, role: user.role, ...meta };
}

/**
 * The permission check, with the session claims given explicitly (what `requirePermission` runs for the
 * current request). The user's CURRENT role decides, so a role change applies on the next request.
 */
export async function checkAccess(
  claims: SessionClaims | null,
  requirement: Requirement,
  meta: RequestMeta,
): Promise<UserActor> {
  const user = await loadActiveUser(claims, meta);
  assertRequirement(user, requirement);
  return user;
}
