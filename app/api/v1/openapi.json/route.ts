import { openApiDocument } from "@/lib/api/openapi";
import { apiJson, defineApiRoute } from "@/lib/api/route";

/** This API as an OpenAPI 3.1 document, generated from the schemas the handlers parse with. Public. */
export const GET = defineApiRoute("GET /api/v1/openapi.json", async () => apiJson(openApiDocument()));
