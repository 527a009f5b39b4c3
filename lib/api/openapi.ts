import "server-only";
import { z } from "zod";
import { API_ROUTE_PERMISSIONS, type ApiRouteName } from "@/lib/auth/permissions";
import { translate } from "@/lib/i18n/messages";
import {
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from "@/lib/webhooks/events";
import {
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_SIGNATURE_SCHEME,
  WEBHOOK_TIMESTAMP_HEADER,
  WEBHOOK_TOLERANCE_SECONDS,
} from "@/lib/webhooks/signing";
import type { EndpointSpec } from "./endpoint-spec";
import { API_ENDPOINTS } from "./endpoints";
import { API_ERRORS, type ApiErrorCode } from "./errors";
import { apiCampaignSchema, apiPayoutSchema } from "./resources";

/**
 * The OpenAPI 3.1 document of /api/v1, built from the EndpointSpecs (the very schemas the handlers parse with)
 * by zod's own `z.toJSONSchema` (docs/decisions/020-openapi-from-zod.md): request bodies and parameters as
 * zod reads them (`io: "input"`: defaults make a field optional), responses as the handlers write them
 * (`io: "output"`). Schemas with a `.meta({ id })` become components/schemas and are referenced with `$ref`;
 * everything else is inlined. Built once per process and served by GET /api/v1/openapi.json.
 */

type JsonSchema = { [keyword: string]: unknown };
type Ref = { $ref: string };
type MediaType = { schema: JsonSchema; examples?: Record<string, { summary: string; value: unknown }> };
type Header = { description: string; required?: boolean; schema: JsonSchema };
type Response = {
  description: string;
  headers?: Record<string, Header | Ref>;
  content?: Record<string, MediaType>;
};
type Parameter = {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description?: string;
  schema: JsonSchema;
};
export type Operation = {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, MediaType> };
  responses: Record<string, Response | Ref>;
  /** The API-key permission the operation needs (API_ROUTE_PERMISSIONS). */
  "x-permission"?: string;
};
export type HttpMethod = "get" | "post";
export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description: string };
  jsonSchemaDialect: string;
  servers: Array<{ url: string; description: string }>;
  security: Array<Record<string, string[]>>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Partial<Record<HttpMethod, Operation>>>;
  webhooks: Record<string, { post: Operation }>;
  components: {
    securitySchemes: Record<
      string,
      { type: "http"; scheme: "bearer"; bearerFormat: string; description: string }
    >;
    schemas: Record<string, JsonSchema>;
    headers: Record<string, Header>;
  };
};

export const OPENAPI_VERSION = "3.1.0";
const SECURITY_SCHEME = "apiKey";
const JSON_TYPE = "application/json";

/** `GET /api/v1/campaigns/[campaignId]` → `get`, `/api/v1/campaigns/{campaignId}`. */
export function openApiPathOf(route: ApiRouteName): { method: HttpMethod; path: string } {
  const [method = "", path = ""] = route.split(" ");
  return {
    method: method.toLowerCase() as HttpMethod,
    path: path.replace(/\[([^\]]+)\]/g, "{$1}"),
  };
}

/** "Refresh a campaign from Alipay" → `refreshCampaignFromAlipay`. */
function operationIdOf(summary: string): string {
  const words = summary
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w && !/^(a|an|the)$/i.test(w))
    .map((w) => w.toLowerCase());
  return words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join("");
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Replaces `#/$defs/<id>` references by `#/components/schemas/<name>`. */
function rewriteRefs(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, names));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      if (key === "$ref" && typeof inner === "string" && inner.startsWith("#/$defs/")) {
        const id = decodeURIComponent(inner.slice("#/$defs/".length));
        return [key, `#/components/schemas/${names.get(id) ?? id}`];
      }
      return [key, rewriteRefs(inner, names)];
    }),
  );
}

/** components/schemas, filled as schemas are converted. */
class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  /**
   * `schema`'s JSON Schema as `io` sees it. Its parts with an id move to components/schemas; when an id is
   * already there with other content (a schema read as input differs from itself as output: defaults are
   * optional going in, present coming out), this one is stored as `<id>Input` / `<id>Output` instead.
   */
  convert(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const json = z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io,
      // A transform's output or a refinement has no JSON Schema: the document shows what can be said.
      unrepresentable: "any",
      // Our schemas are not recursive; a cycle would get an invented id that could clash between calls.
      cycles: "throw",
      reused: "inline",
      override: ({ jsonSchema }) => {
        // `.meta({ example })` reads naturally; JSON Schema 2020-12 spells it `examples: [...]`.
        if ("example" in jsonSchema) {
          const { example } = jsonSchema as { example: unknown };
          delete (jsonSchema as { example?: unknown }).example;
          jsonSchema.examples = [example];
        }
      },
    }) as JsonSchema;
    const { $schema: _dialect, $defs, ...root } = json;
    const defs = isObject($defs) ? $defs : {};
    const names = new Map<string, string>();
    for (const [id, def] of Object.entries(defs)) {
      const existing = this.schemas[id];
      const same = JSON.stringify(rewriteRefs(def, new Map())) === JSON.stringify(existing);
      names.set(id, existing === undefined || same ? id : `${id}${io === "input" ? "Input" : "Output"}`);
    }
    for (const [id, def] of Object.entries(defs)) {
      const name = names.get(id) ?? id;
      const content = rewriteRefs(def, names) as JsonSchema;
      const existing = this.schemas[name];
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(content))
        throw new Error(`Two different schemas are named ${name}: give one another .meta({ id })`);
      this.schemas[name] = content;
    }
    return rewriteRefs(root, names) as JsonSchema;
  }

  /** Each property of an object schema (path or query parameters) as an OpenAPI parameter. */
  parameters(schema: z.ZodObject, location: "path" | "query"): Parameter[] {
    const json = this.convert(schema, "input");
    const properties = isObject(json.properties) ? json.properties : {};
    const required = Array.isArray(json.required) ? json.required : [];
    return Object.entries(properties).map(([name, property]) => {
      const { description, ...rest } = isObject(property) ? property : {};
      return {
        name,
        in: location,
        required: location === "path" || required.includes(name),
        ...(typeof description === "string" ? { description } : {}),
        schema: rest,
      };
    });
  }
}

const API_ERROR_CODES = Object.keys(API_ERRORS) as [ApiErrorCode, ...ApiErrorCode[]];

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z
        .enum(API_ERROR_CODES)
        .meta({ description: "Stable: branch on it (see the table in the description)" }),
      message: z.string().meta({ description: "For people, in English; may change" }),
      fields: z.record(z.string(), z.array(z.string())).optional().meta({
        description: "Each field with a problem (`recipient.id`, `budgetFen`) → what is wrong with it",
      }),
    }),
  })
  .meta({ id: "Error", description: "Every refusal has this shape" });

/** Answered by every endpoint that needs a key, besides the endpoint's own errors. */
const KEY_ERRORS: readonly ApiErrorCode[] = ["UNAUTHENTICATED", "FORBIDDEN", "RATE_LIMITED", "INTERNAL"];

const RATE_HEADERS = {
  "X-RateLimit-Limit": { description: "Requests per minute this key may make", schema: { type: "integer" } },
  "X-RateLimit-Remaining": {
    description: "Requests left in the current minute",
    schema: { type: "integer", minimum: 0 },
  },
  "X-RateLimit-Reset": {
    description: "Seconds until the current minute's count starts again",
    schema: { type: "integer", minimum: 0 },
  },
} satisfies Record<string, Header>;

const RETRY_AFTER: Header = {
  description: "Seconds to wait before the next request (the key's minute is used up)",
  required: true,
  schema: { type: "integer", minimum: 0 },
};

function headerRefs(names: readonly string[]): Record<string, Ref> {
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

/** The error answers of an endpoint, one per HTTP status, each listing its codes with an example. */
function errorResponses(codes: readonly ApiErrorCode[], authenticated: boolean): Record<string, Response> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of [...new Set(codes)]) {
    const status = API_ERRORS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, Response> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    // 401 is answered before the key is known, so without the key's rate figures.
    const rateHeaders = authenticated && status !== 401 ? Object.keys(RATE_HEADERS) : [];
    const headers = { ...headerRefs(rateHeaders), ...(status === 429 ? headerRefs(["Retry-After"]) : {}) };
    responses[String(status)] = {
      description: list.map((code) => `\`${code}\`: ${API_ERRORS[code].description}`).join("\n\n"),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: {
        [JSON_TYPE]: {
          schema: { $ref: "#/components/schemas/Error" },
          examples: Object.fromEntries(
            list.map((code) => [
              code,
              { summary: code, value: { error: { code, message: API_ERRORS[code].description } } },
            ]),
          ),
        },
      },
    };
  }
  return responses;
}

function operationOf(spec: EndpointSpec, components: SchemaComponents): Operation {
  const requirement = API_ROUTE_PERMISSIONS[spec.route];
  const authenticated = requirement !== "public";
  const parameters = [
    ...(spec.params ? components.parameters(spec.params, "path") : []),
    ...(spec.query ? components.parameters(spec.query, "query") : []),
  ];
  const responses: Record<string, Response> = {};
  for (const [status, answer] of Object.entries(spec.responses)) {
    responses[status] = {
      description: answer.description,
      ...(authenticated ? { headers: headerRefs(Object.keys(RATE_HEADERS)) } : {}),
      ...(answer.schema
        ? { content: { [JSON_TYPE]: { schema: components.convert(answer.schema, "output") } } }
        : {}),
    };
  }
  const standardErrors: readonly ApiErrorCode[] = authenticated ? KEY_ERRORS : ["INTERNAL"];
  Object.assign(responses, errorResponses([...spec.errors, ...standardErrors], authenticated));
  return {
    operationId: operationIdOf(spec.summary),
    summary: spec.summary,
    description: `${spec.description}\n\n\`\`\`sh\n${spec.example}\n\`\`\``,
    tags: [spec.tag],
    ...(authenticated ? { "x-permission": requirement } : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: { [JSON_TYPE]: { schema: components.convert(spec.body, "input") } },
          },
        }
      : {}),
    responses,
  };
}

const timestamp = z.iso.datetime().meta({ description: "When it happened (ISO 8601, UTC)" });

/** What an event's `data` is: `payout.*` events carry a payout, `campaign.*` events a campaign. */
function webhookEntityType(type: WebhookEventType): "Payout" | "Campaign" {
  return type.startsWith("payout.") ? "Payout" : "Campaign";
}

/** The body of every delivery (lib/webhooks/signing.ts webhookBody), for the events about one kind of entity. */
function eventSchema(entity: "Payout" | "Campaign", data: z.ZodType) {
  const types = WEBHOOK_EVENT_TYPES.filter((type) => webhookEntityType(type) === entity) as [
    WebhookEventType,
    ...WebhookEventType[],
  ];
  return z
    .object({
      id: z.string().meta({ description: `The event's id, also in ${WEBHOOK_ID_HEADER}: deduplicate on it` }),
      type: z.enum(types),
      createdAt: timestamp,
      data: data.meta({ description: `The ${entity.toLowerCase()} as it was right after the event` }),
    })
    .meta({ id: `${entity}Event`, description: `A webhook delivery about a ${entity.toLowerCase()}` });
}

const payoutEventSchema = eventSchema("Payout", apiPayoutSchema);
const campaignEventSchema = eventSchema("Campaign", apiCampaignSchema);

const WEBHOOK_HEADERS: Parameter[] = [
  {
    name: WEBHOOK_ID_HEADER,
    in: "header",
    required: true,
    description: "The event's id: the same on every attempt and every resend. Process each id once.",
    schema: { type: "string" },
  },
  {
    name: WEBHOOK_TIMESTAMP_HEADER,
    in: "header",
    required: true,
    description:
      `Unix seconds when this attempt was signed. Refuse a timestamp more than ${WEBHOOK_TOLERANCE_SECONDS} ` +
      "seconds from your clock (a replayed request).",
    schema: { type: "string", pattern: "^\\d{1,12}$" },
  },
  {
    name: WEBHOOK_SIGNATURE_HEADER,
    in: "header",
    required: true,
    description:
      `\`${WEBHOOK_SIGNATURE_SCHEME}=\` and the hex HMAC-SHA256 of \`<timestamp>.<raw body>\` keyed with the ` +
      "endpoint's signing secret (`whsec_…`, whole). Several signatures, space-separated, while a secret is " +
      "rotated: accept the request when one matches, comparing in constant time.",
    schema: { type: "string" },
  },
];

function webhookOperation(type: WebhookEventType, components: SchemaComponents): Operation {
  const entity = webhookEntityType(type);
  return {
    operationId: `${type.replace(/[._](\w)/g, (_, c: string) => c.toUpperCase())}Webhook`,
    summary: type,
    description: translate("en", WEBHOOK_EVENT_DESCRIPTIONS[type]),
    tags: ["Webhooks"],
    security: [],
    parameters: WEBHOOK_HEADERS,
    requestBody: {
      required: true,
      content: {
        [JSON_TYPE]: {
          schema: components.convert(entity === "Payout" ? payoutEventSchema : campaignEventSchema, "output"),
        },
      },
    },
    responses: {
      "2XX": { description: "Received. Answer quickly and do the work afterwards." },
      default: {
        description: "Anything else, or no answer in time, is retried with back-off for about a day.",
      },
    },
  };
}

const DESCRIPTION = `The machine API of Hongbao Console: send Alipay cash red packets from your backend, follow them,
and manage campaigns. docs/api.md in the repository explains each part with examples.

**Authentication.** Send an API key as \`Authorization: Bearer hbk_live_…\`. Administrators create keys in the
console (Settings → API keys) with permissions (each operation names the one it needs as \`x-permission\`) and
either all campaigns or a list of them; a campaign outside the key's list is answered 404.

**Idempotency.** A payout's \`outBizNo\` is your key for one business event (e.g. the points-exchange record
id): use the same one forever for that event and retry freely. The same \`outBizNo\` with the same values
returns the existing payout (200); with other values it is refused (409 \`IDEMPOTENCY_CONFLICT\`). A payout is
never paid twice.

**Rate limits.** Each key may make a number of requests per minute; every answer carries
\`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\`, and a 429 \`Retry-After\`.

**Errors** have one shape, \`{ "error": { "code", "message", "fields"? } }\`: branch on \`code\`; messages are
in English and may change.

**Webhooks** (see \`webhooks\`) post \`{ id, type, createdAt, data }\` signed with HMAC-SHA256 in
\`${WEBHOOK_SIGNATURE_HEADER}\`.`;

/** The document for a list of endpoints (every /api/v1 endpoint by default). */
export function buildOpenApiDocument(endpoints: readonly EndpointSpec[] = API_ENDPOINTS): OpenApiDocument {
  const components = new SchemaComponents();
  components.convert(apiErrorSchema, "output");
  // Responses and webhooks first, so a name shared by an input and an output schema goes to the output.
  const webhooks = Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [type, { post: webhookOperation(type, components) }]),
  );
  for (const spec of endpoints) {
    for (const answer of Object.values(spec.responses))
      if (answer.schema) components.convert(answer.schema, "output");
  }
  const paths: OpenApiDocument["paths"] = {};
  for (const spec of endpoints) {
    const { method, path } = openApiPathOf(spec.route);
    (paths[path] ??= {})[method] = operationOf(spec, components);
  }
  return {
    openapi: OPENAPI_VERSION,
    info: { title: "Hongbao Console API", version: "1.0.0", description: DESCRIPTION },
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    // Relative: the console's own origin, wherever it is deployed.
    servers: [{ url: "/", description: "This console" }],
    security: [{ [SECURITY_SCHEME]: [] }],
    tags: [
      { name: "Payouts", description: "Red packets: send one, read one, list them" },
      { name: "Campaigns", description: "Budgets at Alipay: create, fund, follow, pause, resume, close" },
      {
        name: "Red packets",
        description: "User-funded packets in your app (app.pay): start, confirm the payment, claim, follow",
      },
      { name: "Meta", description: "This document" },
      { name: "Webhooks", description: "Events the console posts to your endpoints" },
    ],
    paths,
    webhooks,
    components: {
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "hbk_live_…",
          description:
            "An API key from Settings → API keys (or `npm run apikey:create`), shown once when created",
        },
      },
      schemas: components.schemas,
      headers: { ...RATE_HEADERS, "Retry-After": RETRY_AFTER },
    },
  };
}

let cached: OpenApiDocument | undefined;

/** The document of this build's API (it only changes with the code). */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument();
  return cached;
}
