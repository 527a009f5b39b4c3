import "server-only";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { recordRefusal } from "@/lib/audit/service";
import { DomainError } from "@/lib/errors";
import { assertRequirement, loadActiveUser, type Requirement, type SessionClaims } from "./access";
import type { UserActor } from "./actor";
import { auth } from "./index";
import { currentRequestMeta } from "./request-meta";

export type { Requirement, SessionClaims };

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
 * signed-in user without the permission gets the 403 page, and the refusal is recorded in the audit log
 * (`returnTo` names the page there).
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
    if (error instanceof DomainError && error.code === "FORBIDDEN") {
      const user = await currentUser();
      if (user) await recordRefusal(user, { entityType: "Page", entityId: returnTo ?? null });
      forbidden();
    }
    throw error;
  }
}

/** The signed-in user for UI chrome (header, sidebar), or null; never use it to authorise. */
export async function currentUserForDisplay(): Promise<UserActor | null> {
  return currentUser();
}
