import fs from "node:fs";
import { expect, test, type Browser } from "@playwright/test";
import { storageStateFor } from "./support/accounts";
import { preferEnglish, signIn } from "./support/browser";

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

/** A failed sign-in with an email nobody else uses: exactly one audit event names it. */
async function failSignIn(browser: Browser, email: string): Promise<void> {
  // Signed out: contexts made here would otherwise inherit the file's admin session.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  await preferEnglish(context);
  const page = await context.newPage();
  await signIn(page, email, "not-the-password");
  await expect(page.getByTestId("login-error")).toHaveText("The email or password is incorrect.");
  await context.close();
}

test("failed sign-ins and refused page visits are in the audit log, with names instead of ids", async ({
  page,
  browser,
}) => {
  const email = `intruder-${Date.now()}@example.com`;
  await failSignIn(browser, email);

  const marketer = await browser.newContext({ storageState: storageStateFor("marketer") });
  const marketerPage = await marketer.newPage();
  expect((await marketerPage.goto("/audit"))?.status()).toBe(403);
  await marketer.close();

  await page.goto(`/audit?action=auth.sign_in_failed&q=${encodeURIComponent(email)}`);
  const failed = page.getByRole("row").filter({ hasText: email });
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText(`Not signed in · ${email}`);
  await expect(failed).toContainText("Sign-in failed");

  await page.goto("/audit?action=authz.denied&entityType=Page&q=marketer%40example.com");
  const refused = page.getByRole("row").filter({ hasText: "marketer@example.com" }).first();
  await expect(refused).toContainText("Refused: not permitted");
  await expect(refused).toContainText("Page");
  await expect(refused).toContainText("/audit");

  // A user entity shows its email, linked to the users page for an admin; the raw id is secondary text.
  await page.goto("/audit?action=user.create&q=demo-seed");
  const seeded = page.getByRole("row").filter({ hasText: "viewer@example.com" });
  await expect(seeded).toHaveCount(1);
  await expect(seeded.getByRole("link", { name: "viewer@example.com" })).toHaveAttribute(
    "href",
    "/settings/users?q=viewer%40example.com",
  );
});

test("Export CSV downloads exactly the filtered rows, in the reader's language", async ({
  page,
  browser,
}) => {
  const email = `exported-${Date.now()}@example.com`;
  await failSignIn(browser, email);

  await page.goto("/audit");
  await page.getByLabel("Action", { exact: true }).selectOption("auth.sign_in_failed");
  await expect(page).toHaveURL(/action=auth\.sign_in_failed/);
  await page.getByRole("searchbox", { name: "Search" }).fill(email);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(email).replace(/\./g, "\\.")}`));
  await expect(page.getByRole("row").filter({ hasText: email })).toHaveCount(1);

  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^audit-log-\d{8}-\d{4}\.csv$/);

  const bytes = fs.readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel reads the file as UTF-8
  const lines = bytes.subarray(3).toString("utf8").split("\r\n");
  expect(lines[0]).toBe("Time,Actor,Action,Entity type,Entity name,Entity ID,IP,Before,After");
  const rows = lines.slice(1).filter((line) => line !== "");
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},/);
  expect(rows[0]).toContain(`,Not signed in · ${email},Sign-in failed,User,`);
  expect(rows[0]).toContain('""reason"":""unknown_account""');
});
