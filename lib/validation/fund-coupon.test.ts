import { describe, expect, it } from "vitest";
import { fieldErrorsFromZod } from "./errors";
import { fundCampaignSchema, returnCampaignFundsSchema, titleWidth } from "./fund-coupon";

function errors(schema: typeof fundCampaignSchema | typeof returnCampaignFundsSchema, input: unknown) {
  const parsed = schema.safeParse(input);
  return parsed.success ? {} : fieldErrorsFromZod(parsed.error);
}

describe("adding funds", () => {
  const base = { campaignId: "c1", amount: "1,000.50", title: "Points week", method: "AGREEMENT" };

  it("reads yuan as fen and the expiry in minutes (hours × 60)", () => {
    expect(fundCampaignSchema.parse({ ...base, expiresIn: "2", expiresUnit: "hours" })).toEqual({
      campaignId: "c1",
      amountFen: 100_050,
      title: "Points week",
      method: "AGREEMENT",
      expiresInMinutes: 120,
    });
    expect(fundCampaignSchema.parse({ ...base, method: "PAGE" })).toMatchObject({
      method: "PAGE",
      expiresInMinutes: null,
    });
  });

  it("counts a Chinese character as two in the title (50 Chinese or 100 ASCII)", () => {
    expect(titleWidth("积分a")).toBe(5);
    expect(errors(fundCampaignSchema, { ...base, method: "PAGE", title: "红".repeat(50) })).toEqual({});
    expect(errors(fundCampaignSchema, { ...base, method: "PAGE", title: "红".repeat(51) })).toEqual({
      title: [{ key: "campaigns.funding.validation.titleTooLong", params: {} }],
    });
    expect(errors(fundCampaignSchema, { ...base, method: "PAGE", title: "a".repeat(101) })).toHaveProperty(
      "title",
    );
  });

  it("refuses a bad amount and an expiry outside 5 minutes – 7 days", () => {
    expect(errors(fundCampaignSchema, { ...base, method: "PAGE", amount: "0" })).toEqual({
      amount: [{ key: "validation.invalidAmount", params: {} }],
    });
    expect(errors(fundCampaignSchema, { ...base, expiresIn: "4", expiresUnit: "minutes" })).toEqual({
      expiresIn: [{ key: "campaigns.funding.validation.expiryRange", params: { min: 5, max: 7 } }],
    });
    expect(errors(fundCampaignSchema, { ...base, expiresIn: "169", expiresUnit: "hours" })).toHaveProperty(
      "expiresIn",
    );
    expect(fundCampaignSchema.parse({ ...base, expiresIn: "10080", expiresUnit: "minutes" })).toMatchObject({
      expiresInMinutes: 10_080,
    });
  });
});

describe("returning funds", () => {
  it("returns everything, one order, or part of one order", () => {
    expect(returnCampaignFundsSchema.parse({ campaignId: "c1", fundOrderId: "", amount: "" })).toEqual({
      campaignId: "c1",
      fundOrderId: null,
      amountFen: null,
    });
    expect(returnCampaignFundsSchema.parse({ campaignId: "c1", fundOrderId: "o1", amount: "12.30" })).toEqual(
      {
        campaignId: "c1",
        fundOrderId: "o1",
        amountFen: 1_230,
      },
    );
    expect(errors(returnCampaignFundsSchema, { campaignId: "c1", amount: "5" })).toEqual({
      amount: [{ key: "campaigns.funding.validation.partialNeedsOrder", params: {} }],
    });
  });
});
