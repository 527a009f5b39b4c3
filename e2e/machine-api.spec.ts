import { expect, request, test } from "@playwright/test";
import { storageStateFor } from "./support/accounts";
import { BASE_URL } from "./support/server";

/**
 * The company's backend, as it would use the console over HTTP against the production server: an admin creates
 * an API key in the settings, the backend creates a campaign with it and gets Alipay's pay link, someone pays
 * the budget on the cashier, the backend syncs the campaign and then pays a points redemption, replays it
 * (same payout) and reads it back. Keys never open console pages, and session cookies never open the API.
 */
test.describe.configure({ mode: "serial" });

let secret = "";
const stamp = Date.now();

test("an admin creates a key for the backend in the settings", async ({ browser }) => {
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const page = await admin.newPage();
  await page.goto("/settings/api-keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill(`Mini-program backend ${stamp}`);
  for (const permission of [
    /Send red packets/,
    /Read payouts/,
    /Read campaigns/,
    /Create campaigns/,
    /Refresh funding status/,
  ])
    await dialog.getByRole("checkbox", { name: permission }).check();
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  secret = await page.getByRole("dialog", { name: "API key created" }).getByLabel("Secret").inputValue();
  expect(secret).toMatch(/^hbk_live_/);
  await admin.close();
});

test("the backend creates and funds a campaign, then pays a points redemption exactly once", async () => {
  const api = await request.newContext({
    baseURL: BASE_URL,
    extraHTTPHeaders: { authorization: `Bearer ${secret}` },
  });
  const endsAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const created = await api.post("/api/v1/campaigns", {
    data: {
      name: `E2E API ${stamp}`,
      prizeMessage: "Thanks for your points",
      prizeType: "FIXED",
      budgetFen: 1000,
      packetCount: 5,
      endsAt,
      autoApproveMaxFen: 200,
      autoApproveDailyCapFen: 1000,
    },
  });
  expect(created.status()).toBe(201);
  const { campaign, payUrl } = (await created.json()) as {
    campaign: { id: string; status: string };
    payUrl: string;
  };
  expect(campaign.status).toBe("AWAITING_FUNDING");

  // A person pays the budget on Alipay's cashier (the simulator's page), then the backend syncs.
  const cashier = await request.newContext();
  const crowdNo = new URL(payUrl).searchParams.get("crowdNo") ?? "";
  const paid = await cashier.post(
    `${new URL(payUrl).origin}/__sim/campaigns/${encodeURIComponent(crowdNo)}/pay`,
    {
      data: {},
    },
  );
  expect(paid.ok()).toBe(true);
  await cashier.dispose();
  const synced = await api.post(`/api/v1/campaigns/${campaign.id}/sync`);
  expect(synced.status()).toBe(200);
  expect(((await synced.json()) as { status: string; availableFen: number }).status).toBe("ACTIVE");

  const body = {
    outBizNo: `points_${stamp}`,
    recipient: { type: "USER_ID", id: "2088000000000777" },
    memo: "500 points redeemed",
  };
  const first = await api.post(`/api/v1/campaigns/${campaign.id}/payouts?wait=10`, { data: body });
  expect(first.status()).toBe(201);
  const payout = (await first.json()) as { id: string; status: string; awardedFen: number };
  expect(payout).toMatchObject({ status: "SUCCEEDED", awardedFen: 200 });

  const replay = await api.post(`/api/v1/campaigns/${campaign.id}/payouts`, { data: body });
  expect(replay.status()).toBe(200);
  expect(((await replay.json()) as { id: string }).id).toBe(payout.id);

  const changed = await api.post(`/api/v1/campaigns/${campaign.id}/payouts`, {
    data: { ...body, recipient: { type: "USER_ID", id: "2088000000000778" } },
  });
  expect(changed.status()).toBe(409);
  const conflict = (await changed.json()) as { error: { code: string; fields: Record<string, string[]> } };
  expect(conflict.error.code).toBe("IDEMPOTENCY_CONFLICT");
  expect(Object.keys(conflict.error.fields)).toEqual(["recipient.id"]);

  const read = await api.get(`/api/v1/campaigns/${campaign.id}/payouts/${body.outBizNo}`);
  expect(((await read.json()) as { id: string; status: string }).status).toBe("SUCCEEDED");
  const figures = (await (await api.get(`/api/v1/campaigns/${campaign.id}`)).json()) as {
    spentFen: number;
    availableFen: number;
  };
  expect(figures).toMatchObject({ spentFen: 200, availableFen: 800 });
  await api.dispose();
});

test("an API key does not open console pages, and a session cookie does not open the API", async () => {
  const withKey = await request.newContext({
    baseURL: BASE_URL,
    extraHTTPHeaders: { authorization: `Bearer ${secret}` },
    maxRedirects: 0,
  });
  const page = await withKey.get("/payouts");
  expect(page.status()).toBe(307);
  expect(page.headers().location).toContain("/login");
  await withKey.dispose();

  const withCookie = await request.newContext({ baseURL: BASE_URL, storageState: storageStateFor("admin") });
  const refused = await withCookie.get("/api/v1/payouts");
  expect(refused.status()).toBe(401);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
  await withCookie.dispose();
});
