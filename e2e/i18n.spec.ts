import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD } from "./support/accounts";
import { signIn, preferEnglish } from "./support/browser";

test("the console speaks Chinese by default and switches to English, remembering the choice", async ({
  page,
}) => {
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { name: "登录红包控制台" })).toBeVisible();

  await page.getByLabel("语言").selectOption("en");
  await expect(page.getByRole("heading", { name: "Sign in to Hongbao Console" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.reload();
  await expect(page.getByRole("heading", { name: "Sign in to Hongbao Console" })).toBeVisible();

  // Signed in, switching back to Chinese is stored on the account too.
  await page.getByLabel("Email", { exact: true }).fill("approver@example.com");
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await page.getByLabel("Language").selectOption("zh-CN");
  await expect(page.getByRole("heading", { name: "概览" })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "审批" }),
  ).toBeVisible();

  // A new browser with no cookie: after signing in, the account's language comes back.
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByLabel("语言").selectOption("en");
  await page.getByLabel("Email", { exact: true }).fill("approver@example.com");
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "概览" })).toBeVisible();

  // Leave the shared demo account in English for the other journeys.
  await page.getByLabel("语言").selectOption("en");
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
});

test("dates are shown in Beijing time", async ({ page, context }) => {
  await preferEnglish(context);
  await signIn(page, "viewer@example.com", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await page.goto("/audit?action=auth.sign_in&sort=createdAt.desc");
  const shown = (await page.getByRole("row").nth(1).getByRole("cell").first().textContent()) ?? "";
  // "2026-11-22 04:21:09" read as Beijing time (UTC+8, no daylight saving) must be "now".
  const asBeijing = new Date(`${shown.replace(" ", "T")}+08:00`);
  expect(Math.abs(asBeijing.getTime() - Date.now())).toBeLessThan(5 * 60_000);
});
