import "server-only";
import type { z } from "zod";
import { authenticateApiKey } from "@/lib/api-keys/service";
import { actorCan, type ApiKeyActor, type RequestMeta } from "@/lib/auth/actor";
import { API_ROUTE_PERMISSIONS, type ApiRouteName } from "@/lib/auth/permissions";
import { metaFromHeaders } from "@/lib/auth/request-meta";
import { DomainError, type ErrorCode, type FieldErrors } from "@/lib/errors";
import { translate } from "@/lib/i18n/messages";
import { fieldErrorsFromZod } from "@/lib/validation/errors";
import { API_CODE_BY_MESSAGE, API_ERRORS, type ApiErrorBody, type ApiErrorCode } from "./errors";
import { countApiRequest, type RateDecision } from "./rate-limit";

/** A refusal the API states itself (as opposed to a service's DomainError, translated below). */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const NO_STORE = { "cache-control": "no-store" } as const;

export function apiJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

function errorResponse(code: ApiErrorCode, message: string, fields?: Record<string, string[]>): Response {
  const body: ApiErrorBody = { error: { code, message, ...(fields ? { fields } : {}) } };
  return Response.json(body, { status: API_ERRORS[code].status, headers: NO_STORE });
}

const CODE_FOR_DOMAIN_ERROR: Readonly<Record<ErrorCode, ApiErrorCode>> = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  VALIDATION: "VALIDATION",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "RATE_LIMITED",
  INTERNAL: "INTERNAL",
};

/** Field errors in English, under the names the API uses (services name their own fields). */
function englishFields(
  fieldErrors: FieldErrors,
  fieldNames: Readonly<Record<string, string>> = {},
): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(fieldErrors).map(([field, refs]) => [
      fieldNames[field] ?? field,
      refs.map((ref) => translate("en", ref.key, ref.params)),
    ]),
  );
}

function domainErrorResponse(error: DomainError, fieldNames?: Readonly<Record<string, string>>): Response {
  const code = API_CODE_BY_MESSAGE[error.ref.key] ?? CODE_FOR_DOMAIN_ERROR[error.code];
  const fields = error.fieldErrors ? englishFields(error.fieldErrors, fieldNames) : undefined;
  return errorResponse(code, translate("en", error.ref.key, error.ref.params), fields);
}

/**
 * Parses input with the same zod schema the OpenAPI document describes; a problem is a 422 naming each field
 * (`recipient.id`), in English, and nothing has changed yet.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ApiError(
    "VALIDATION",
    "Some fields are missing or not valid; see `fields`.",
    englishFields(fieldErrorsFromZod(parsed.error)),
  );
}

/** The JSON body, which must be an object; anything else is INVALID_JSON. */
export async function readJsonBody(request: Request): Promise<unknown> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new ApiError("INVALID_JSON", "The request body must be a JSON object.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new ApiError("INVALID_JSON", "The request body must be a JSON object.");
  return body;
}

/** The query string as an object (repeated names keep their last value). */
export function searchParamsOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}

function bearerSecret(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

function withRateHeaders(response: Response, rate: RateDecision): Response {
  response.headers.set("x-ratelimit-limit", String(rate.limit));
  response.headers.set("x-ratelimit-remaining", String(rate.remaining));
  response.headers.set("x-ratelimit-reset", String(rate.resetSeconds));
  return response;
}

type ActorFor<N extends ApiRouteName> = (typeof API_ROUTE_PERMISSIONS)[N] extends "public"
  ? null
  : ApiKeyActor;

export type ApiRouteOptions = {
  /** Service field names → the API's names in 4xx `fields` (e.g. `identity` → `recipient.id`). */
  fieldNames?: Readonly<Record<string, string>>;
};

/**
 * The one wrapper of /api/v1 route handlers: the API key from `Authorization: Bearer` (never the session cookie,
 * so a browser visiting a malicious page cannot call the API on a staff member's behalf) → the key's rate,
 * counted across processes (429 + Retry-After) → the permission API_ROUTE_PERMISSIONS states for the route
 * (403) → the handler. Services check permissions and campaign scope again (defence in depth). Every refusal
 * has the one error shape; anything unexpected is a logged 500 without details.
 */
export function defineApiRoute<N extends ApiRouteName, P = Record<string, string>>(
  route: N,
  handler: (request: Request, ctx: { actor: ActorFor<N>; meta: RequestMeta; params: P }) => Promise<Response>,
  options: ApiRouteOptions = {},
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  const requires = API_ROUTE_PERMISSIONS[route];
  return async (request, context) => {
    const meta = metaFromHeaders(request.headers);
    let rate: RateDecision | null = null;
    try {
      let actor: ApiKeyActor | null = null;
      if (requires !== "public") {
        const secret = bearerSecret(request);
        if (!secret)
          throw new ApiError("UNAUTHENTICATED", "Send your API key as `Authorization: Bearer hbk_live_…`.");
        actor = await authenticateApiKey(secret, meta);
        rate = await countApiRequest(actor.keyId, actor.ratePerMinute);
        if (!rate.allowed) {
          const response = errorResponse(
            "RATE_LIMITED",
            `This key may make ${rate.limit} requests per minute; retry in ${rate.resetSeconds} s.`,
          );
          response.headers.set("retry-after", String(rate.resetSeconds));
          return withRateHeaders(response, rate);
        }
        if (!actorCan(actor, requires))
          throw new ApiError("FORBIDDEN", `This API key lacks the permission \`${requires}\`.`);
      }
      const response = await handler(request, {
        actor: actor as ActorFor<N>,
        meta,
        params: await context.params,
      });
      return rate ? withRateHeaders(response, rate) : response;
    } catch (error) {
      let response: Response;
      if (error instanceof ApiError) response = errorResponse(error.code, error.message, error.fields);
      else if (error instanceof DomainError) response = domainErrorResponse(error, options.fieldNames);
      else {
        console.error(`[api ${route}]`, error);
        response = errorResponse("INTERNAL", "Something went wrong on our side; retrying is safe.");
      }
      return rate ? withRateHeaders(response, rate) : response;
    }
  };
}
