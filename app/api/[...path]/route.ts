import { domainError } from "@/lib/errors";
import { defineRoute, errorResponse } from "@/lib/http/route";

/**
 * Any /api/… URL no route handles: a JSON 404 in the API's error shape. Without it the console's catch-all page
 * would answer with HTML, or send a signed-out caller to the sign-in page.
 */
const notFound = async () => errorResponse("NOT_FOUND", domainError("NOT_FOUND"));

export const GET = defineRoute("/api/[...path]", notFound);
export const POST = defineRoute("/api/[...path]", notFound);
export const PUT = defineRoute("/api/[...path]", notFound);
export const PATCH = defineRoute("/api/[...path]", notFound);
export const DELETE = defineRoute("/api/[...path]", notFound);
