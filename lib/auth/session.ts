import "server-only";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import type { RequestMeta, UserActor } from "./actor";
import { auth } from "./index";
import { roleHasPermission, type Permission } from "./permissions";
import { currentRequestMeta } from "./request-meta";

/** What a session cookie claims; checked against the database on every request. */
export type SessionClaims = { userId: string; sessionVersion: number };

/** Any signed-in, active user (e.g. changing one's own language or signing out). */
export type Requirement = Permission | "authenticated";

function assertRequirement(user: UserActor, requirement: Requirement): void {
  if (requirement !== "authenticated" && !roleHasPermission(user.role, requirement)) {
    throw new DomainError("FORBIDDEN");
  }
}

/**
 * Loads the user a session names, refusing (UNAUTHENTICATED) when the user no longer exists, is disabled, or
 * the session predates a disable/enable (session version mismatch).
 */
async function loadActiveUser(claims: SessionClaims | null, meta: RequestMeta): Promise<UserActor> {
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

const currentClaims = cache(async (): Promise<SessionClaims | null> => {
  const session = await auth();
  const user = session?.user;
  if (!user?.id || typeof user.sessionVersion !== "number") return null;
  return { userId: user.id, sessionVersion: user.sessionVersion };
});

/** The signed-in user as an actor, loaded once per request (the permission check is separate). */
const currentUser = cache(async (): Promise<UserActor | null> => {
  try {
    return await loadActiveUser(await currentClaims(), await currentRequestMeta());
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
});

/**
 * Call at the start of every server action, route handler and data read. Returns the acting user or throws
 * DomainError (UNAUTHENTICATED / FORBIDDEN), which the action and route wrappers turn into results.
 */
export async function requirePermission(requirement: Requirement): Promise<UserActor> {
  const user = await currentUser();
  if (!user) throw new DomainError("UNAUTHENTICATED");
  assertRequirement(user, requirement);
  return user;
}

/**
 * `requirePermission` for pages: an anonymous visitor or an ended session is sent to the login page, a
 * signed-in user without the permission gets the 403 page.
 */
export async function requirePagePermission(requirement: Requirement, returnTo?: string): Promise<UserActor> {
  try {
    return await requirePermission(requirement);
  } catch (error) {
    if (error instanceof DomainError && error.code === "UNAUTHENTICATED") {
      const hadSession = (await currentClaims()) !== null;
      const params = new URLSearchParams();
      if (returnTo) params.set("callbackUrl", returnTo);
      if (hadSession) params.set("reason", "session-ended");
      const query = params.toString();
      redirect(`/login${query ? `?${query}` : ""}`);
    }
    if (error instanceof DomainError && error.code === "FORBIDDEN") forbidden();
    throw error;
  }
}

/** The signed-in user for UI chrome (header, sidebar), or null; never use it to authorise. */
export async function currentUserForDisplay(): Promise<UserActor | null> {
  return currentUser();
}
