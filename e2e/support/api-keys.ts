/**
 * API keys for the security specs, made the way an administrator makes them (the console's create and revoke
 * actions, with the admin's session), and a record of every secret handed out, which the secrets scan
 * (e2e/secrets.scan.ts) then looks for in the bundles, the server log and the exports.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext } from "@playwright/test";
import type { ApiKeyPermission } from "../../lib/validation/api-keys";
import { actionOutcome, postAction, serverAction } from "./build";

/** Where the specs write the secrets they were given (Playwright empties test-results/ before each run). */
export const CREATED_SECRETS_FILE = path.resolve("test-results", "created-secrets.txt");

export function rememberSecret(secret: string): void {
  fs.mkdirSync(path.dirname(CREATED_SECRETS_FILE), { recursive: true });
  fs.appendFileSync(CREATED_SECRETS_FILE, `${secret}\n`);
}

export type CreatedKey = { id: string; secret: string };

export async function createApiKey(
  admin: APIRequestContext,
  name: string,
  permissions: readonly ApiKeyPermission[],
  campaignIds: string[] | null = null,
): Promise<CreatedKey> {
  const response = await postAction(admin, serverAction("createApiKeyAction"), [
    { name, permissions, campaignIds, ratePerMinute: 600 },
  ]);
  const body = await response.text();
  const secret = /"secret":"(hbk_live_[A-Za-z0-9_-]+)"/.exec(body)?.[1];
  const id = /"key":\{"id":"([^"]+)"/.exec(body)?.[1];
  if (!secret || !id) throw new Error(`creating the key failed: ${body.slice(0, 300)}`);
  rememberSecret(secret);
  return { id, secret };
}

export async function revokeApiKey(admin: APIRequestContext, id: string): Promise<void> {
  const response = await postAction(admin, serverAction("revokeApiKeyAction"), [{ apiKeyId: id }]);
  expect(await actionOutcome(response)).toBe("OK");
}

export function bearer(secret: string): Record<string, string> {
  return { authorization: `Bearer ${secret}` };
}
