/**
 * What an administrator (or `npm run apikey:create`) may ask for when creating an API key. Pure: checked the
 * same way in the browser and on the server; messages are i18n keys.
 */
import { z } from "zod";
import { recordIdSchema, storableText } from "./text";
import type { Permission } from "@/lib/auth/permissions";
import { listQuerySchema } from "./list-query";

/** The permissions an API key can hold: what the machine API offers, nothing about people or settings. */
export const API_KEY_PERMISSIONS = [
  "payout:request",
  "payout:read",
  "campaign:read",
  "campaign:create",
  /** Asks Alipay whether a campaign's budget was paid (POST …/sync), as "Refresh" does in the console. */
  "campaign:fund",
  "campaign:manage",
] as const satisfies readonly Permission[];
export type ApiKeyPermission = (typeof API_KEY_PERMISSIONS)[number];

export const API_KEY_RATE_DEFAULT = 600;
export const API_KEY_RATE_MAX = 60_000;

export const createApiKeySchema = z.object({
  name: storableText(
    z.string("validation.required").trim().min(1, "validation.required").max(100, "validation.tooLong"),
  ),
  permissions: z
    .array(z.enum(API_KEY_PERMISSIONS, "validation.invalidOption"), "validation.required")
    .min(1, "apiKeys.validation.permissionsRequired")
    .transform((list) => [...new Set(list)]),
  /** null = every campaign; otherwise at least one campaign id. */
  campaignIds: z
    .array(storableText(z.string().min(1).max(64)), "validation.required")
    .min(1, "apiKeys.validation.campaignsRequired")
    .max(500, "validation.tooLong")
    .transform((list) => [...new Set(list)])
    .nullable(),
  ratePerMinute: z.coerce
    .number("validation.required")
    .int("validation.invalidNumber")
    .min(1, "validation.tooSmall")
    .max(API_KEY_RATE_MAX, "validation.tooBig"),
});
export type CreateApiKeyInput = z.output<typeof createApiKeySchema>;
export type CreateApiKeyFormValues = z.input<typeof createApiKeySchema>;

export const apiKeyIdSchema = z.object({ apiKeyId: recordIdSchema });

export const API_KEY_STATUSES = ["active", "revoked"] as const;

/** The settings page's table: `?q=` searches the name and the prefix, `?status=` filters active or revoked. */
export const apiKeysListQuerySchema = listQuerySchema(["createdAt", "name", "lastUsedAt"], {
  field: "createdAt",
  direction: "desc",
}).extend({
  status: z.enum(API_KEY_STATUSES).optional().catch(undefined),
});
export type ApiKeysListQuery = z.output<typeof apiKeysListQuerySchema>;
