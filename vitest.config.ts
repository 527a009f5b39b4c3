import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside React's server environment; tests run services directly in Node.
      "server-only": path.join(root, "test/support/server-only-stub.ts"),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: ["test/support/setup-database-env.ts"],
    pool: "forks",
    // Integration tests share one database and some assert global invariants (e.g. "an active admin remains").
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
