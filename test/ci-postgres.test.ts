/**
 * CI runs the integration suite on PostgreSQL every time (.ci/run → .ci/ensure-postgres): an unreachable server
 * fails the run instead of being skipped, because the concurrency tests prove nothing on the embedded database.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function ensurePostgres(url: string) {
  return spawnSync("bash", [".ci/ensure-postgres", url], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, ENSURE_POSTGRES_WAIT_SECONDS: "1" },
  });
}

describe(".ci/ensure-postgres", () => {
  it("fails, saying so, when PostgreSQL cannot be reached", () => {
    // Port 9 (discard) has no PostgreSQL on it; starting the local cluster does not change that.
    const result = ensurePostgres("postgresql://postgres@127.0.0.1:9/test");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("the PostgreSQL run is required");
  });

  it("passes when the server answers", () => {
    const result = ensurePostgres("postgresql://postgres@127.0.0.1:5432/postgres");
    expect(result.status, result.stderr).toBe(0);
  });
});
