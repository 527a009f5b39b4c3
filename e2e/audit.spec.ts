import { expect, test } from "@playwright/test";
import { storageStateFor } from "./support/accounts";

test.use({ storageState: storageStateFor("admin") });

test("every change is in the audit log with who, what, which entity, before/after and IP", async ({
  page,
}) => {
  const email = `audited-${Date.now()}@example.com`;
  await page.goto("/settings/users");
  await page.getByRole("button", { name: "New user" }).click();
  const dialog = page.getByRole("dialog", { name: "New user" });
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Name").fill("Audited Person");
  await dialog.getByLabel("Role").selectOption("viewer");
  await dialog.getByLabel("Initial password").fill("another-long-password");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("status")).toContainText(email);

  await page.goto("/audit");
  await page.getByLabel("Action", { exact: true }).selectOption("user.create");
  await expect(page).toHaveURL(/action=user\.create/);
  const entry = page.getByRole("row").filter({ hasText: "admin@example.com" }).first();
  await expect(entry).toContainText("Created user");
  await expect(entry).toContainText("User");
  await expect(entry.getByRole("cell").nth(4)).not.toHaveText("—"); // IP recorded
  await entry.getByRole("button", { name: "Show changes" }).click();
  await expect(page.getByText(`"email": "${email}"`)).toBeVisible();
  await expect(page.getByText('"role": "viewer"')).toBeVisible();
});
