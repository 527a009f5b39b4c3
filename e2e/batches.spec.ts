import iconv from "iconv-lite";
import { expect, test, type Browser } from "@playwright/test";
import { storageStateFor } from "./support/accounts";
import { createActiveCampaign } from "./support/campaigns";

/**
 * A batch as people send it: a marketer uploads a 20-row GBK file with 2 bad rows, sees each bad row's number,
 * column and reason, submits the 18 good ones; an approver approves the batch as a whole; the progress bar
 * reaches 18 paid without a reload. A second batch with recipients Alipay refuses finishes with those rows in
 * its failed-rows CSV.
 */
test.describe.configure({ mode: "serial" });

const stamp = Date.now();
const name = `E2E batches ${stamp}`;
let campaignPath = "";

async function pageAs(browser: Browser, role: "marketer" | "approver") {
  const context = await browser.newContext({ storageState: storageStateFor(role) });
  return { context, page: await context.newPage() };
}

/** Alipay user ids of this run: 2088 + 12 digits, apart from the other specs'; 20889999… do not exist. */
function recipient(i: number, exists = true): string {
  return `${exists ? "2088" : "20889999"}${String(stamp + i).slice(exists ? -12 : -8)}`;
}

function gbkCsv(rows: string[][]): Buffer {
  const lines = [["收款人类型", "收款人", "场景", "备注", "业务单号"], ...rows].map((r) => r.join(","));
  return iconv.encode(lines.join("\r\n"), "gbk");
}

/** Uploads a file on /batches/new for this run's campaign; returns the page, with the preview shown. */
async function upload(browser: Browser, fileName: string, buffer: Buffer) {
  const marketer = await pageAs(browser, "marketer");
  const campaignId = campaignPath.split("/").pop() ?? "";
  await marketer.page.goto(`/batches/new?campaign=${campaignId}`);
  await marketer.page
    .getByTestId("batch-file")
    .setInputFiles({ name: fileName, mimeType: "text/csv", buffer });
  await expect(marketer.page.getByTestId("batch-preview")).toBeVisible();
  return marketer;
}

async function approve(browser: Browser, fileName: string) {
  const approver = await pageAs(browser, "approver");
  await approver.page.goto("/approvals");
  const card = approver.page.getByTestId("pending-batch").filter({ hasText: fileName });
  await card.getByRole("button", { name: "Approve batch" }).click();
  const confirm = approver.page.getByRole("dialog");
  if (await confirm.isVisible()) await confirm.getByRole("button", { name: /Approve/ }).click();
  await expect(approver.page.getByTestId("pending-batch").filter({ hasText: fileName })).toHaveCount(0);
  await approver.context.close();
}

test("a marketer uploads 20 rows with 2 bad ones, submits 18; once approved all 18 are paid", async ({
  browser,
}) => {
  const setup = await pageAs(browser, "marketer");
  campaignPath = await createActiveCampaign(setup.page, { name, budgetYuan: "100.00", packets: "100" });
  await setup.context.close();

  const rows = Array.from({ length: 20 }, (_, i) => [
    "用户ID",
    recipient(i),
    "积分兑换",
    "感谢参与",
    `e2e_b1_${stamp}_${i}`,
  ]);
  rows[3] = ["用户ID", "2088123", "积分兑换", "感谢参与", `e2e_b1_${stamp}_3`]; // row 5: malformed id
  rows[9] = ["外星人", recipient(9), "积分兑换", "感谢参与", `e2e_b1_${stamp}_9`]; // row 11: unknown recipient type
  const fileName = `winners-${stamp}.csv`;
  const { context, page } = await upload(browser, fileName, gbkCsv(rows));

  await expect(page.getByTestId("batch-total-rows")).toContainText("20");
  await expect(page.getByTestId("batch-valid-rows")).toContainText("18");
  await expect(page.getByTestId("batch-invalid-rows")).toContainText("2");
  await expect(page.getByTestId("batch-amount")).toContainText("¥18.00");
  const problems = page.getByTestId("batch-problem");
  await expect(problems.filter({ hasText: "5" }).filter({ hasText: "Recipient" })).not.toHaveCount(0);
  await expect(problems.filter({ hasText: "11" }).filter({ hasText: "Recipient type" })).not.toHaveCount(0);

  // The invalid rows download: both bad rows, as uploaded, with their reasons.
  const download = page.waitForEvent("download");
  await page.getByTestId("batch-download-invalid").click();
  const csv = await (await download).createReadStream().then(async (stream) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  });
  const lines = csv.trim().split(/\r?\n/);
  expect(lines).toHaveLength(3); // the header and the two bad rows
  expect(csv).toContain("2088123");
  expect(csv).toContain("外星人");

  await page.getByTestId("batch-submit").click();
  await expect(page).toHaveURL(/\/batches\/c[a-z0-9]{20,}$/);
  await expect(page.getByTestId("batch-phase")).toHaveText("Awaiting approval");
  const batchUrl = page.url();

  await approve(browser, fileName);
  // The marketer's open page follows the batch without reloading.
  await expect(page.getByTestId("batch-count-SUCCEEDED")).toContainText("18", { timeout: 30_000 });
  await expect(page.getByTestId("batch-progress")).toHaveAttribute("data-settled", "18");
  await expect(page.getByTestId("batch-phase")).toHaveText("Finished");
  expect(page.url()).toBe(batchUrl);
  await context.close();
});

test("a batch with recipients Alipay refuses finishes with exactly those rows in its failed-rows CSV", async ({
  browser,
}) => {
  const ghosts = [recipient(100, false), recipient(101, false)];
  const rows = [
    ["用户ID", recipient(102), "积分兑换", "", `e2e_b2_${stamp}_0`],
    ["用户ID", ghosts[0] ?? "", "积分兑换", "", `e2e_b2_${stamp}_1`],
    ["用户ID", recipient(103), "积分兑换", "", `e2e_b2_${stamp}_2`],
    ["用户ID", ghosts[1] ?? "", "积分兑换", "", `e2e_b2_${stamp}_3`],
  ];
  const fileName = `refusals-${stamp}.csv`;
  const { context, page } = await upload(browser, fileName, gbkCsv(rows));
  await expect(page.getByTestId("batch-valid-rows")).toContainText("4");
  await page.getByTestId("batch-submit").click();
  await expect(page).toHaveURL(/\/batches\/c[a-z0-9]{20,}$/);
  await approve(browser, fileName);
  await expect(page.getByTestId("batch-phase")).toHaveText("Finished", { timeout: 30_000 });
  await expect(page.getByTestId("batch-count-SUCCEEDED")).toContainText("2");
  await expect(page.getByTestId("batch-count-FAILED")).toContainText("2");

  const href = await page.getByTestId("batch-failed-csv").getAttribute("href");
  const response = await page.request.get(href ?? "");
  expect(response.status()).toBe(200);
  const csv = await response.text();
  const lines = csv.trim().split(/\r?\n/);
  expect(lines).toHaveLength(3);
  expect(
    lines
      .slice(1)
      .map((line) => line.split(",")[1])
      .sort(),
  ).toEqual([...ghosts].sort());
  expect(csv).toContain(`e2e_b2_${stamp}_1`);
  expect(csv).toContain(`e2e_b2_${stamp}_3`);
  await context.close();
});
