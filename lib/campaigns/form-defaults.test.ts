import { describe, expect, it } from "vitest";
import { campaignFormSchema } from "@/lib/validation/campaigns";
import {
  defaultApprovalPolicy,
  newCampaignDefaults,
  withDefaultPolicy,
  type CampaignFormState,
} from "./form-defaults";

const NOW = new Date("2026-11-21T04:00:00Z");
const blank = newCampaignDefaults({ timeZone: "Asia/Shanghai", now: NOW, origin: "http://localhost:3000/" });

describe("defaultApprovalPolicy", () => {
  it("auto-approves up to one fixed packet, up to 10 % of the budget a day", () => {
    // ¥1,000.00 in 50 packets of ¥20.00: cap ¥100.00.
    expect(defaultApprovalPolicy("FIXED", 100_000, 50)).toEqual({
      autoApproveMaxFen: 2_000,
      autoApproveDailyCapFen: 10_000,
    });
  });

  it("uses the largest random packet Alipay can award: 1.5 × the average", () => {
    // ¥100.00 in 3 random packets: average ¥33.33, largest ¥50.00, which is above 10 % (¥10.00).
    expect(defaultApprovalPolicy("RANDOM", 10_000, 3)).toEqual({
      autoApproveMaxFen: 5_000,
      autoApproveDailyCapFen: 5_000,
    });
  });

  it("never lets the threshold exceed ¥200.00 or the cap exceed the budget", () => {
    // 1.5 × ¥180.00 = ¥270.00, above Alipay's ¥200.00 per packet.
    expect(defaultApprovalPolicy("RANDOM", 1_800_000, 100)?.autoApproveMaxFen).toBe(20_000);
    // One packet of ¥150.00: the cap is the whole budget, not one packet more.
    expect(defaultApprovalPolicy("FIXED", 15_000, 1)).toEqual({
      autoApproveMaxFen: 15_000,
      autoApproveDailyCapFen: 15_000,
    });
    expect(defaultApprovalPolicy("RANDOM", 15_000, 1)).toEqual({
      autoApproveMaxFen: 15_000,
      autoApproveDailyCapFen: 15_000,
    });
  });

  it("takes 10 % of the budget in whole fen", () => {
    // ¥12,345.67 → ¥1,234.56 (1,234,567 fen × 10 % = 123,456.7, rounded down).
    expect(defaultApprovalPolicy("RANDOM", 1_234_567, 10_000)?.autoApproveDailyCapFen).toBe(123_456);
  });

  it("has no default for a budget and count Alipay would refuse", () => {
    expect(defaultApprovalPolicy("FIXED", 10_000, 3)).toBeNull(); // ¥33.33⅓
    expect(defaultApprovalPolicy("FIXED", 100, 6)).toBeNull(); // below ¥0.20
    expect(defaultApprovalPolicy("RANDOM", 100_001, 5)).toBeNull(); // above ¥200.00 on average
  });

  it("always passes the schema's own policy rules (cap ≥ threshold, cap ≤ budget)", () => {
    const schema = campaignFormSchema({ timeZone: "Asia/Shanghai", now: () => NOW });
    const cases: [CampaignFormState["prizeType"], string, string][] = [
      ["FIXED", "1000.00", "50"],
      ["FIXED", "200.00", "1"],
      ["RANDOM", "100.00", "3"],
      ["RANDOM", "1.00", "5"],
      ["RANDOM", "10000000.00", "50000"],
    ];
    for (const [prizeType, total, packetCount] of cases) {
      const form = withDefaultPolicy({
        ...blank,
        name: "Points week",
        prizeMessage: "Thanks",
        prizeType,
        total,
        packetCount,
      });
      const parsed = schema.safeParse(form);
      expect(parsed.success, `${prizeType} ${total} / ${packetCount}`).toBe(true);
    }
  });
});

describe("withDefaultPolicy", () => {
  it("fills in the policy fields as the budget and count are typed", () => {
    const form = withDefaultPolicy({ ...blank, total: "1000", packetCount: "50" });
    expect(form).toMatchObject({ autoApproveMax: "20.00", autoApproveDailyCap: "100.00" });
  });

  it("empties them while the budget and count are not a valid campaign, so no stale default stays", () => {
    const filled = withDefaultPolicy({ ...blank, total: "1000", packetCount: "50" });
    expect(withDefaultPolicy({ ...filled, packetCount: "" })).toMatchObject({
      autoApproveMax: "",
      autoApproveDailyCap: "",
    });
    expect(withDefaultPolicy({ ...filled, packetCount: "3", total: "100" })).toMatchObject({
      autoApproveMax: "",
    });
  });

  it("follows the amount type", () => {
    const form = { ...blank, total: "100", packetCount: "4" };
    expect(withDefaultPolicy(form).autoApproveMax).toBe("25.00");
    expect(withDefaultPolicy({ ...form, prizeType: "RANDOM" }).autoApproveMax).toBe("37.50");
  });
});

describe("newCampaignDefaults", () => {
  it("starts with an empty policy (¥0: every payout waits) and the console's return link", () => {
    expect(blank).toMatchObject({
      autoApproveMax: "",
      autoApproveDailyCap: "",
      merchantLink: "http://localhost:3000/campaigns/funded",
      endAt: "2026-12-21T12:00",
    });
  });
});
