/** The API's description of itself. Pure. */
import { z } from "zod";
import type { EndpointSpec } from "@/lib/api/endpoint-spec";

export const OPENAPI_ENDPOINT: EndpointSpec = {
  route: "GET /api/v1/openapi.json",
  tag: "Meta",
  summary: "Get the OpenAPI document",
  description:
    "This API as an OpenAPI 3.1 document (JSON Schema 2020-12), generated from the schemas the handlers " +
    "parse with. Public: no key needed. Feed it to a client generator or an API explorer.",
  responses: {
    200: {
      description: "The OpenAPI 3.1 document",
      schema: z
        .looseObject({ openapi: z.string().meta({ example: "3.1.0" }) })
        .meta({ description: "An OpenAPI 3.1 document" }),
    },
  },
  errors: [],
  example: 'curl "$HONGBAO_URL/api/v1/openapi.json"',
};
