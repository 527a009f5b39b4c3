import { expect, test } from "@playwright/test";

// The e2e console runs like `npm start`, so this proves the production server is the logging one
// (lib/runtime/web-server.ts) and not a bare `next start`, which sends no request id.
test("every answer carries an x-request-id, and a proxy's well-formed id is kept", async ({ request }) => {
  const page = await request.get("/login");
  expect(page.status()).toBe(200);
  expect(page.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(page.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");

  const kept = await request.get("/api/health", { headers: { "x-request-id": "proxy-4f2a9c" } });
  expect(kept.headers()["x-request-id"]).toBe("proxy-4f2a9c");

  const redirect = await request.get("/campaigns", { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expect(redirect.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
});
