/**
 * The secrets scan, run after every other journey (the "secrets" project in playwright.config.ts): none of the
 * e2e console's secrets may appear in the client bundles (.next/static), in the server's whole log so far, or in
 * any CSV the console exports. Looked for: the Alipay private keys the console and its simulator sign with
 * (DATA_DIR/keys), the session secret (AUTH_SECRET, or the one the launcher generated into DATA_DIR), and any
 * API-key or webhook signing secret in their prefixed format (lib/prefixed-secret.ts), including, without their
 * prefix, the ones the specs were given (test-results/created-secrets.txt).
 */
import fs from "node:fs";
import path from "node:path";
import { expect, request, test } from "@playwright/test";
import { storageStateFor } from "./support/accounts";
import { CREATED_SECRETS_FILE } from "./support/api-keys";
import { BASE_URL, SERVER_LOG } from "./support/server";

/** The e2e server's DATA_DIR (playwright.config.ts). */
const DATA_DIR = path.resolve(".data/e2e");

/** `hbk_live_` (API keys) and `whsec_` (webhook signing secrets), then 32 random bytes as base64url. */
const SECRET_FORMATS = [/hbk_live_[A-Za-z0-9_-]{43}/, /whsec_[A-Za-z0-9_-]{43}/];

/** What must never be seen, each under a name for the failure message. */
function secrets(): Map<string, string> {
  const found = new Map<string, string>();
  for (const name of ["app-private.pem", "alipay-private.pem"]) {
    const pem = fs.readFileSync(path.join(DATA_DIR, "keys", name), "utf8");
    const lines = pem.split("\n").filter((line) => line && !line.startsWith("-----"));
    // Any one line of the key body is a leak, however the rest was wrapped or escaped.
    lines.forEach((line, i) => found.set(`${name} line ${i + 1}`, line.trim()));
  }
  if (process.env.ALIPAY_PRIVATE_KEY) found.set("ALIPAY_PRIVATE_KEY", process.env.ALIPAY_PRIVATE_KEY);
  const authSecret =
    process.env.AUTH_SECRET ?? fs.readFileSync(path.join(DATA_DIR, "auth-secret"), "utf8").trim();
  found.set("AUTH_SECRET", authSecret);
  if (fs.existsSync(CREATED_SECRETS_FILE)) {
    for (const secret of fs.readFileSync(CREATED_SECRETS_FILE, "utf8").split("\n").filter(Boolean)) {
      expect(
        SECRET_FORMATS.some((format) => new RegExp(`^${format.source}$`).test(secret)),
        `${secret.slice(0, 12)}… has a format the scan does not know`,
      ).toBe(true);
      // What the settings page never shows (the prefix and 8 characters are shown to tell keys apart).
      found.set(`created secret ${secret.slice(0, 17)}…`, secret.slice(17));
    }
  }
  for (const [name, value] of found)
    expect(value.length, `${name} is too short to look for`).toBeGreaterThan(20);
  return found;
}

/** The names of the secrets `text` contains. */
function leaksIn(text: string, wanted: Map<string, string>): string[] {
  const leaks = [...wanted].filter(([, value]) => text.includes(value)).map(([name]) => name);
  for (const format of SECRET_FORMATS) {
    const match = new RegExp(format.source).exec(text);
    if (match) leaks.push(`a secret in the format ${format.source}: ${match[0].slice(0, 17)}…`);
  }
  return leaks;
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    );
}

test("no secret is in the client bundles", () => {
  const wanted = secrets();
  const files = filesUnder(".next/static");
  expect(files.filter((file) => file.endsWith(".js")).length).toBeGreaterThan(10);
  const leaks = files.flatMap((file) =>
    leaksIn(fs.readFileSync(file, "latin1"), wanted).map((leak) => `${file}: ${leak}`),
  );
  expect(leaks).toEqual([]);
});

test("no secret is in the e2e server's log", () => {
  test.skip(
    !process.env.CI && !fs.existsSync(SERVER_LOG),
    "the server was not started by this run (an already running one was reused), so its log is elsewhere",
  );
  const log = fs.readFileSync(SERVER_LOG, "utf8");
  // The whole log: from the launcher's first line to the requests of every journey that ran before.
  expect(log).toContain('"event":"server.listening"');
  expect(leaksIn(log, secrets())).toEqual([]);
});

test("no secret is in any CSV the console exports", async () => {
  const wanted = secrets();
  const admin = await request.newContext({ baseURL: BASE_URL, storageState: storageStateFor("admin") });
  const batchesPage = await (await admin.get("/batches?pageSize=100")).text();
  const batchIds = [
    ...new Set([...batchesPage.matchAll(/href="\/batches\/(c[a-z0-9]{20,})"/g)].map((m) => m[1])),
  ];
  const exports = [
    "/api/payouts/export",
    "/api/audit/export",
    "/api/batches/template",
    ...batchIds.map((id) => `/api/batches/${id}/failed`),
  ];
  const leaks: string[] = [];
  for (const url of exports) {
    const response = await admin.get(url);
    expect(response.status(), url).toBe(200);
    expect(response.headers()["content-type"], url).toContain("text/csv");
    leaks.push(...leaksIn(await response.text(), wanted).map((leak) => `${url}: ${leak}`));
  }
  // The preview's invalid-rows download: a file with a bad row, checked against a campaign that takes batches.
  const campaignsPage = await (await admin.get("/campaigns?pageSize=100")).text();
  const campaignIds = new Set(
    [...campaignsPage.matchAll(/href="\/campaigns\/(c[a-z0-9]{20,})"/g)].map((m) => m[1]),
  );
  let invalidRows: string | null = null;
  for (const campaignId of campaignIds) {
    const response = await admin.post("/api/batches/invalid-rows", {
      multipart: {
        campaignId: campaignId ?? "",
        file: {
          name: "list.csv",
          mimeType: "text/csv",
          buffer: Buffer.from("收款人类型,收款人,场景,备注,业务单号\r\n用户ID,123,积分兑换,,scan_1\r\n"),
        },
      },
    });
    if (!(response.headers()["content-type"] ?? "").includes("text/csv")) continue;
    invalidRows = await response.text();
    break;
  }
  leaks.push(...leaksIn(invalidRows ?? "", wanted).map((leak) => `invalid rows: ${leak}`));
  await admin.dispose();
  expect(leaks).toEqual([]);
  expect(invalidRows, "an invalid-rows download (no campaign took the file)").not.toBeNull();
});
