/** `npm run apikey:create` (scripts/create-api-key.ts), run as a separate process against the test database. */
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { databaseOnlyEnv, startConsoleScript } from "../../test/support/child-process";
import { authenticateApiKey } from "./service";

const SCRIPT = "scripts/create-api-key.ts";

/** Runs the CLI to its end, stdout and stderr fully read (the `close` event, not just `exit`). */
async function runCli(args: string[]) {
  const run = startConsoleScript(SCRIPT, args, databaseOnlyEnv());
  const closed = new Promise<void>((resolve) => run.child.on("close", () => resolve()));
  const { code } = await run.exited;
  await closed;
  const stdout = run.stdout();
  return { code, stdout, output: run.output(), lastLine: stdout.trimEnd().split("\n").at(-1) ?? "" };
}

describe("npm run apikey:create", () => {
  it("creates the key and prints the secret as the last line of stdout", async () => {
    const name = `cli-${crypto.randomUUID().slice(0, 8)}`;
    const result = await runCli([
      "--name",
      name,
      "--permissions",
      "payout:request, payout:read",
      "--campaigns",
      "all",
      "--rate",
      "120",
    ]);
    expect(result.code, result.output).toBe(0);
    expect(result.lastLine).toMatch(/^hbk_live_[A-Za-z0-9_-]{43}$/);
    expect(result.stdout).toContain(`Created API key "${name}"`);
    expect(result.stdout.split(result.lastLine)).toHaveLength(2); // the secret is printed once

    const stored = await db.apiKey.findFirstOrThrow({ where: { name } });
    expect(stored).toMatchObject({
      permissions: ["payout:request", "payout:read"],
      allCampaigns: true,
      ratePerMinute: 120,
      createdByLabel: "cli",
    });
    const actor = await authenticateApiKey(result.lastLine, { ip: null, userAgent: null });
    expect(actor.keyId).toBe(stored.id);
    expect(await db.auditEvent.count({ where: { entityId: stored.id, action: "api_key.create" } })).toBe(1);
  });

  it("refuses an unknown permission with exit code 1, naming the field in English, and creates nothing", async () => {
    const name = `cli-bad-${crypto.randomUUID().slice(0, 8)}`;
    const result = await runCli([
      "--name",
      name,
      "--permissions",
      "payout:request,user:manage",
      "--campaigns",
      "all",
    ]);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain("--permissions: Choose one of the options.");
    expect(result.output).toContain("Allowed: payout:request");
    expect(result.stdout).not.toContain("hbk_live_");
    expect(await db.apiKey.count({ where: { name } })).toBe(0);
  });

  it("requires --campaigns explicitly (ids or all) and refuses an unknown campaign id", async () => {
    const name = `cli-scope-${crypto.randomUUID().slice(0, 8)}`;
    const missing = await runCli(["--name", name, "--permissions", "payout:read"]);
    expect(missing.code, missing.output).toBe(1);
    expect(missing.output).toContain("--campaigns: Required. Pass --campaigns all");

    const unknown = await runCli(["--name", name, "--permissions", "payout:read", "--campaigns", "nope-1"]);
    expect(unknown.code, unknown.output).toBe(1);
    expect(unknown.output).toContain("--campaigns: One of the campaigns does not exist.");
    expect(await db.apiKey.count({ where: { name } })).toBe(0);
  });
});
