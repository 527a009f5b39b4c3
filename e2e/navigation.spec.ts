import { expect, test } from "@playwright/test";
import type { Role } from "../lib/auth/permissions";
import { ROLES_UNDER_TEST, storageStateFor } from "./support/accounts";
import { sidebarSections, preferEnglish } from "./support/browser";

const SECTIONS: Record<Role, string[]> = {
  admin: [
    "Dashboard",
    "Campaigns",
    "User packets",
    "Payouts",
    "Approvals",
    "Batches",
    "Audit log",
    "Settings",
  ],
  marketer: ["Dashboard", "Campaigns", "User packets", "Payouts", "Batches"],
  approver: ["Dashboard", "Campaigns", "User packets", "Payouts", "Approvals", "Batches"],
  viewer: ["Dashboard", "Campaigns", "User packets", "Payouts", "Approvals", "Batches", "Audit log"],
};

const PATHS: Record<string, string> = {
  Dashboard: "/",
  Campaigns: "/campaigns",
  "User packets": "/user-packets",
  Payouts: "/payouts",
  Approvals: "/approvals",
  Batches: "/batches",
  "Audit log": "/audit",
  Settings: "/settings",
};

for (const role of ROLES_UNDER_TEST) {
  test.describe(`${role}`, () => {
    test.use({ storageState: storageStateFor(role) });

    test("sees exactly its sections, and each of them opens", async ({ page }) => {
      await page.goto("/");
      expect(await sidebarSections(page)).toEqual(SECTIONS[role]);
      for (const section of SECTIONS[role]) {
        const response = await page.goto(PATHS[section] ?? "/");
        expect(response?.status(), section).toBe(200);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      }
    });

    test("is refused, with a 403 page, on sections it may not see", async ({ page }) => {
      const hidden = Object.keys(PATHS).filter((s) => !SECTIONS[role].includes(s));
      const forbiddenPaths = [
        ...hidden.map((s) => PATHS[s] ?? "/"),
        ...(role === "admin" ? [] : ["/settings/users", "/settings/api-keys"]),
      ];
      for (const path of forbiddenPaths) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(403);
        await expect(page.getByTestId("forbidden")).toBeVisible();
        await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
      }
    });
  });
}

test("a viewer opening /settings/users directly is refused", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStateFor("viewer") });
  const page = await context.newPage();
  const response = await page.goto("/settings/users");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("table")).toHaveCount(0);
  await context.close();
});

test("an anonymous visitor is sent to the login page and back after signing in", async ({
  page,
  context,
}) => {
  await preferEnglish(context);
  await page.goto("/audit?action=user.create");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faudit%3Faction%3Duser\.create/);
  await page.getByLabel("Email", { exact: true }).fill("viewer@example.com");
  await page.getByLabel("Password", { exact: true }).fill("hongbao-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/audit\?action=user\.create$/);
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
});
