/**
 * Just enough JSON Schema 2020-12 for the tests of the OpenAPI document (no validator that knows 2020-12 is
 * installed, and adding one for tests alone was not worth a dependency: docs/decisions/020-openapi-from-zod.md).
 *
 * - `schemaProblems` checks that a schema is well-formed 2020-12: every keyword is one the dialect defines
 *   (a misspelt keyword is silently ignored by validators, so it is an error here), and each keyword's value
 *   has the type the specification requires (`required` an array of unique strings, `pattern` a valid regular
 *   expression, subschemas objects or booleans…).
 * - `validate` checks a value against a schema for the keywords the document uses, and refuses a schema with
 *   any other validating keyword rather than pass it unchecked.
 */

type Schema = { [keyword: string]: unknown } | boolean;
type Json = { [key: string]: unknown };

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const TYPES = new Set(["null", "boolean", "object", "array", "number", "string", "integer"]);

/** Keywords whose value is one subschema. */
const SUBSCHEMA = new Set([
  "not",
  "if",
  "then",
  "else",
  "items",
  "contains",
  "additionalProperties",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contentSchema",
]);
/** Keywords whose value is a non-empty array of subschemas. */
const SUBSCHEMA_ARRAY = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
/** Keywords whose value is an object of subschemas. */
const SUBSCHEMA_MAP = new Set(["properties", "patternProperties", "dependentSchemas", "$defs"]);
const NON_NEGATIVE_INTEGER = new Set([
  "maxLength",
  "minLength",
  "maxItems",
  "minItems",
  "maxContains",
  "minContains",
  "maxProperties",
  "minProperties",
]);
const NUMBER = new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]);
const STRING = new Set([
  "$id",
  "$schema",
  "$ref",
  "$anchor",
  "$dynamicRef",
  "$dynamicAnchor",
  "$comment",
  "title",
  "description",
  "format",
  "contentEncoding",
  "contentMediaType",
  "pattern",
]);
const BOOLEAN = new Set(["uniqueItems", "deprecated", "readOnly", "writeOnly"]);
/** Keywords whose value may be anything (annotations and value assertions). */
const ANY_VALUE = new Set(["default", "const"]);
const OTHER = new Set([
  "type",
  "enum",
  "required",
  "dependentRequired",
  "examples",
  "$vocabulary",
  // The OpenAPI 3.1 base dialect's own keywords (https://spec.openapis.org/oas/3.1/dialect/base).
  "discriminator",
  "xml",
  "externalDocs",
  "example",
]);

const ALL_KEYWORDS = new Set([
  ...SUBSCHEMA,
  ...SUBSCHEMA_ARRAY,
  ...SUBSCHEMA_MAP,
  ...NON_NEGATIVE_INTEGER,
  ...NUMBER,
  ...STRING,
  ...BOOLEAN,
  ...ANY_VALUE,
  ...OTHER,
]);

function isUniqueStrings(value: unknown): boolean {
  return (
    Array.isArray(value) && value.every((v) => typeof v === "string") && new Set(value).size === value.length
  );
}

/** Problems with a schema as JSON Schema 2020-12 (with the OpenAPI base dialect's keywords), by JSON path. */
export function schemaProblems(schema: unknown, path = "#"): string[] {
  if (typeof schema === "boolean") return [];
  if (!isObject(schema)) return [`${path}: a schema is an object or a boolean`];
  const problems: string[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    const at = `${path}/${keyword}`;
    if (keyword.startsWith("x-")) continue;
    if (!ALL_KEYWORDS.has(keyword)) problems.push(`${at}: not a JSON Schema 2020-12 keyword`);
    else if (SUBSCHEMA.has(keyword)) problems.push(...schemaProblems(value, at));
    else if (SUBSCHEMA_ARRAY.has(keyword)) {
      if (!Array.isArray(value) || value.length === 0) problems.push(`${at}: a non-empty array of schemas`);
      else value.forEach((inner, i) => problems.push(...schemaProblems(inner, `${at}/${i}`)));
    } else if (SUBSCHEMA_MAP.has(keyword)) {
      if (!isObject(value)) problems.push(`${at}: an object of schemas`);
      else
        for (const [name, inner] of Object.entries(value))
          problems.push(...schemaProblems(inner, `${at}/${name}`));
    } else if (NON_NEGATIVE_INTEGER.has(keyword)) {
      if (!Number.isInteger(value) || (value as number) < 0) problems.push(`${at}: a non-negative integer`);
    } else if (NUMBER.has(keyword)) {
      if (typeof value !== "number" || !Number.isFinite(value)) problems.push(`${at}: a number`);
      else if (keyword === "multipleOf" && value <= 0) problems.push(`${at}: greater than 0`);
    } else if (STRING.has(keyword)) {
      if (typeof value !== "string") problems.push(`${at}: a string`);
      else if (keyword === "pattern") {
        try {
          // ECMA-262 with Unicode, as 2020-12 says patterns are.
          new RegExp(value, "u");
        } catch (error) {
          problems.push(`${at}: not a valid regular expression (${(error as Error).message})`);
        }
      }
    } else if (BOOLEAN.has(keyword)) {
      if (typeof value !== "boolean") problems.push(`${at}: a boolean`);
    } else if (keyword === "type") {
      const list = Array.isArray(value) ? value : [value];
      if (
        list.length === 0 ||
        !list.every((t) => typeof t === "string" && TYPES.has(t)) ||
        !isUniqueStrings(list)
      )
        problems.push(`${at}: one of ${[...TYPES].join(", ")} or a unique array of them`);
    } else if (keyword === "enum") {
      if (!Array.isArray(value) || value.length === 0) problems.push(`${at}: a non-empty array`);
    } else if (keyword === "required") {
      if (!isUniqueStrings(value)) problems.push(`${at}: an array of unique strings`);
    } else if (keyword === "examples") {
      if (!Array.isArray(value)) problems.push(`${at}: an array`);
    } else if (keyword === "dependentRequired") {
      if (!isObject(value) || !Object.values(value).every(isUniqueStrings))
        problems.push(`${at}: an object of arrays of unique strings`);
    }
  }
  if (
    Array.isArray(schema.required) &&
    isObject(schema.properties) &&
    schema.additionalProperties === false
  ) {
    for (const name of schema.required)
      if (typeof name === "string" && !(name in schema.properties))
        problems.push(`${path}/required: "${name}" can never be present (not in properties)`);
  }
  return problems;
}

/** Keywords that never make a value invalid. */
const ANNOTATIONS = new Set([
  "$schema",
  "$id",
  "$comment",
  "title",
  "description",
  "default",
  "examples",
  "example",
  "deprecated",
  "readOnly",
  "writeOnly",
  // Not asserted by default in 2020-12; the patterns zod writes beside it assert the same.
  "format",
]);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function resolve(ref: string, root: unknown): Schema {
  if (!ref.startsWith("#/")) throw new Error(`cannot resolve ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) {
    const key = decodeURIComponent(part).replaceAll("~1", "/").replaceAll("~0", "~");
    if (!isObject(node) || !(key in node)) throw new Error(`${ref} does not resolve`);
    node = node[key];
  }
  if (typeof node !== "boolean" && !isObject(node)) throw new Error(`${ref} is not a schema`);
  return node;
}

/**
 * Where `value` breaks `schema` (empty when it conforms). `root` is the document `$ref`s point into
 * (`#/components/schemas/…`). Throws on a keyword it does not implement.
 */
export function validate(value: unknown, schema: Schema, root: unknown, path = "$"): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: nothing is allowed here`];
  const errors: string[] = [];
  for (const [keyword, expected] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword) || keyword.startsWith("x-")) continue;
    switch (keyword) {
      case "$ref":
        errors.push(...validate(value, resolve(String(expected), root), root, path));
        break;
      case "type": {
        const types = Array.isArray(expected) ? expected : [expected];
        const actual = typeOf(value);
        if (!types.includes(actual) && !(actual === "integer" && types.includes("number")))
          errors.push(`${path}: ${actual}, expected ${types.join(" or ")}`);
        break;
      }
      case "enum":
        if (!(expected as unknown[]).some((option) => JSON.stringify(option) === JSON.stringify(value)))
          errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(expected)}`);
        break;
      case "const":
        if (JSON.stringify(expected) !== JSON.stringify(value))
          errors.push(`${path}: ${JSON.stringify(value)} is not ${JSON.stringify(expected)}`);
        break;
      case "properties":
        if (isObject(value)) {
          for (const [name, inner] of Object.entries(expected as Record<string, Schema>))
            if (name in value) errors.push(...validate(value[name], inner, root, `${path}.${name}`));
        }
        break;
      case "required":
        if (isObject(value))
          for (const name of expected as string[])
            if (!(name in value)) errors.push(`${path}.${name}: missing`);
        break;
      case "additionalProperties":
        if (isObject(value)) {
          const known = isObject(schema.properties) ? schema.properties : {};
          for (const [name, inner] of Object.entries(value))
            if (!(name in known))
              errors.push(...validate(inner, expected as Schema, root, `${path}.${name}`));
        }
        break;
      case "propertyNames":
        if (isObject(value))
          for (const name of Object.keys(value))
            errors.push(...validate(name, expected as Schema, root, `${path}[${JSON.stringify(name)}]`));
        break;
      case "items":
        if (Array.isArray(value))
          value.forEach((item, i) =>
            errors.push(...validate(item, expected as Schema, root, `${path}[${i}]`)),
          );
        break;
      case "anyOf":
        if (!(expected as Schema[]).some((option) => validate(value, option, root, path).length === 0))
          errors.push(`${path}: matches none of anyOf`);
        break;
      case "oneOf":
        if (
          (expected as Schema[]).filter((option) => validate(value, option, root, path).length === 0)
            .length !== 1
        )
          errors.push(`${path}: does not match exactly one of oneOf`);
        break;
      case "allOf":
        for (const option of expected as Schema[]) errors.push(...validate(value, option, root, path));
        break;
      case "minimum":
        if (typeof value === "number" && value < (expected as number))
          errors.push(`${path}: below ${expected}`);
        break;
      case "maximum":
        if (typeof value === "number" && value > (expected as number))
          errors.push(`${path}: above ${expected}`);
        break;
      case "minLength":
        if (typeof value === "string" && [...value].length < (expected as number))
          errors.push(`${path}: shorter than ${expected}`);
        break;
      case "maxLength":
        if (typeof value === "string" && [...value].length > (expected as number))
          errors.push(`${path}: longer than ${expected}`);
        break;
      case "pattern":
        if (typeof value === "string" && !new RegExp(expected as string, "u").test(value))
          errors.push(`${path}: ${JSON.stringify(value)} does not match ${expected}`);
        break;
      default:
        throw new Error(`${path}: the test validator does not implement "${keyword}"`);
    }
  }
  return errors;
}
