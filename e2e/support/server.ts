/** Where the e2e console listens (shared by playwright.config.ts and the specs). */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const BASE_URL = `http://localhost:${E2E_PORT}`;
/** Where playwright.config.ts keeps the e2e server's output (stdout and stderr), for the secrets scan. */
export const SERVER_LOG = "test-results/e2e-server.log";
