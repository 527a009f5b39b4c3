import { expect, test } from "@playwright/test";
import { storageStateFor } from "./support/accounts";
import { preferEnglish } from "./support/browser";

test.describe("the API page", () => {
  test("a viewer opens it from the sidebar: endpoints with examples, errors, webhooks, the OpenAPI link", async ({
    browser,
  }) => {
    const context = await browser.newContext({ storageState: storageStateFor("viewer") });
    const page = await context.newPage();
    await page.goto("/");
    await page.getByRole("link", { name: "Developer API" }).click();
    await expect(page).toHaveURL(/\/developers$/);
    await expect(page.getByRole("heading", { level: 1, name: "Developer API" })).toBeVisible();

    const send = page
      .getByTestId("api-endpoint")
      .filter({ hasText: "/api/v1/campaigns/{campaignId}/payouts" })
      .first();
    await expect(send.getByRole("heading", { name: "Send a red packet" })).toBeVisible();
    await expect(send).toContainText("POST");
    await expect(send).toContainText("payout:request");
    await expect(send).toContainText('curl -X POST "$HONGBAO_URL/api/v1/campaigns/$CAMPAIGN_ID/payouts');
    await expect(page.getByTestId("api-endpoint").filter({ hasText: "Create a campaign" })).toContainText(
      "campaign:create",
    );
    await expect(page.getByRole("cell", { name: "IDEMPOTENCY_CONFLICT" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "payout.succeeded" })).toBeVisible();

    const openapi = page.getByRole("link", { name: "OpenAPI 3.1 document (JSON)" });
    await expect(openapi).toHaveAttribute("href", "/api/v1/openapi.json");
    // Managing keys is for administrators: a viewer is not offered the link.
    await expect(page.getByRole("link", { name: "Manage API keys" })).toHaveCount(0);
    await context.close();
  });

  test("an admin is offered the key settings; the page reads in Chinese by default", async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageStateFor("admin") });
    const page = await context.newPage();
    await page.goto("/developers");
    await page.getByRole("link", { name: "Manage API keys" }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);

    await context.clearCookies({ name: "hongbao-locale" });
    await page.goto("/developers");
    await expect(page.getByRole("heading", { level: 1, name: "开发者 API" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Send a red packet" })).toBeVisible();
    await context.close();
  });

  test("anonymous visitors are sent to sign in", async ({ page, context }) => {
    await preferEnglish(context);
    await page.goto("/developers");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fdevelopers/);
  });
});

test("GET /api/v1/openapi.json is a public OpenAPI 3.1 document of the whole API", async ({ request }) => {
  const response = await request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/json");
  const doc = (await response.json()) as {
    openapi: string;
    paths: Record<string, Record<string, { operationId: string }>>;
    webhooks: Record<string, unknown>;
  };
  expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  expect(doc.paths["/api/v1/campaigns/{campaignId}/payouts"]?.post?.operationId).toBe("sendRedPacket");
  expect(Object.keys(doc.paths["/api/v1/campaigns"] ?? {}).sort()).toEqual(["get", "post"]);
  expect(Object.keys(doc.webhooks)).toContain("payout.succeeded");
});
