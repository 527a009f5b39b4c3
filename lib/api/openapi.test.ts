/**
 * The OpenAPI document: valid OpenAPI 3.1 (a structural check of every part it uses, its schemas checked as
 * JSON Schema 2020-12, and — when this machine has it — the official OAS 3.1 schema through Python's
 * openapi-spec-validator), complete (every route file under app/api/v1 is in it with its method and path,
 * every API_ROUTE_PERMISSIONS entry has a route file and an EndpointSpec), true to the code (the API's own
 * answers and webhook bodies conform to its schemas; the examples conform too), and docs/api.md keeps up.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_ENDPOINTS } from "@/lib/api/endpoints";
import { API_ERRORS, type ApiErrorCode } from "@/lib/api/errors";
import { toApiCampaign, toApiPayout } from "@/lib/api/resources";
import { API_ROUTE_PERMISSIONS, type ApiRouteName } from "@/lib/auth/permissions";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import {
  signWebhook,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  webhookBody,
} from "@/lib/webhooks/signing";
import { schemaProblems, validate } from "../../test/support/json-schema";
import { buildOpenApiDocument, openApiPathOf, type OpenApiDocument, type Operation } from "./openapi";

const doc: OpenApiDocument = buildOpenApiDocument();
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

type Json = { [key: string]: unknown };
function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every operation: the paths' and the webhooks'. */
function operations(): Array<{ where: string; operation: Operation; path: string | null }> {
  const list: Array<{ where: string; operation: Operation; path: string | null }> = [];
  for (const [p, item] of Object.entries(doc.paths))
    for (const [method, operation] of Object.entries(item))
      list.push({ where: `${method.toUpperCase()} ${p}`, operation: operation as Operation, path: p });
  for (const [name, item] of Object.entries(doc.webhooks))
    list.push({ where: `webhook ${name}`, operation: item.post, path: null });
  return list;
}

/** Every `$ref` in a JSON value, with where it is. */
function refs(value: unknown, at = "#"): Array<{ at: string; ref: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => refs(v, `${at}/${i}`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "$ref" && typeof inner === "string" ? [{ at, ref: inner }] : refs(inner, `${at}/${key}`),
  );
}

function pointer(root: unknown, ref: string): unknown {
  let node: unknown = root;
  for (const part of ref.replace(/^#\//, "").split("/")) {
    const key = decodeURIComponent(part).replaceAll("~1", "/").replaceAll("~0", "~");
    if (!isObject(node) || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Every schema node that carries `examples`, with where it is. */
function schemasWithExamples(value: unknown, at = "#"): Array<{ at: string; schema: Json }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => schemasWithExamples(v, `${at}/${i}`));
  if (!isObject(value)) return [];
  const own =
    Array.isArray(value.examples) && ("type" in value || "anyOf" in value) ? [{ at, schema: value }] : [];
  return [...own, ...Object.entries(value).flatMap(([k, v]) => schemasWithExamples(v, `${at}/${k}`))];
}

describe("the document is OpenAPI 3.1", () => {
  it("has the top-level fields, security and tags it uses", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toEqual(expect.any(String));
    expect(doc.info.version).toEqual(expect.any(String));
    expect(doc.security).toEqual([{ apiKey: [] }]);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    const tags = doc.tags.map((t) => t.name);
    expect(new Set(tags).size).toBe(tags.length);
    for (const { where, operation } of operations()) {
      for (const tag of operation.tags) expect(tags, where).toContain(tag);
      for (const requirement of operation.security ?? [])
        for (const scheme of Object.keys(requirement))
          expect(doc.components.securitySchemes, where).toHaveProperty(scheme);
    }
  });

  it("has well-formed paths, operations, parameters and responses", () => {
    const ids = operations().map((o) => o.operation.operationId);
    expect(new Set(ids).size, "operationIds are unique").toBe(ids.length);
    for (const [p, item] of Object.entries(doc.paths)) {
      expect(p).toMatch(/^\/[^{}]*(\{\w+\}[^{}]*)*$/);
      for (const key of Object.keys(item)) expect(METHODS as readonly string[], p).toContain(key);
    }
    for (const { where, operation, path: p } of operations()) {
      expect(operation.operationId, where).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      expect(operation.summary, where).toEqual(expect.any(String));
      const parameters = operation.parameters ?? [];
      const keys = parameters.map((q) => `${q.in}:${q.name.toLowerCase()}`);
      expect(new Set(keys).size, `${where}: parameters are unique`).toBe(keys.length);
      for (const parameter of parameters) {
        expect(["query", "header", "path", "cookie"], where).toContain(parameter.in);
        expect(isObject(parameter.schema), `${where} ${parameter.name}`).toBe(true);
        if (parameter.in === "path") expect(parameter.required, `${where} ${parameter.name}`).toBe(true);
      }
      if (p !== null) {
        // Every {name} in the path is a path parameter, and every path parameter is in the path.
        const templated = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        const declared = parameters
          .filter((q) => q.in === "path")
          .map((q) => q.name)
          .sort();
        expect(declared, where).toEqual(templated);
      }
      if (operation.requestBody) {
        expect(Object.keys(operation.requestBody.content).length, where).toBeGreaterThan(0);
        for (const media of Object.values(operation.requestBody.content))
          expect(isObject(media.schema), where).toBe(true);
      }
      expect(Object.keys(operation.responses).length, where).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(status, where).toMatch(/^([1-5](\d\d|XX)|default)$/);
        expect(
          "description" in response && typeof response.description === "string",
          `${where} ${status}`,
        ).toBe(true);
      }
    }
  });

  it("resolves every $ref, and its schemas are valid JSON Schema 2020-12", () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(0);
    for (const { at, ref } of all) expect(pointer(doc, ref), `${at}: ${ref}`).toBeDefined();
    for (const [name, schema] of Object.entries(doc.components.schemas))
      expect(schemaProblems(schema, `#/components/schemas/${name}`)).toEqual([]);
    for (const { where, operation } of operations()) {
      for (const parameter of operation.parameters ?? [])
        expect(schemaProblems(parameter.schema, where)).toEqual([]);
      const media = [
        ...Object.values(operation.requestBody?.content ?? {}),
        ...Object.values(operation.responses).flatMap((r) =>
          "content" in r ? Object.values(r.content ?? {}) : [],
        ),
      ];
      for (const m of media) expect(schemaProblems(m.schema, where)).toEqual([]);
    }
    for (const [name, header] of Object.entries(doc.components.headers))
      expect(schemaProblems(header.schema, `#/components/headers/${name}`)).toEqual([]);
  });

  it("passes the official OAS 3.1 schema (openapi-spec-validator), where this machine has it", () => {
    const probe = spawnSync("python3", ["-c", "import openapi_spec_validator"], { encoding: "utf8" });
    if (probe.status !== 0) {
      console.warn(
        "[openapi.test] python3 openapi-spec-validator not installed: the official check is skipped",
      );
      return;
    }
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "openapi-")), "openapi.json");
    fs.writeFileSync(file, JSON.stringify(doc));
    const result = spawnSync("python3", ["-m", "openapi_spec_validator", "--schema", "3.1", file], {
      encoding: "utf8",
    });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe(`${file}: OK`);
  });
});

describe("the document covers the API", () => {
  /** Every route.ts under app/api/v1, as `METHOD /api/v1/...` per exported method handler. */
  function routeFiles(
    dir = "app/api/v1",
  ): Array<{ file: string; route: string; methods: string[]; names: string[] }> {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return routeFiles(full);
      if (entry.name !== "route.ts") return [];
      const text = fs.readFileSync(full, "utf8");
      const methods = [...text.matchAll(/export\s+const\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)].map(
        (m) => m[1] ?? "",
      );
      const names = [...text.matchAll(/defineApiRoute(?:<[^>]*>)?\(\s*"([^"]+)"/g)].map((m) => m[1] ?? "");
      return [{ file: full, route: `/${dir}`.replace(/^\/app/, ""), methods, names }];
    });
  }

  it("has every route file's method and path, built on defineApiRoute under its own name", () => {
    const files = routeFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const { file, route, methods, names } of files) {
      expect(methods.length, file).toBeGreaterThan(0);
      expect(fs.readFileSync(file, "utf8"), file).not.toMatch(/export\s+(async\s+)?function/);
      expect(names.sort(), `${file}: each method on defineApiRoute("METHOD ${route}")`).toEqual(
        methods.map((m) => `${m} ${route}`).sort(),
      );
      for (const method of methods) {
        const name = `${method} ${route}`;
        expect(Object.keys(API_ROUTE_PERMISSIONS), `${file}: ${name}`).toContain(name);
        const { method: m, path: p } = openApiPathOf(name as ApiRouteName);
        expect(doc.paths[p]?.[m], `${name} is in the document as ${m.toUpperCase()} ${p}`).toBeDefined();
      }
    }
    const inFiles = files.flatMap((f) => f.methods.map((m) => `${m} ${f.route}`));
    for (const name of Object.keys(API_ROUTE_PERMISSIONS))
      expect(inFiles, `${name} has a route file`).toContain(name);
  });

  it("describes each API_ROUTE_PERMISSIONS entry once, with its permission and error answers", () => {
    const described = API_ENDPOINTS.map((e) => e.route);
    expect(new Set(described).size).toBe(described.length);
    expect([...described].sort()).toEqual(Object.keys(API_ROUTE_PERMISSIONS).sort());
    const pathCount = Object.values(doc.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
    expect(pathCount).toBe(described.length);
    for (const spec of API_ENDPOINTS) {
      const { method, path: p } = openApiPathOf(spec.route);
      const operation = doc.paths[p]?.[method];
      if (!operation) throw new Error(`${spec.route} missing`);
      const requirement = API_ROUTE_PERMISSIONS[spec.route];
      if (requirement === "public") expect(operation.security, spec.route).toEqual([]);
      else expect(operation["x-permission"], spec.route).toBe(requirement);
      const expected: ApiErrorCode[] =
        requirement === "public"
          ? [...spec.errors, "INTERNAL"]
          : [...spec.errors, "UNAUTHENTICATED", "FORBIDDEN", "RATE_LIMITED", "INTERNAL"];
      for (const code of expected) {
        const response = operation.responses[String(API_ERRORS[code].status)];
        expect(
          response && "description" in response && response.description,
          `${spec.route} ${code}`,
        ).toContain(`\`${code}\``);
      }
      if (requirement !== "public") {
        const limited = operation.responses["429"];
        expect(limited && "headers" in limited ? limited.headers : {}, spec.route).toHaveProperty(
          "Retry-After",
        );
        for (const status of Object.keys(spec.responses)) {
          const ok = operation.responses[status];
          expect(ok && "headers" in ok ? ok.headers : {}, `${spec.route} ${status}`).toHaveProperty(
            "X-RateLimit-Remaining",
          );
        }
      }
      expect(operation.description, spec.route).toContain(spec.example);
    }
  });

  it("describes every webhook event: the envelope, its data and the signature headers", () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const [type, { post }] of Object.entries(doc.webhooks)) {
      expect((post.parameters ?? []).map((p) => `${p.in}:${p.name}`)).toEqual([
        `header:${WEBHOOK_ID_HEADER}`,
        `header:${WEBHOOK_TIMESTAMP_HEADER}`,
        `header:${WEBHOOK_SIGNATURE_HEADER}`,
      ]);
      const schema = post.requestBody?.content["application/json"]?.schema;
      const envelope = pointer(doc, String(schema?.$ref)) as Json;
      expect(envelope.required).toEqual(["id", "type", "createdAt", "data"]);
      expect(JSON.stringify(envelope.properties)).toContain(JSON.stringify(type));
    }
  });
});

const when = new Date("2026-12-01T08:30:00.000Z");
const campaignRow = {
  id: "cmp_1",
  name: "Points",
  status: "ACTIVE" as const,
  rail: "CASH_CAMPAIGN" as const,
  prizeType: "FIXED" as const,
  budgetFen: 10_000,
  packetCount: 50,
  reservedFen: 200,
  spentFen: 400,
  refundedFen: 0,
  sentCount: 2,
  alipayStatus: "READY",
  payUrl: null,
  startsAt: null,
  endsAt: when,
  createdAt: when,
  updatedAt: when,
};
const payoutRow = {
  id: "pay_1",
  campaignId: "cmp_1",
  outBizNo: "points_1",
  status: "SUCCEEDED" as const,
  amountFen: 200,
  awardedFen: 200,
  identityType: "USER_ID" as const,
  identity: "2088000000000001",
  scene: "POINTS_REDEMPTION" as const,
  memo: null,
  source: "API" as const,
  autoApproved: true,
  failureCode: null,
  failureMessage: null,
  attentionReason: null,
  decisionReason: null,
  createdAt: when,
  updatedAt: when,
  succeededAt: when,
};

describe("the document is true to the code", () => {
  const schemas = doc.components.schemas;

  it("describes what the API writes", () => {
    expect(validate(toApiCampaign(campaignRow), { $ref: "#/components/schemas/Campaign" }, doc)).toEqual([]);
    expect(validate(toApiPayout(payoutRow), { $ref: "#/components/schemas/Payout" }, doc)).toEqual([]);
    for (const code of Object.keys(API_ERRORS)) {
      const body = {
        error: { code, message: "m", ...(code === "VALIDATION" ? { fields: { x: ["y"] } } : {}) },
      };
      expect(validate(body, { $ref: "#/components/schemas/Error" }, doc), code).toEqual([]);
    }
    expect(validate({ error: { code: "NOPE", message: "m" } }, schemas.Error ?? false, doc)).not.toEqual([]);
    expect(
      validate({ ...toApiCampaign(campaignRow), budgetFen: "100" }, schemas.Campaign ?? false, doc),
    ).not.toEqual([]);
  });

  it("describes webhook bodies as lib/webhooks/signing.ts writes them", () => {
    const payoutEvent = JSON.parse(
      webhookBody({ id: "evt_1", type: "payout.succeeded", createdAt: when, data: toApiPayout(payoutRow) }),
    ) as unknown;
    const campaignEvent = JSON.parse(
      webhookBody({
        id: "evt_2",
        type: "campaign.active",
        createdAt: when,
        data: toApiCampaign(campaignRow),
      }),
    ) as unknown;
    expect(validate(payoutEvent, { $ref: "#/components/schemas/PayoutEvent" }, doc)).toEqual([]);
    expect(validate(campaignEvent, { $ref: "#/components/schemas/CampaignEvent" }, doc)).toEqual([]);
    expect(validate(payoutEvent, { $ref: "#/components/schemas/CampaignEvent" }, doc)).not.toEqual([]);
  });

  it("gives examples that its own schemas accept", () => {
    const nodes = schemasWithExamples(doc);
    expect(nodes.length).toBeGreaterThan(5);
    for (const { at, schema } of nodes) {
      const { examples, ...rest } = schema;
      for (const example of examples as unknown[]) expect(validate(example, rest, doc), at).toEqual([]);
    }
  });
});

describe("docs/api.md", () => {
  const text = fs.readFileSync("docs/api.md", "utf8");

  it("lists every error code, endpoint and webhook event", () => {
    for (const [code, { status }] of Object.entries(API_ERRORS))
      expect(text, code).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
    for (const spec of API_ENDPOINTS) {
      const { method, path: p } = openApiPathOf(spec.route);
      expect(text, spec.route).toContain(`${method.toUpperCase()} ${p}`);
    }
    for (const type of WEBHOOK_EVENT_TYPES) expect(text, type).toContain(`\`${type}\``);
  });

  it("verifies webhooks exactly as lib/webhooks/signing.ts signs them", async () => {
    // The TypeScript block after the `verify-webhook` marker, run as a module of its own.
    const snippet = /<!-- verify-webhook -->\s*```ts\n([\s\S]*?)```/.exec(text)?.[1];
    expect(snippet, "docs/api.md has a ```ts block after <!-- verify-webhook -->").toBeDefined();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "verify-webhook-")), "verify.ts");
    fs.writeFileSync(file, snippet ?? "");
    const { verifyHongbaoWebhook } = (await import(/* @vite-ignore */ file)) as {
      verifyHongbaoWebhook: (secret: string, headers: Headers, rawBody: string, now?: Date) => boolean;
    };
    const secret = "whsec_test-secret";
    const raw = webhookBody({
      id: "evt_1",
      type: "payout.succeeded",
      createdAt: when,
      data: toApiPayout(payoutRow),
    });
    const now = new Date();
    const signed = new Headers(signWebhook(secret, "evt_1", raw, now));
    expect(verifyHongbaoWebhook(secret, signed, raw, now)).toBe(true);
    expect(verifyHongbaoWebhook("whsec_other", signed, raw, now)).toBe(false);
    expect(verifyHongbaoWebhook(secret, signed, raw.replace("200", "20000"), now)).toBe(false);
    // Older than 5 minutes: refused even with a good signature.
    const old = new Headers(signWebhook(secret, "evt_1", raw, new Date(now.getTime() - 301_000)));
    expect(verifyHongbaoWebhook(secret, old, raw, now)).toBe(false);
    const rotated = new Headers(signed);
    rotated.set(
      WEBHOOK_SIGNATURE_HEADER,
      `v1=${"0".repeat(64)} ${signed.get(WEBHOOK_SIGNATURE_HEADER) ?? ""}`,
    );
    expect(verifyHongbaoWebhook(secret, rotated, raw, now)).toBe(true);
  });
});
