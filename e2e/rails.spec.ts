import { expect, test, type Page } from "@playwright/test";
import { storageStateFor } from "./support/accounts";

/**
 * The two other rails as a marketer uses them: a fund-coupon campaign funded through Alipay's PC cashier in the
 * browser (the simulator's), a packet of a chosen amount sent from it, and the unused funds returned; a transfer
 * campaign paying several packets of different amounts from the merchant balance.
 */
test.describe.configure({ mode: "serial" });
test.use({ storageState: storageStateFor("marketer") });

const stamp = Date.now();

/** Creates a campaign of a rail that needs no Alipay create call; returns the campaign page's path. */
async function createCampaign(
  page: Page,
  rail: "Fund coupon" | "B2C red packet (transfer)",
  fields: { name: string; maxPacketYuan: string; budgetYuan?: string },
): Promise<string> {
  await page.goto("/campaigns/new");
  await page.getByTestId("rail-choice").getByText(rail, { exact: true }).click();
  await page.getByLabel("Packet name", { exact: true }).fill(fields.name);
  await page.getByLabel("Greeting", { exact: true }).fill("Thanks for your points");
  if (fields.budgetYuan)
    await page.getByLabel("Budget limit (yuan)", { exact: true }).fill(fields.budgetYuan);
  await page.getByLabel("Max per packet (yuan)", { exact: true }).fill(fields.maxPacketYuan);
  await page.getByRole("button", { name: "Create campaign" }).click();
  await expect(page).toHaveURL(/\/campaigns\/c[a-z0-9]{20,}$/);
  return new URL(page.url()).pathname;
}

/** Sends one packet from the campaign page and waits until its payout page says it was paid. */
async function sendPacket(page: Page, campaignPath: string, recipient: string, amountYuan: string) {
  await page.goto(campaignPath);
  await page.getByRole("button", { name: "Send red packet" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Recipient", { exact: true }).fill(recipient);
  await dialog.getByLabel("Amount (yuan)").fill(amountYuan);
  await dialog.getByRole("button", { name: "Send", exact: true }).click();
  await expect(dialog).toBeHidden();
  await page.getByTestId("send-result").getByRole("link", { name: "View payout" }).click();
  await expect(page).toHaveURL(/\/payouts\/p[a-z0-9]+$/);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("payout-status").first()).toHaveText("Paid", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
}

test("a fund-coupon campaign: funded at the cashier, a packet sent, the rest returned", async ({ page }) => {
  const campaign = await createCampaign(page, "Fund coupon", {
    name: `E2E fund coupon ${stamp}`,
    maxPacketYuan: "5.00",
  });
  await expect(page.getByTestId("campaign-status")).toHaveText("Awaiting funding");

  await page.getByRole("button", { name: "Add funds" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Amount (yuan)").fill("20.00");
  await dialog.getByLabel("Order title").fill("E2E funding");
  await dialog.getByText("Alipay cashier", { exact: true }).click();
  await dialog.getByRole("button", { name: "Pay at Alipay cashier" }).click();
  // The signed form takes the browser to Alipay's cashier (the simulator's), which sends it back here.
  await page.getByRole("button", { name: /Pay ¥20\.00/ }).click();
  await expect(page).toHaveURL(/\/fund-return/);
  await expect(page.getByText("Paid: ¥20.00 was added to the campaign's budget.")).toBeVisible();
  await page.getByRole("link", { name: "← Back to the campaign" }).click();
  await expect(page).toHaveURL(new RegExp(`${campaign}$`));
  await expect(page.getByTestId("campaign-status")).toHaveText("Active");
  await expect(page.getByTestId("funding-funded")).toContainText("¥20.00");

  await sendPacket(page, campaign, "2088000000000301", "3.00");

  await page.goto(campaign);
  await expect(page.getByTestId("funding-disbursed")).toContainText("¥3.00");
  await page.getByRole("button", { name: "Return unused funds" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Return funds" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("funding-refunded")).toContainText("¥17.00", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("funding-available")).toContainText("¥0.00");
});

test("a transfer campaign pays packets of different amounts from the merchant balance", async ({ page }) => {
  const campaign = await createCampaign(page, "B2C red packet (transfer)", {
    name: `E2E transfer ${stamp}`,
    budgetYuan: "50.00",
    maxPacketYuan: "10.00",
  });
  await expect(page.getByTestId("campaign-status")).toHaveText("Active");
  await sendPacket(page, campaign, "2088000000000311", "1.50");
  await sendPacket(page, campaign, "2088000000000312", "3.38");
  await page.goto(campaign);
  await expect(page.getByTestId("budget-spent")).toContainText("¥4.88");
  await expect(page.getByTestId("budget-available")).toContainText("¥45.12");
});
