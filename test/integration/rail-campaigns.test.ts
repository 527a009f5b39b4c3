/**
 * Creating TRANSFER and FUND_COUPON campaigns the three ways people and machines do: the console form's schema
 * straight into createCampaign, and the API's POST /api/v1/campaigns (the same schema behind the API's field
 * names). Neither rail calls Alipay to be created: a transfer campaign is ACTIVE with its budget available at
 * once (it pays from the merchant balance), a fund-coupon campaign waits for funding with no budget. Pausing,
 * resuming and closing them changes only the console. Against the real database and the simulator over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as CREATE } from "@/app/api/v1/campaigns/route";
import type { AlipayClient } from "@/lib/alipay/client";
import type { ApiErrorBody } from "@/lib/api/errors";
import type { ApiCampaign } from "@/lib/api/resources";
import { createApiKey } from "@/lib/api-keys/service";
import { isFunded, spendableFen } from "@/lib/budget/figures";
import { closeCampaign, createCampaign, setCampaignPaused } from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import { campaignFormSchema, type CampaignFormValues } from "@/lib/validation/campaigns";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";

const DAY = 24 * 60 * 60 * 1000;
const TZ = "Asia/Shanghai";

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let secret: string;
let n = 0;

function useClientForRoutes(c: AlipayClient | undefined): void {
  (globalThis as unknown as { hongbaoAlipay?: AlipayClient }).hongbaoAlipay = c;
}

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 8000 });
  useClientForRoutes(client);
  const admin = await insertUser("admin");
  marketer = await insertUser("marketer");
  const key = await createApiKey(admin.actor, {
    name: "rail campaigns",
    permissions: ["campaign:read", "campaign:create", "campaign:fund", "campaign:manage"],
    campaignIds: null,
    ratePerMinute: 10_000,
  });
  secret = key.secret;
});
afterAll(async () => {
  useClientForRoutes(undefined);
  await alipay.sim.stop();
});

/** Wall-clock text in the display zone, as the form's datetime-local holds it. */
function inputTime(date: Date): string {
  return new Intl.DateTimeFormat("sv-SE", {
    timeZone: TZ,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  })
    .format(date)
    .replace(" ", "T");
}

function formValues(
  rail: "TRANSFER" | "FUND_COUPON",
  overrides: Record<string, string> = {},
): CampaignFormValues {
  n += 1;
  const common = {
    name: `Rail ${rail} ${Date.now()}-${n}`,
    prizeMessage: "Thanks for inviting",
    startMode: "now" as const,
    startAt: "",
    endAt: inputTime(new Date(Date.now() + 30 * DAY)),
    frequencyLifetime: "5",
    frequencyPeriod: "DAY" as const,
    frequencyPeriodLimit: "2",
    defaultScene: "INVITE_REWARD" as const,
    autoApproveMax: "5.00",
    autoApproveDailyCap: "50.00",
    maxPacket: "5.00",
    dailyAmountPerUser: "8.00",
  };
  return rail === "TRANSFER"
    ? { ...common, rail, total: "1000.00", ...overrides }
    : { ...common, rail, ...overrides };
}

function create(body: unknown) {
  return CREATE(
    new Request("http://localhost/api/v1/campaigns", {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );
}

describe("through the console form's schema and createCampaign", () => {
  const schema = campaignFormSchema({ timeZone: TZ });

  it("creates a TRANSFER campaign ACTIVE, its budget available at once, nothing created at Alipay", async () => {
    const input = schema.parse(formValues("TRANSFER"));
    const campaign = await createCampaign(client, marketer.actor, input);
    expect(campaign).toMatchObject({
      rail: "TRANSFER",
      status: "ACTIVE",
      prizeType: "FIXED",
      budgetFen: 100_000,
      packetCount: 0,
      maxPacketFen: 500,
      dailyAmountPerUserFen: 800,
      frequencyLifetime: 5,
      frequencyPeriod: "DAY",
      frequencyPeriodLimit: 2,
      merchantLink: null,
      crowdNo: null,
      autoApproveMaxFen: 500,
      autoApproveDailyCapFen: 5_000,
    });
    expect(isFunded(campaign)).toBe(true);
    expect(spendableFen(campaign)).toBe(100_000);

    // Pause, resume and close are the console's own: no Alipay status to change.
    expect((await setCampaignPaused(client, marketer.actor, campaign.id, true)).status).toBe("PAUSED");
    expect((await setCampaignPaused(client, marketer.actor, campaign.id, false)).status).toBe("ACTIVE");
    expect((await closeCampaign(client, marketer.actor, campaign.id)).status).toBe("CLOSED");
  });

  it("creates a FUND_COUPON campaign awaiting funding with no budget, and cancels it without a refund", async () => {
    const input = schema.parse(formValues("FUND_COUPON", { dailyAmountPerUser: "" }));
    const campaign = await createCampaign(client, marketer.actor, input);
    expect(campaign).toMatchObject({
      rail: "FUND_COUPON",
      status: "AWAITING_FUNDING",
      budgetFen: 0,
      packetCount: 0,
      maxPacketFen: 500,
      dailyAmountPerUserFen: null,
    });
    expect(isFunded(campaign)).toBe(false);
    expect(spendableFen(campaign)).toBe(0);

    const cancelled = await closeCampaign(client, marketer.actor, campaign.id);
    expect(cancelled).toMatchObject({ status: "CLOSED", refundedFen: 0 });
    expect(await db.campaignRefund.count({ where: { campaignId: campaign.id } })).toBe(0);
  });
});

describe("through POST /api/v1/campaigns", () => {
  const endsAt = () => new Date(Date.now() + 30 * DAY).toISOString();

  it("creates a TRANSFER campaign: 201, ACTIVE, no cashier link, the form's default policy", async () => {
    const response = await create({
      rail: "TRANSFER",
      name: `API transfer ${Date.now()}`,
      prizeMessage: "Thanks",
      budgetFen: 100_000,
      maxPacketFen: 2_000,
      endsAt: endsAt(),
    });
    expect(response.status).toBe(201);
    const { campaign, payUrl } = (await response.json()) as { campaign: ApiCampaign; payUrl: string | null };
    expect(payUrl).toBeNull();
    expect(campaign).toMatchObject({ status: "ACTIVE", budgetFen: 100_000, availableFen: 100_000 });
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      rail: "TRANSFER",
      packetCount: 0,
      maxPacketFen: 2_000,
      dailyAmountPerUserFen: null,
      // One largest packet automatically, 10 % of the budget a day.
      autoApproveMaxFen: 2_000,
      autoApproveDailyCapFen: 10_000,
    });
  });

  it("creates a FUND_COUPON campaign without a budget: 201, AWAITING_FUNDING", async () => {
    const response = await create({
      rail: "FUND_COUPON",
      name: `API fund coupon ${Date.now()}`,
      prizeMessage: "Thanks",
      maxPacketFen: 1_000,
      dailyAmountPerUserFen: 3_000,
      endsAt: endsAt(),
    });
    expect(response.status).toBe(201);
    const { campaign } = (await response.json()) as { campaign: ApiCampaign };
    expect(campaign).toMatchObject({ status: "AWAITING_FUNDING", budgetFen: 0, availableFen: 0 });
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      rail: "FUND_COUPON",
      maxPacketFen: 1_000,
      dailyAmountPerUserFen: 3_000,
      autoApproveMaxFen: 1_000,
      autoApproveDailyCapFen: 10_000,
    });
  });

  it("names the rail's own fields in 422s, under the API's names", async () => {
    const before = await db.campaign.count();
    const missing = await create({ rail: "TRANSFER", name: "N", prizeMessage: "M", endsAt: endsAt() });
    expect(missing.status).toBe(422);
    const fields = ((await missing.json()) as ApiErrorBody).error.fields ?? {};
    expect(Object.keys(fields).sort()).toEqual(["budgetFen", "maxPacketFen"]);

    const tooBig = await create({
      rail: "FUND_COUPON",
      name: "N",
      prizeMessage: "M",
      maxPacketFen: 40_001,
      dailyAmountPerUserFen: 100,
      endsAt: endsAt(),
    });
    expect(tooBig.status).toBe(422);
    const tooBigFields = ((await tooBig.json()) as ApiErrorBody).error.fields ?? {};
    expect(Object.keys(tooBigFields)).toEqual(["maxPacketFen"]);
    expect(tooBigFields.maxPacketFen?.[0]).toContain("¥400.00");
    expect(await db.campaign.count()).toBe(before);
  });
});
