import { expect, type Page } from "@playwright/test";

export type CampaignForm = {
  name: string;
  budgetYuan: string;
  packets: string;
  perUserEver?: string;
  autoApproveYuan?: string;
  dailyCapYuan?: string;
};

/**
 * Creates a cash campaign through the form as a marketer would, pays it at the simulator's cashier and waits
 * until the console shows it active; returns the campaign page's path.
 */
export async function createActiveCampaign(page: Page, form: CampaignForm): Promise<string> {
  await page.goto("/campaigns/new");
  await page.getByLabel("Packet name", { exact: true }).fill(form.name);
  await page.getByLabel("Greeting", { exact: true }).fill("Thanks for your points");
  await page.getByLabel("Total budget (yuan)", { exact: true }).fill(form.budgetYuan);
  await page.getByLabel("Number of packets", { exact: true }).fill(form.packets);
  if (form.perUserEver) await page.getByLabel("Packets per user, ever").fill(form.perUserEver);
  if (form.autoApproveYuan)
    await page.getByLabel("Auto-approve payouts up to (yuan)").fill(form.autoApproveYuan);
  if (form.dailyCapYuan) await page.getByLabel("Daily auto-approve cap (yuan)").fill(form.dailyCapYuan);
  await page.getByRole("button", { name: "Create and submit to Alipay" }).click();
  await expect(page).toHaveURL(/\/campaigns\/c[a-z0-9]{20,}$/);
  const path = new URL(page.url()).pathname;
  await page.getByRole("link", { name: "Pay on Alipay" }).click();
  await page.getByRole("button", { name: /Pay ¥/ }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Active");
  return path;
}
