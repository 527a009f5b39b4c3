/**
 * Text as the database can take it. PostgreSQL's text cannot hold U+0000 (NUL), and an unpaired UTF-16
 * surrogate cannot be encoded at all (Prisma refuses the query's parameters, jsonb refuses the value): a value
 * carrying either makes the INSERT, or even a lookup by it, fail inside the service, which the caller would see as
 * a fault (500) instead of a refusal. Nobody types them, so the forms' and the API's free text and ids refuse them
 * as "not valid", naming the field. Pure: checked the same way in the browser and on the server.
 */
import { z } from "zod";

/** NUL, and a surrogate without its partner. Global: for `replace` (and `search`, which ignores lastIndex). */
export const UNSTORABLE_CHARACTERS =
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function isStorableText(value: string): boolean {
  return value.search(UNSTORABLE_CHARACTERS) === -1;
}

export function storableText<S extends z.ZodString>(schema: S): S {
  return schema.refine(isStorableText, "validation.invalid");
}

/** A record's id as an action receives it (users, keys, payouts, batches, webhook endpoints). */
export const recordIdSchema = storableText(
  z.string("validation.required").min(1, "validation.required").max(64),
);
