import { expect, type BrowserContext, type Page } from "@playwright/test";
import { BASE_URL } from "./server";

/** Most journeys read English labels; the language tests start from the default instead. */
export async function preferEnglish(context: BrowserContext): Promise<void> {
  await context.addCookies([{ name: "hongbao-locale", value: "en", url: BASE_URL }]);
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function expectSignedInAs(page: Page, email: string): Promise<void> {
  await expect(page.getByTestId("current-user")).toContainText(email);
}

/** Names of the sidebar links, in order. */
export async function sidebarSections(page: Page): Promise<string[]> {
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  return (await nav.getByRole("link").allTextContents()).map((t) => t.replace(/^\W+/, "").trim());
}
