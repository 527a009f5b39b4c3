import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD } from "./support/accounts";
import { expectSignedInAs, signIn, preferEnglish } from "./support/browser";

test.beforeEach(async ({ context }) => preferEnglish(context));

test("a wrong password shows an error and keeps the visitor on the login page", async ({ page }) => {
  await signIn(page, "marketer@example.com", "not-the-password");
  await expect(page.getByTestId("login-error")).toHaveText("The email or password is incorrect.");
  await expect(page).toHaveURL(/\/login/);
});

test("each demo role can sign in and out", async ({ page }) => {
  for (const email of [
    "admin@example.com",
    "marketer@example.com",
    "approver@example.com",
    "viewer@example.com",
  ]) {
    await signIn(page, email, DEMO_PASSWORD);
    await expectSignedInAs(page, email);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByTestId("login-notice")).toHaveText("You have signed out.");
  }
});

test("an account is locked after 5 failed attempts, with a clear message", async ({ page }) => {
  // A made-up account: lockout applies to any email, so no real account is locked for the other tests.
  const email = `lockout-${Date.now()}@example.com`;
  for (let attempt = 1; attempt <= 4; attempt++) {
    await signIn(page, email, `wrong-${attempt}`);
    await expect(page.getByTestId("login-error")).toHaveText("The email or password is incorrect.");
  }
  await signIn(page, email, "wrong-5");
  await expect(page.getByTestId("login-error")).toHaveText(
    "Too many failed attempts. Try again in 15 minutes.",
  );
  await signIn(page, email, "wrong-6");
  await expect(page.getByTestId("login-error")).toContainText("Too many failed attempts");
});

test("the demo accounts are listed on the login page in demo mode", async ({ page }) => {
  await page.goto("/login");
  const demo = page.getByRole("region", { name: /Demo accounts/ });
  await expect(demo).toContainText("admin@example.com");
  await expect(demo).toContainText("viewer@example.com");
  await expect(demo).toContainText(DEMO_PASSWORD);
});
