/**
 * `npm run apikey:create -- --name "Points mall" --permissions payout:request,payout:read --campaigns all`
 * creates an API key against DATABASE_URL (how the first integration of a production installation gets its key,
 * before anyone signs in). `--campaigns` takes campaign ids separated by commas, or `all`; `--rate` is requests
 * per minute. Audited as the system actor `cli`. The secret is the LAST line of stdout, so a provisioning
 * script can take it with `| tail -n 1`; it is never shown again.
 */
import "../lib/load-env-files";
import { parseArgs } from "node:util";
import { systemActor } from "../lib/auth/actor";
import { createApiKey } from "../lib/api-keys/service";
import { env } from "../lib/env";
import { DomainError, type FieldErrors } from "../lib/errors";
import { translate } from "../lib/i18n/messages";
import { API_KEY_PERMISSIONS, API_KEY_RATE_DEFAULT, createApiKeySchema } from "../lib/validation/api-keys";
import { fieldErrorsFromZod } from "../lib/validation/errors";

const USAGE =
  "Usage: npm run apikey:create -- --name <name> --permissions <p1,p2> --campaigns <id1,id2>|all [--rate <n>]";

/** The command-line flag for each field of createApiKeySchema, so errors name what the operator typed. */
const FLAGS: Record<string, string> = {
  name: "--name",
  permissions: "--permissions",
  campaignIds: "--campaigns",
  ratePerMinute: "--rate",
};

/** Field errors in English, one line per field, then the usage; exit code 1 (bad input). */
function refuse(fieldErrors: FieldErrors): never {
  for (const [path, refs] of Object.entries(fieldErrors)) {
    const field = path.split(".")[0] ?? path;
    const text = refs.map((ref) => translate("en", ref.key, ref.params)).join(" ");
    const extra = field === "permissions" ? ` Allowed: ${API_KEY_PERMISSIONS.join(", ")}.` : "";
    console.error(`${FLAGS[field] ?? field}: ${text}${extra}`);
  }
  console.error(USAGE);
  process.exit(1);
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

async function main() {
  let values: { name?: string; permissions?: string; campaigns?: string; rate?: string };
  try {
    ({ values } = parseArgs({
      options: {
        name: { type: "string" },
        permissions: { type: "string" },
        campaigns: { type: "string" },
        rate: { type: "string" },
      },
    }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    process.exit(1);
  }
  // No default: a key for every campaign must be asked for, never obtained by leaving the flag out.
  if (values.campaigns === undefined || values.campaigns.trim() === "") {
    console.error(
      "--campaigns: Required. Pass --campaigns all for every campaign, or the campaign ids separated by commas.",
    );
    console.error(USAGE);
    process.exit(1);
  }
  const parsed = createApiKeySchema.safeParse({
    name: values.name,
    permissions: values.permissions === undefined ? undefined : list(values.permissions),
    campaignIds: values.campaigns.trim() === "all" ? null : list(values.campaigns),
    ratePerMinute: values.rate ?? API_KEY_RATE_DEFAULT,
  });
  if (!parsed.success) refuse(fieldErrorsFromZod(parsed.error));
  if (!env.DATABASE_URL) {
    console.error(
      "DATABASE_URL is not set. In demo mode, sign in as admin@example.com and use Settings → API keys.",
    );
    process.exit(2);
  }
  try {
    const { key, secret } = await createApiKey(systemActor("cli"), parsed.data);
    const campaigns =
      key.campaigns === null ? "all" : key.campaigns.map((c) => `${c.name} (${c.id})`).join(", ");
    console.log(`Created API key "${key.name}" (${key.prefix}…, id ${key.id})`);
    console.log(`  permissions: ${key.permissions.join(", ")}`);
    console.log(`  campaigns:   ${campaigns}`);
    console.log(`  rate:        ${key.ratePerMinute} requests per minute`);
    console.log(
      "The secret follows. It is shown only this once: store it in your backend's secret store now.",
    );
    console.log(secret);
  } catch (error) {
    if (error instanceof DomainError) {
      if (error.fieldErrors) refuse(error.fieldErrors);
      console.error(`Refused: ${translate("en", error.ref.key, error.ref.params)}`);
      process.exit(1);
    }
    throw error;
  }
  process.exit(0);
}

await main();
