import { expect, test, type Browser, type Page } from "@playwright/test";
import { storageStateFor } from "./support/accounts";
import { expectSignedInAs, sidebarSections, signIn, preferEnglish } from "./support/browser";

test.describe.configure({ mode: "serial" });

const email = `casey-${Date.now()}@example.com`;
const password = "a-strong-initial-password";

/** The new user signed in in one browser, and an admin on the users page filtered to them in another. */
async function userSignedInWhileAdminWatches(browser: Browser) {
  const user = await browser.newContext();
  await preferEnglish(user);
  const userPage = await user.newPage();
  await signIn(userPage, email, password);
  await expectSignedInAs(userPage, email);
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const adminPage = await admin.newPage();
  await adminPage.goto(`/settings/users?q=${encodeURIComponent(email)}`);
  return { user, userPage, admin, adminPage };
}

function row(page: Page, text: string) {
  return page.getByRole("row").filter({ hasText: text });
}

test("admin creates a user (fixing a field error first), who can then sign in", async ({ browser }) => {
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const page = await admin.newPage();
  await page.goto("/settings/users");
  await expect(page.getByRole("table", { name: "Users" })).toBeVisible();

  await page.getByRole("button", { name: "New user" }).click();
  const dialog = page.getByRole("dialog", { name: "New user" });
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Name").fill("Casey Marketer");
  await dialog.getByLabel("Role").selectOption("marketer");
  await dialog.getByLabel("Initial password").fill("short");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByLabel("Initial password")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByText("Use at least 10 characters.")).toBeVisible();

  await dialog.getByLabel("Initial password").fill(password);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("status")).toContainText(`Created user ${email}`);
  await expect(row(page, email).getByRole("cell").nth(2)).toHaveText("Marketer");
  await expect(row(page, email).getByRole("cell").nth(3)).toHaveText("Active");

  // Search narrows the server-side table to the new user.
  await page.getByRole("searchbox", { name: "Search email or name" }).fill("casey-");
  await expect(page).toHaveURL(/q=casey-/);
  await expect(page.getByRole("row")).toHaveCount(2); // header + Casey
  await admin.close();

  const user = await browser.newContext();
  await preferEnglish(user);
  const userPage = await user.newPage();
  await signIn(userPage, email, password);
  await expectSignedInAs(userPage, email);
  expect(await sidebarSections(userPage)).toEqual([
    "Dashboard",
    "Campaigns",
    "User packets",
    "Payouts",
    "Batches",
  ]);
  await user.close();
});

test("a duplicate email is refused next to the email field", async ({ browser }) => {
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const page = await admin.newPage();
  await page.goto("/settings/users");
  await page.getByRole("button", { name: "New user" }).click();
  const dialog = page.getByRole("dialog", { name: "New user" });
  await dialog.getByLabel("Email").fill(email.toUpperCase());
  await dialog.getByLabel("Name").fill("Someone Else");
  await dialog.getByLabel("Initial password").fill(password);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByText("This email is already in use.")).toBeVisible();
  await admin.close();
});

test("a role change applies to the user's open session on the next request", async ({ browser }) => {
  const { user, userPage, admin, adminPage } = await userSignedInWhileAdminWatches(browser);
  await row(adminPage, email)
    .getByRole("button", { name: `Change the role of ${email}` })
    .click();
  const dialog = adminPage.getByRole("dialog", { name: `Change the role of ${email}` });
  await dialog.getByLabel("Role").selectOption("approver");
  await dialog.getByRole("button", { name: "Save" }).click();
  // The toast comes after the server committed the change (the row also holds the dialog's option texts).
  await expect(adminPage.getByRole("status")).toContainText(`${email} is now Approver`);
  await expect(row(adminPage, email).getByRole("cell").nth(2)).toHaveText("Approver");

  await userPage.goto("/approvals");
  await expect(userPage.getByRole("heading", { name: "Approvals" })).toBeVisible();
  expect(await sidebarSections(userPage)).toEqual([
    "Dashboard",
    "Campaigns",
    "User packets",
    "Payouts",
    "Approvals",
    "Batches",
  ]);
  await admin.close();
  await user.close();
});

test("admin disables the user; the user's open session is refused on the next navigation", async ({
  browser,
}) => {
  const { user, userPage, admin, adminPage } = await userSignedInWhileAdminWatches(browser);
  await row(adminPage, email)
    .getByRole("button", { name: `Disable ${email}` })
    .click();
  const dialog = adminPage.getByRole("dialog", { name: "Disable" });
  await expect(dialog).toContainText("open sessions stop working");
  await dialog.getByRole("button", { name: "Disable" }).click();
  await expect(adminPage.getByRole("status")).toContainText(`Disabled ${email}`);
  await expect(row(adminPage, email).getByRole("cell").nth(3)).toHaveText("Disabled");

  // Client-side navigation through the sidebar: the page checks the session and sends the user away.
  await userPage.getByRole("link", { name: "Payouts", exact: true }).click();
  await expect(userPage).toHaveURL(/\/login\?.*reason=session-ended/);
  await expect(userPage.getByTestId("login-notice")).toContainText("Your session has ended");

  // ...and the account can no longer sign in.
  await signIn(userPage, email, password);
  await expect(userPage.getByTestId("login-error")).toHaveText("The email or password is incorrect.");

  // Re-enabled, the user signs in afresh.
  await row(adminPage, email)
    .getByRole("button", { name: `Enable ${email}` })
    .click();
  await adminPage.getByRole("dialog", { name: "Enable" }).getByRole("button", { name: "Enable" }).click();
  await expect(adminPage.getByRole("status")).toContainText(`Enabled ${email}`);
  await expect(row(adminPage, email).getByRole("cell").nth(3)).toHaveText("Active");
  await signIn(userPage, email, password);
  await expectSignedInAs(userPage, email);
  await admin.close();
  await user.close();
});

test("an admin cannot disable or re-role themselves (no buttons on their own row)", async ({ browser }) => {
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const page = await admin.newPage();
  await page.goto("/settings/users?q=admin%40example.com");
  await expect(row(page, "admin@example.com")).toContainText("(you)");
  await expect(row(page, "admin@example.com").getByRole("button")).toHaveCount(0);
  await admin.close();
});
