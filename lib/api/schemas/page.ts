/**
 * What every list endpoint of the machine API shares: the `cursor` and `limit` query fields and the
 * `{ data, nextCursor }` page. One definition, so the lists page alike and the OpenAPI document describes them
 * alike. Pure, like the schemas that use it.
 */
import { z } from "zod";
import { CURSOR_MAX_LENGTH, decodeCursor } from "@/lib/api/cursor";

/** Page sizes of every list: the api.validation.limit message states them, so no list may differ. */
export const API_LIST_LIMIT_DEFAULT = 50;
export const API_LIST_LIMIT_MAX = 200;

/**
 * The `cursor` and `limit` query fields, to spread into a list's query schema; `noun` names the items in
 * the limit's description ("Payouts" → "Payouts per page (1–200)").
 */
export function pageQueryFields(noun: string) {
  return {
    cursor: z
      .string()
      .max(CURSOR_MAX_LENGTH, "api.validation.cursor")
      .refine((value) => decodeCursor(value) !== null, "api.validation.cursor")
      .optional()
      .meta({ description: "`nextCursor` of the previous page, as it was" }),
    limit: z.coerce
      .number("api.validation.limit")
      .int("api.validation.limit")
      .min(1, "api.validation.limit")
      .max(API_LIST_LIMIT_MAX, "api.validation.limit")
      .default(API_LIST_LIMIT_DEFAULT)
      .meta({ description: `${noun} per page (1–${API_LIST_LIMIT_MAX})` }),
  };
}

/** One page of `item`s, newest first (the cursor is a createdAt keyset), as the OpenAPI component `id`. */
export function listOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      data: z.array(item).meta({ description: "Newest first" }),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: "Pass as `cursor` for the next page; null on the last page" }),
    })
    .meta({ id });
}
