/**
 * How each /api/v1 endpoint is described: the route's handler parses with these same schemas, and
 * lib/api/openapi.ts turns them into the OpenAPI 3.1 document, so the document cannot drift from the code.
 * Pure (no server-only): the console's API page reads it too.
 */
import type { z } from "zod";
import type { ApiRouteName } from "@/lib/auth/permissions";
import type { ApiErrorCode } from "./errors";

export type EndpointSpec = {
  /** `METHOD /api/v1/...` as in API_ROUTE_PERMISSIONS (which also says the permission it needs). */
  route: ApiRouteName;
  summary: string;
  description: string;
  tag: "Payouts" | "Campaigns" | "Red packets" | "Meta";
  /** Path parameters (`campaignId`, `outBizNo`). */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Successful answers by status code. */
  responses: Readonly<Record<number, { description: string; schema?: z.ZodType }>>;
  /** The error codes this endpoint can answer besides UNAUTHENTICATED/FORBIDDEN/RATE_LIMITED/INTERNAL. */
  errors: readonly ApiErrorCode[];
  /** A curl example for docs/api.md and the console's API page (`$HONGBAO_URL`, `$HONGBAO_KEY`). */
  example: string;
};
