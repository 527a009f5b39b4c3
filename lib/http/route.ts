import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import type { RequestMeta, UserActor } from "@/lib/auth/actor";
import { ROUTE_PERMISSIONS, type EntryRequirement, type RouteName } from "@/lib/auth/permissions";
import { currentRequestMeta } from "@/lib/auth/request-meta";
import { currentUserForDisplay, requirePermission } from "@/lib/auth/session";
import { recordRefusal } from "@/lib/audit/service";
import { DomainError, HTTP_STATUS, type ErrorCode } from "@/lib/errors";
import { translate } from "@/lib/i18n/messages";

/** Public routes (health, Auth.js) serve anyone and never look up a user. */
type ActorFor<N extends RouteName> = (typeof ROUTE_PERMISSIONS)[N] extends "public" ? null : UserActor;

/** `{ error: { code, message } }`, the one error shape of the console's route handlers (messages in English). */
export function errorResponse(code: ErrorCode, error?: DomainError): Response {
  const ref = error?.ref;
  const message = ref ? translate("en", ref.key, ref.params) : code;
  return Response.json({ error: { code, message } }, { status: HTTP_STATUS[code] });
}

export type RouteOptions = {
  /**
   * A machine's way in beside the session (e.g. METRICS_TOKEN for a Prometheus scraper): a request with
   * `Authorization: Bearer <this>` is served without a session, its actor null. Compared in constant time.
   * Unset or empty: sessions only. A wrong token is ignored, and the session decides (401 without one).
   */
  bearerToken?: string;
};

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time (equal-length hashes). */
export function hasBearerToken(request: Request, token: string | undefined): boolean {
  if (!token) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match !== null && timingSafeEqual(digest(match[1] ?? ""), digest(token));
}

/**
 * The one route-handler wrapper, the counterpart of `defineAction`: checks the requirement ROUTE_PERMISSIONS
 * states for the route (401 signed out, 403 without the permission), then runs the handler; a DomainError
 * becomes its 4xx (a refusal of a signed-in user is recorded in the audit log), anything else a logged 500
 * without details. With `options.bearerToken`, a request bearing that token passes without a session.
 */
export function defineRoute<N extends RouteName, P = Record<string, string | string[]>>(
  route: N,
  handler: (
    request: Request,
    ctx: { actor: ActorFor<N> | null; meta: RequestMeta; params: P },
  ) => Promise<Response>,
  options: RouteOptions,
): (request: Request, context: { params: Promise<P> }) => Promise<Response>;
export function defineRoute<N extends RouteName, P = Record<string, string | string[]>>(
  route: N,
  handler: (request: Request, ctx: { actor: ActorFor<N>; meta: RequestMeta; params: P }) => Promise<Response>,
): (request: Request, context: { params: Promise<P> }) => Promise<Response>;
export function defineRoute<N extends RouteName, P = Record<string, string | string[]>>(
  route: N,
  handler: (
    request: Request,
    ctx: { actor: ActorFor<N> | null; meta: RequestMeta; params: P },
  ) => Promise<Response>,
  options: RouteOptions = {},
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  const requires: EntryRequirement = ROUTE_PERMISSIONS[route];
  return async (request, context) => {
    try {
      const actor =
        requires === "public" || hasBearerToken(request, options.bearerToken)
          ? null
          : await requirePermission(requires);
      const meta = await currentRequestMeta();
      return await handler(request, { actor: actor as ActorFor<N>, meta, params: await context.params });
    } catch (error) {
      unstable_rethrow(error);
      if (error instanceof DomainError) {
        if (error.code === "FORBIDDEN") {
          const user = await currentUserForDisplay();
          if (user) await recordRefusal(user, { entityType: "Route", entityId: route });
        }
        return errorResponse(error.code, error);
      }
      console.error(`[route ${route}]`, error);
      return errorResponse("INTERNAL");
    }
  };
}
