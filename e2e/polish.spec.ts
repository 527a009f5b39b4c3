import { expect, test, type Page } from "@playwright/test";
import { storageStateFor } from "./support/accounts";
import { preferEnglish } from "./support/browser";

/** "25 rows" → 25; the list's total as the table states it. */
async function totalRows(page: Page): Promise<number> {
  const text = await page.getByText(/^\d+ rows?$/).textContent();
  return Number(text?.split(" ")[0]);
}

test.describe("as an admin", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("a page past the end of a list shows the last page, and says so", async ({ page }) => {
    for (const list of ["/settings/users", "/campaigns"]) {
      await page.goto(`${list}?pageSize=10&page=999`);
      const total = await totalRows(page);
      const last = Math.max(1, Math.ceil(total / 10));
      await expect(page.getByText(`Page ${last} of ${last}`), list).toBeVisible();
      const rows = page.getByRole("table").locator("tbody tr");
      await expect(rows, list).toHaveCount(total === 0 ? 1 : total - (last - 1) * 10); // 1: the empty-state row
      await expect(page.getByRole("button", { name: "Next page" })).toBeDisabled();
      if (last > 1) {
        // The controls work from the page shown, not the one asked for.
        await page.getByRole("button", { name: "Previous page" }).click();
        await expect(page).toHaveURL(new RegExp(`page=${last - 1}`));
        await expect(page.getByText(`Page ${last - 1} of ${last}`)).toBeVisible();
      }
    }
  });

  test("counts are singular for one row", async ({ page }) => {
    await page.goto("/settings/users?q=admin%40example.com");
    await expect(page.getByText("1 row", { exact: true })).toBeVisible();
    await page.goto("/settings/users?q=example.com");
    await expect(page.getByText(/^\d+ rows$/)).toBeVisible();
  });

  test("an unknown console URL answers 404 inside the console frame", async ({ page }) => {
    for (const path of ["/nope", "/campaigns/does-not-exist/xyz", "/campaigns/does-not-exist"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByTestId("not-found"), path).toBeVisible();
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expect(page.getByRole("navigation", { name: "Main navigation" })).toBeVisible();
      await expect(page.getByTestId("current-user")).toContainText("admin@example.com");
    }
    await page.getByRole("link", { name: "Back to the dashboard" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByTestId("not-found")).toHaveCount(0);
  });

  test("the sidebar runs the full height of the window", async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto("/nope");
    const sidebar = page.locator("aside");
    const box = await sidebar.boundingBox();
    expect(box?.y).toBe(0);
    expect(box?.height).toBeGreaterThanOrEqual(900);
  });

  test("the app icon is the red envelope", async ({ page }) => {
    await page.goto("/");
    const href = await page.locator('link[rel="icon"]').getAttribute("href");
    expect(href).toMatch(/^\/icon\.svg/);
    const icon = await page.request.get(href ?? "");
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/svg+xml");
    expect(await icon.text()).toContain("#d92d20");
  });

  test("on a 390 px phone the menu button opens the navigation and the header fits", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/settings/users");
    const nav = page.getByRole("navigation", { name: "Main navigation" });
    await expect(nav).toBeHidden();
    for (const part of [
      page.getByRole("button", { name: "Open menu" }),
      page.getByLabel("Language"),
      page.getByTestId("current-role"),
      page.getByRole("button", { name: "Sign out" }),
    ]) {
      await expect(part).toBeInViewport({ ratio: 1 });
    }
    // Wide tables scroll inside their own box; the page itself never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.getByRole("button", { name: "Open menu" }).click();
    await expect(nav).toBeVisible();
    await expect(page.getByRole("dialog")).toContainText("admin@example.com");
    await nav.getByRole("link", { name: "Campaigns" }).click();
    await expect(page).toHaveURL(/\/campaigns$/);
    await expect(page.getByRole("heading", { name: "Campaigns", level: 1 })).toBeVisible();
    await expect(nav).toBeHidden();
  });

  test("on a 390 px phone the filters fold behind a button that counts them", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/campaigns?status=ACTIVE");
    const status = page.getByLabel("Status", { exact: true });
    await expect(status).toBeHidden();
    const toggle = page.getByRole("button", { name: /^Filter/ });
    await expect(toggle).toContainText("1");
    await toggle.click();
    await expect(status).toBeVisible();
    await expect(status).toHaveValue("ACTIVE");
    await page.getByLabel("Rail", { exact: true }).selectOption("TRANSFER");
    await expect(page).toHaveURL(/rail=TRANSFER/);
    await expect(toggle).toContainText("2");
  });
});

test("a signed-out visitor to an unknown URL is sent to the login page", async ({ page, context }) => {
  await preferEnglish(context);
  await page.goto("/nope/at/all");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fnope%2Fat%2Fall/);
});

test("a campaign's crowd number is shortened, explained and copied with one click", async ({ browser }) => {
  const context = await browser.newContext({
    storageState: storageStateFor("marketer"),
    permissions: ["clipboard-read", "clipboard-write"],
  });
  const page = await context.newPage();
  const name = `E2E copy ${Date.now()}`;
  await page.goto("/campaigns/new");
  await page.getByLabel("Packet name", { exact: true }).fill(name);
  await page.getByLabel("Greeting", { exact: true }).fill("Thanks");
  await page.getByLabel("Total budget (yuan)", { exact: true }).fill("10.00");
  await page.getByLabel("Number of packets", { exact: true }).fill("5");
  await page.getByRole("button", { name: "Create and submit to Alipay" }).click();
  await expect(page).toHaveURL(/\/campaigns\/c[a-z0-9]{20,}$/);

  await page.goto(`/campaigns?q=${encodeURIComponent(name)}`);
  const row = page.getByRole("row").filter({ hasText: name });
  const copy = row.getByRole("button", { name: "Copy crowd number" });
  await expect(copy).toHaveAccessibleDescription(
    /Alipay's campaign number \(crowd_no\): quote it to Alipay support/,
  );

  await copy.hover();
  const tooltip = page.getByRole("tooltip");
  await expect(tooltip).toBeVisible();
  const crowdNo = (await tooltip.locator("span[translate=no]").textContent()) ?? "";
  expect(crowdNo.length).toBeGreaterThan(20);
  // Shown shortened in the row: the text is cut to its box.
  const shown = row.locator("span[translate=no]").first();
  expect(await shown.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);

  await copy.click();
  await expect(page.getByRole("status")).toContainText("Copied crowd number");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(crowdNo);
  await context.close();
});
