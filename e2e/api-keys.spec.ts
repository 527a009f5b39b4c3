import { expect, test, type Page } from "@playwright/test";
import { storageStateFor } from "./support/accounts";

test.describe.configure({ mode: "serial" });

const name = `Points mall ${Date.now()}`;
let prefix = "";

function row(page: Page, text: string) {
  return page.getByRole("row").filter({ hasText: text });
}

test("admin creates a key, sees its secret once with a copy button, and the list shows it unused", async ({
  browser,
}) => {
  const admin = await browser.newContext({
    storageState: storageStateFor("admin"),
    permissions: ["clipboard-read", "clipboard-write"],
  });
  const page = await admin.newPage();
  await page.goto("/settings");
  await page.getByRole("link", { name: /API keys/ }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(page.getByRole("table", { name: "API keys" })).toBeVisible();

  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  // Nothing chosen: the errors are shown next to their fields, and nothing is created.
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByText("Choose at least one permission.")).toBeVisible();

  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("checkbox", { name: /Send red packets/ }).check();
  await dialog.getByRole("checkbox", { name: /Read payouts/ }).check();
  await expect(dialog.getByRole("radio", { name: "All campaigns" })).toBeChecked();
  await expect(dialog.getByLabel("Requests per minute")).toHaveValue("600");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();

  const created = page.getByRole("dialog", { name: "API key created" });
  await expect(created).toContainText("This is the only time the secret is shown");
  const secretBox = created.getByLabel("Secret");
  await expect(secretBox).toHaveAttribute("readonly", "");
  const secret = await secretBox.inputValue();
  expect(secret).toMatch(/^hbk_live_[A-Za-z0-9_-]{43}$/);
  prefix = secret.slice(0, "hbk_live_".length + 8);

  await created.getByRole("button", { name: "Copy" }).click();
  await expect(created.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  await created.getByRole("button", { name: "Done" }).click();
  await expect(created).toBeHidden();
  const keyRow = row(page, name);
  await expect(keyRow.getByRole("cell").nth(1)).toHaveText(`${prefix}…`);
  await expect(keyRow.getByRole("cell").nth(2)).toContainText("Send red packets");
  await expect(keyRow.getByRole("cell").nth(2)).toContainText("Read payouts");
  await expect(keyRow.getByRole("cell").nth(3)).toHaveText("All campaigns");
  await expect(keyRow.getByRole("cell").nth(4)).toHaveText("600");
  await expect(keyRow.getByRole("cell").nth(5)).toContainText("by admin@example.com");
  await expect(keyRow.getByRole("cell").nth(6)).toHaveText("Never");
  await expect(keyRow.getByRole("cell").nth(7)).toHaveText("Active");

  // Shown once: a fresh load of the page holds the prefix, never the secret.
  await page.reload();
  await expect(row(page, name).getByRole("cell").nth(1)).toHaveText(`${prefix}…`);
  expect(await page.content()).not.toContain(secret);
  await admin.close();
});

test("admin revokes the key after confirming; it shows as revoked, without a revoke button", async ({
  browser,
}) => {
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const page = await admin.newPage();
  await page.goto(`/settings/api-keys?q=${encodeURIComponent(name)}`);
  await row(page, name)
    .getByRole("button", { name: `Revoke ${name}` })
    .click();
  const dialog = page.getByRole("dialog", { name: `Revoke the API key “${name}”?` });
  await expect(dialog).toContainText("cannot be undone");
  await dialog.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("status")).toContainText(`Revoked API key ${name}`);
  await expect(row(page, name).getByRole("cell").nth(7)).toContainText("Revoked");
  await expect(row(page, name).getByRole("cell").nth(7)).toContainText("by admin@example.com");
  await expect(row(page, name).getByRole("button")).toHaveCount(0);

  await page.goto("/settings/api-keys?status=revoked");
  await expect(row(page, name).getByRole("cell").nth(1)).toHaveText(`${prefix}…`);
  await admin.close();
});

test("a marketer opening /settings/api-keys gets the forbidden page", async ({ browser }) => {
  const marketer = await browser.newContext({ storageState: storageStateFor("marketer") });
  const page = await marketer.newPage();
  const response = await page.goto("/settings/api-keys");
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
  await marketer.close();
});
