import { expect, test } from "@playwright/test";
import { storageStateFor } from "./support/accounts";

test.describe.configure({ mode: "serial" });

const url = `https://hooks.example.com/hongbao-${Date.now()}`;

test("admin adds an endpoint, sees its signing secret once, and finds it listed", async ({ browser }) => {
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const page = await admin.newPage();
  await page.goto("/settings");
  await page.getByRole("link", { name: /^Webhooks/ }).click();
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: "Webhook endpoints" })).toBeVisible();

  await page.getByRole("button", { name: "Add endpoint" }).click();
  const dialog = page.getByRole("dialog", { name: "Add endpoint" });
  // Nothing filled in: both fields say what is missing, in the browser.
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByText("Choose at least one event.")).toBeVisible();

  await dialog.getByLabel("URL").fill("ftp://hooks.example.com/x");
  await dialog.getByRole("checkbox", { name: /payout\.succeeded/ }).check();
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByText("Enter an address starting with http:// or https://.")).toBeVisible();

  await dialog.getByLabel("URL").fill(url);
  await dialog.getByLabel("Description").fill("Points service");
  await dialog.getByRole("checkbox", { name: /campaign\.budget_low/ }).check();
  await dialog.getByRole("button", { name: "Create" }).click();

  const secretDialog = page.getByRole("dialog", { name: "Copy the signing secret" });
  await expect(secretDialog).toBeVisible();
  await expect(secretDialog.getByRole("alert")).toContainText("shown only now");
  const secret = await secretDialog.getByLabel("Signing secret").inputValue();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  await expect(secretDialog.getByRole("button", { name: "Copy secret" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText(`Endpoint added: ${url}`);
  await secretDialog.getByRole("button", { name: "I have copied it" }).click();
  await expect(secretDialog).toBeHidden();

  // Listed, without the secret anywhere on the page.
  const row = page.getByRole("row").filter({ hasText: url });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Points service");
  await expect(row).toContainText("payout.succeeded");
  await expect(row).toContainText("campaign.budget_low");
  await expect(row).toContainText("Active");
  await expect(row).toContainText("No deliveries yet");
  expect(await page.content()).not.toContain(secret);

  // The dialog starts afresh: the secret is gone for good.
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByRole("dialog", { name: "Add endpoint" }).getByLabel("URL")).toHaveValue("");
  await page.getByRole("dialog", { name: "Add endpoint" }).getByRole("button", { name: "Cancel" }).click();

  // Its page: the facts, no deliveries yet, and it can be disabled.
  await row.getByRole("link", { name: `Open ${url}` }).click();
  await expect(page.getByRole("heading", { name: url, level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: "Deliveries" })).toContainText("No matching records.");
  expect(await page.content()).not.toContain(secret);
  await page.getByRole("button", { name: `Disable ${url}` }).click();
  await page.getByRole("dialog", { name: "Disable" }).getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("status")).toContainText(`Disabled ${url}`);
  await expect(page.getByRole("button", { name: `Enable ${url}` })).toBeVisible();

  // The audit log names the endpoint by its URL.
  await page.goto("/audit?action=webhook.create");
  await expect(page.getByRole("row").filter({ hasText: url })).toContainText("Webhook endpoint added");
  await admin.close();
});

test("a marketer is refused the webhooks pages", async ({ browser }) => {
  const marketer = await browser.newContext({ storageState: storageStateFor("marketer") });
  const page = await marketer.newPage();
  for (const path of ["/settings/webhooks", "/settings/webhooks/any-endpoint"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
  }
  await marketer.close();
});
