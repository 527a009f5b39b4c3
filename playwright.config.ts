import fs from "node:fs";
import { defineConfig } from "@playwright/test";
import { BASE_URL, E2E_PORT, SERVER_LOG } from "./e2e/support/server";

/** Debian's Chromium (`apt-get install chromium`); Playwright's own browser download is not available here. */
function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const found = candidates.find((c): c is string => !!c && fs.existsSync(c));
  if (!found) throw new Error("Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)");
  return found;
}

export default defineConfig({
  testDir: "e2e",
  // One worker: the journeys share one console (and one embedded database that serialises writes).
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      // This machine has no outbound network: stop Chromium's own background connections.
      args: [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    { name: "chromium", dependencies: ["setup"], testIgnore: /.*\.setup\.ts/ },
    // Last: looks for secrets in the client bundles, the server's log and the exports after every journey ran.
    { name: "secrets", dependencies: ["chromium"], testMatch: /.*\.scan\.ts/ },
  ],
  webServer: {
    // The production build (`npm run test:e2e` builds first), started exactly as `npm start` does, with a
    // throw-away in-memory embedded database so every run begins from the seeded demo state. Its output is also
    // kept in SERVER_LOG for the secrets scan (e2e/secrets.scan.ts); Playwright empties test-results/ first.
    command: `mkdir -p test-results && node node_modules/tsx/dist/cli.mjs --conditions=react-server scripts/launch.ts start 2>&1 | tee ${SERVER_LOG}`,
    url: `${BASE_URL}/api/health`,
    reuseExistingServer: !process.env.CI,
    timeout: 240_000,
    stdout: "pipe",
    env: {
      PORT: String(E2E_PORT),
      DATA_DIR: ".data/e2e",
      EMBEDDED_DB_PATH: "memory://",
      // The e2e console gets its own simulator on a free port (never a developer's running one).
      SIM_PORT: "0",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
