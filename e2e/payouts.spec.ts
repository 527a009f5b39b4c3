import fs from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { storageStateFor } from "./support/accounts";
import { createActiveCampaign } from "./support/campaigns";

/**
 * Sending red packets as people do: a marketer funds a campaign whose policy auto-approves one ¥2.00 packet a
 * day, sends one (auto-approved, paid), sends another (past the daily cap: waits), an approver approves it (paid);
 * an admin's own request cannot be approved by that admin; the history finds a payout by its business reference;
 * a viewer exports the filtered view and the file holds the right rows and total.
 */
test.describe.configure({ mode: "serial" });

const stamp = Date.now();
const name = `E2E payouts ${stamp}`;
const autoRef = `e2e_auto_${stamp}`;
const waitRef = `e2e_wait_${stamp}`;
const adminRef = `e2e_admin_${stamp}`;
let campaignUrl = "";

async function pageAs(browser: Browser, role: "admin" | "marketer" | "approver" | "viewer") {
  const context = await browser.newContext({ storageState: storageStateFor(role) });
  return { context, page: await context.newPage() };
}

/** Fills the send dialog on the campaign page and submits it; returns the result line. */
async function sendPacket(page: Page, recipient: string, reference: string, expectApproval: RegExp) {
  await page.goto(campaignUrl);
  await page.getByRole("button", { name: "Send red packet" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Recipient", { exact: true }).fill(recipient);
  await dialog.getByLabel("Business reference (optional)").fill(reference);
  await expect(dialog.getByTestId("send-approval")).toContainText(expectApproval);
  await dialog.getByRole("button", { name: "Send", exact: true }).click();
  await expect(dialog).toBeHidden();
  return page.getByTestId("send-result");
}

/** The payout's status on its detail page, reloaded until it settles (the dispatcher runs in the server). */
async function expectStatus(page: Page, status: string) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("payout-status").first()).toHaveText(status, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
}

test("a marketer funds a campaign and sends an auto-approved packet that is paid", async ({ browser }) => {
  const { context, page } = await pageAs(browser, "marketer");
  campaignUrl = await createActiveCampaign(page, {
    name,
    budgetYuan: "20.00",
    packets: "10",
    perUserEver: "1",
    autoApproveYuan: "2.00",
    dailyCapYuan: "2.00",
  });

  const result = await sendPacket(page, "2088000000000101", autoRef, /Approved automatically/);
  await expect(result).toContainText("approved and queued for sending");
  await result.getByRole("link", { name: "View payout" }).click();
  // The reference is on the campaign page too: wait for the navigation itself, or a reload reloads that page.
  await expect(page).toHaveURL(/\/payouts\/p[a-z0-9]+$/);
  await expect(page.getByText(autoRef).first()).toBeVisible();
  await expectStatus(page, "Paid");
  await expect(page.getByTestId("payout-attempt")).toHaveCount(1);
  await expect(page.getByTestId("payout-attempt")).toContainText("10000");
  // Only admins see Alipay's raw reply.
  await expect(page.getByTestId("payout-raw-reply")).toHaveCount(0);
  await context.close();
});

test("past the daily cap a payout waits; the approver approves it and it is paid", async ({ browser }) => {
  const marketer = await pageAs(browser, "marketer");
  const result = await sendPacket(marketer.page, "2088000000000102", waitRef, /daily/i);
  await expect(result).toContainText("waiting for an approver");
  await marketer.context.close();

  const approver = await pageAs(browser, "approver");
  await approver.page.goto("/approvals");
  await approver.page.getByRole("button", { name: "Approve the payout to 2088********0102" }).click();
  await expect(approver.page.getByTestId("decision-result")).toContainText("1 approved");
  await approver.page.goto(`/payouts?outBizNo=${waitRef}`);
  await approver.page.getByRole("link", { name: name }).first().waitFor();
  await approver.page.getByRole("row").nth(1).getByRole("link").last().click();
  await expectStatus(approver.page, "Paid");
  await expect(approver.page.getByText("approver@", { exact: false }).first()).toBeVisible();
  await approver.context.close();
});

test("an admin cannot approve their own request", async ({ browser }) => {
  const { context, page } = await pageAs(browser, "admin");
  const result = await sendPacket(page, "2088000000000103", adminRef, /daily/i);
  await expect(result).toContainText("waiting for an approver");
  await page.goto("/approvals");
  const row = page.getByRole("row").filter({ hasText: "2088********0103" });
  await expect(row.getByTestId("own-request")).toBeVisible();
  await expect(row.getByRole("button", { name: /Approve/ })).toHaveCount(0);
  await expect(row.getByRole("checkbox")).toHaveCount(0);
  await context.close();
});

test("the history finds a payout by its business reference", async ({ browser }) => {
  const { context, page } = await pageAs(browser, "viewer");
  await page.goto("/payouts");
  await page.getByRole("searchbox", { name: "Reference", exact: true }).fill(autoRef);
  await expect(page).toHaveURL(new RegExp(`outBizNo=${autoRef}`));
  await expect(page.getByRole("row")).toHaveCount(2); // header + the one payout
  await expect(page.getByRole("row").nth(1)).toContainText("¥2.00");
  await expect(page.getByTestId("payout-totals")).toContainText("Matching payouts: 1");
  await context.close();
});

test("a viewer exports the filtered view: the CSV has its rows and total", async ({ browser }) => {
  const { context, page } = await pageAs(browser, "viewer");
  const campaignId = campaignUrl.split("/").at(-1) ?? "";
  await page.goto(`/payouts?campaign=${campaignId}&status=SUCCEEDED`);
  await expect(page.getByTestId("payout-totals")).toContainText("Matching payouts: 2 · Total amount: ¥4.00");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^payouts-\d{8}-\d{4}\.csv$/);
  const text = fs.readFileSync(await download.path(), "utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff); // BOM: Excel reads the Chinese columns correctly
  const lines = text.slice(1).trimEnd().split(/\r?\n/);
  expect(lines).toHaveLength(3); // header + two paid payouts
  expect(lines.slice(1).join("\n")).toContain(autoRef);
  expect(lines.slice(1).join("\n")).toContain(waitRef);
  expect(lines.slice(1).join("\n")).not.toContain(adminRef);
  // No field here holds a comma or a quote, so splitting on commas reads the columns.
  const header = lines[0]!.split(",");
  const amountColumn = header.indexOf("Amount (yuan)");
  expect(amountColumn).toBeGreaterThanOrEqual(0);
  const amounts = lines.slice(1).map((line) => line.split(",")[amountColumn]);
  expect(amounts).toEqual(["2.00", "2.00"]);
  await context.close();
});
