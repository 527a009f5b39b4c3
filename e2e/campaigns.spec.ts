import fs from "node:fs";
import { expect, request, test, type Page } from "@playwright/test";
import { storageStateFor } from "./support/accounts";
import { BASE_URL } from "./support/server";

test.describe.configure({ mode: "serial" });

const name = `E2E packets ${Date.now()}`;
let campaignUrl = "";

async function fill(page: Page, label: string, value: string) {
  await page.getByLabel(label, { exact: true }).fill(value);
}

test("a marketer creates a campaign, fixes an invalid field, pays on Alipay's cashier and sees it ACTIVE", async ({
  browser,
}) => {
  const context = await browser.newContext({ storageState: storageStateFor("marketer") });
  const page = await context.newPage();
  await page.goto("/campaigns");
  await page.getByRole("link", { name: "New campaign" }).click();
  await expect(page.getByRole("heading", { name: "New campaign", level: 1 })).toBeVisible();

  await fill(page, "Packet name", name);
  await fill(page, "Greeting", "Thanks for redeeming your points");
  await fill(page, "Total budget (yuan)", "100.00");
  await fill(page, "Number of packets", "3"); // ¥100.00 cannot be split into 3 equal fixed packets
  await page.getByLabel("Packets per user, ever").fill("10");
  await page.getByLabel("Per-period limit").selectOption("DAY");
  await page.getByLabel("Packets per period").fill("3");
  await expect(page.getByTestId("frequency-preview")).toContainText("D3|L10");
  await page.getByRole("button", { name: "Create and submit to Alipay" }).click();
  const count = page.getByLabel("Number of packets", { exact: true });
  await expect(count).toHaveAttribute("aria-invalid", "true");
  await expect(
    page.getByText("A fixed packet must be a whole number of fen: ¥100.00 ÷ 3 = ¥33.33⅓."),
  ).toBeVisible();
  // The preview said why as it was typed, with amounts that would work.
  await expect(page.getByTestId("packet-preview")).toContainText("try a budget of ¥99.99 or ¥100.02");

  await count.fill("50");
  await expect(page.getByTestId("packet-preview")).toHaveText("¥2.00 per packet");
  // The approval policy follows the packet: one packet at once, about 10 % of the budget a day.
  await expect(page.getByLabel("Auto-approve payouts up to (yuan)")).toHaveValue("2.00");
  await expect(page.getByLabel("Daily auto-approve cap (yuan)")).toHaveValue("10.00");
  await page.getByRole("button", { name: "Create and submit to Alipay" }).click();

  await expect(page).toHaveURL(/\/campaigns\/c[a-z0-9]{20,}$/); // a cuid, not /campaigns/new
  campaignUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("campaign-status")).toHaveText("Awaiting funding");
  await expect(page.getByTestId("funding-notice")).toContainText("The payment link is valid until");

  // Alipay's cashier (the simulator's page, another origin).
  await page.getByRole("link", { name: "Pay on Alipay" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("body")).toContainText(name);
  await page.getByRole("button", { name: /Pay ¥100\.00/ }).click();

  // Alipay returns the payer to merchant_link (the console), which reads the new status at once.
  await expect(page).toHaveURL(new RegExp(`${campaignUrl}\\?funded=1$`));
  await expect(page.getByTestId("campaign-status")).toHaveText("Active");
  await expect(page.getByText("Payment done")).toBeVisible();
  const tracker = page.getByTestId("budget-tracker");
  await expect(tracker.getByTestId("budget-total")).toHaveText("¥100.00");
  await expect(tracker.getByTestId("budget-available")).toHaveText("¥100.00");
  await expect(tracker.getByTestId("budget-packets")).toContainText("0 of 50 sent (50 left)");
  await expect(tracker.getByTestId("spent-alipay")).toHaveText("¥0.00");
  await expect(tracker.getByText("Matches Alipay")).toBeVisible();
  await expect(page.getByText("D3|L10")).toBeVisible();
  await context.close();
});

test("the marketer pauses and resumes it", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStateFor("marketer") });
  const page = await context.newPage();
  await page.goto(campaignUrl);
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Paused");
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Active");
  await expect(page.getByRole("list", { name: "Activity" })).toContainText("Resumed campaign");
  await context.close();
});

test("the campaign list shows it with its budget use, filterable by status", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStateFor("marketer") });
  const page = await context.newPage();
  await page.goto("/campaigns?status=ACTIVE");
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Active");
  await expect(row).toContainText("¥100.00");
  await expect(row.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "0");
  await page.getByLabel("Status", { exact: true }).selectOption("PAUSED");
  await expect(page).toHaveURL(/status=PAUSED/);
  await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(0);
  await context.close();
});

test("a viewer sees the campaign but no action buttons, and is refused when posting the action directly", async ({
  browser,
}) => {
  const context = await browser.newContext({ storageState: storageStateFor("viewer") });
  const page = await context.newPage();
  await page.goto(campaignUrl);
  await expect(page.getByTestId("campaign-status")).toHaveText("Active");
  await expect(page.getByTestId("budget-tracker")).toBeVisible();
  for (const label of ["Pause", "Close campaign", "Refresh status", "Pay on Alipay"]) {
    await expect(page.getByRole("button", { name: label })).toHaveCount(0);
  }
  await context.close();

  // Post the pause action as the viewer, as a crafted request would.
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { exportedName: string }>;
  };
  const actionId =
    Object.entries(manifest.node).find(([, a]) => a.exportedName === "pauseCampaignAction")?.[0] ?? "";
  const campaignId = campaignUrl.split("/").pop() ?? "";
  const api = await request.newContext({ baseURL: BASE_URL, storageState: storageStateFor("viewer") });
  const response = await api.post(campaignUrl, {
    headers: {
      "next-action": actionId,
      accept: "text/x-component",
      "content-type": "text/plain;charset=UTF-8",
    },
    data: JSON.stringify([{ campaignId }]),
  });
  expect(await response.text()).toContain('"code":"FORBIDDEN"');
  await api.dispose();

  const marketer = await browser.newContext({ storageState: storageStateFor("marketer") });
  const check = await marketer.newPage();
  await check.goto(campaignUrl);
  await expect(check.getByTestId("campaign-status")).toHaveText("Active");
  await marketer.close();
});

test("the dashboard counts the active campaign's budget", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStateFor("approver") });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByTestId("stat-budget")).not.toHaveText("¥0.00");
  await expect(page.getByRole("heading", { name: "Ending soon" })).toBeVisible();
  await context.close();
});

test("closing explains what Alipay does next", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStateFor("marketer") });
  const page = await context.newPage();
  await page.goto(campaignUrl);
  await page.getByRole("button", { name: "Close campaign" }).click();
  const dialog = page.getByRole("dialog", { name: "Close this campaign?" });
  await expect(dialog).toContainText("returns the unused budget");
  await dialog.getByRole("button", { name: "Close campaign" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Closed");
  await expect(page.getByRole("button", { name: "Pause" })).toHaveCount(0);
  await context.close();
});

async function createCampaignThroughTheForm(page: Page, campaignName: string): Promise<string> {
  await page.goto("/campaigns/new");
  await fill(page, "Packet name", campaignName);
  await fill(page, "Greeting", "Thanks");
  await fill(page, "Total budget (yuan)", "20.00");
  await fill(page, "Number of packets", "10");
  await page.getByRole("button", { name: "Create and submit to Alipay" }).click();
  await expect(page).toHaveURL(/\/campaigns\/c[a-z0-9]{20,}$/);
  await expect(page.getByTestId("campaign-status")).toHaveText("Awaiting funding");
  return new URL(page.url()).pathname;
}

test("an unpaid campaign has nothing available, and cancelling it says there is nothing to refund", async ({
  browser,
}) => {
  const context = await browser.newContext({ storageState: storageStateFor("marketer") });
  const page = await context.newPage();
  await createCampaignThroughTheForm(page, `E2E unpaid ${Date.now()}`);
  const tracker = page.getByTestId("budget-tracker");
  await expect(tracker.getByTestId("budget-total")).toHaveText("¥20.00");
  await expect(tracker.getByTestId("budget-available")).toHaveText("¥0.00");
  await expect(tracker.getByTestId("budget-available-note")).toHaveText(
    "Awaiting funding · ¥20.00 once paid",
  );
  await expect(page.getByRole("button", { name: "Close campaign" })).toHaveCount(0);

  await page.getByRole("button", { name: "Cancel campaign" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this campaign?" });
  await expect(dialog).toContainText("there is no money to refund");
  await expect(dialog).not.toContainText("returns the unused budget");
  await dialog.getByRole("button", { name: "Cancel campaign" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Closed");
  await expect(page.getByText("Cancelled before it was paid")).toBeVisible();
  await expect(page.getByText("returns the unused budget")).toHaveCount(0);
  await context.close();
});

test("coming back from Alipay's cashier only reads; the page then asks Alipay with an explicit POST", async ({
  browser,
}) => {
  const context = await browser.newContext({ storageState: storageStateFor("marketer") });
  const page = await context.newPage();
  const url = await createCampaignThroughTheForm(page, `E2E return ${Date.now()}`);
  const payUrl = new URL(
    (await page.getByRole("link", { name: "Pay on Alipay" }).getAttribute("href")) ?? "",
  );
  const crowdNo = payUrl.searchParams.get("crowdNo") ?? "";
  expect(crowdNo).not.toBe("");

  // Paid at "Alipay" (the simulator), without the browser coming back yet.
  const alipay = await request.newContext();
  const paid = await alipay.post(`${payUrl.origin}/__sim/campaigns/${encodeURIComponent(crowdNo)}/pay`, {
    data: {},
  });
  expect(paid.ok()).toBe(true);
  await alipay.dispose();

  // The return URL, fetched twice as a prefetch or a reload would: it forwards and writes nothing.
  const api = await request.newContext({ baseURL: BASE_URL, storageState: storageStateFor("marketer") });
  for (let i = 0; i < 2; i++) {
    const response = await api.get(`/campaigns/funded?crowdNo=${encodeURIComponent(crowdNo)}`, {
      maxRedirects: 0,
    });
    expect(response.status()).toBe(307);
    expect(response.headers().location).toBe(`${url}?funded=1`);
  }
  const html = await (await api.get(url)).text();
  expect(html).toContain("Awaiting funding");
  await api.dispose();

  // In the browser, the campaign page reads the new status from Alipay through a server action.
  await page.goto(`${url}?funded=1`);
  await expect(page.getByTestId("campaign-status")).toHaveText("Active");
  await expect(page.getByText("Payment done")).toBeVisible();
  await expect(page.getByTestId("budget-available")).toHaveText("¥20.00");
  await context.close();
});

test("a campaign's activity shows who did what to everyone, and audit details only to audit readers", async ({
  browser,
}) => {
  for (const [role, detailed] of [
    ["marketer", false],
    ["approver", false],
    ["viewer", true],
  ] as const) {
    const context = await browser.newContext({ storageState: storageStateFor(role) });
    const page = await context.newPage();
    await page.goto(campaignUrl);
    const activity = page.getByRole("list", { name: "Activity" });
    await expect(activity).toContainText("marketer@example.com");
    await expect(activity).toContainText("System · alipay");
    const details = activity.getByRole("button", { name: "Show changes" });
    if (detailed) await expect(details.first()).toBeVisible();
    else await expect(details).toHaveCount(0);
    await context.close();
  }
});
