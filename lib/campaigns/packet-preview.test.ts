import { describe, expect, it } from "vitest";
import { translator } from "@/lib/i18n/messages";
import {
  describePacketPreview,
  formatFenShare,
  largestRandomPacketFen,
  packetPreview,
  planPackets,
  readPacketInputs,
} from "./packet-preview";

describe("planPackets: fixed amounts", () => {
  it("splits a budget that divides evenly", () => {
    expect(planPackets("FIXED", 10_000, 50)).toEqual({ ok: true, prizeType: "FIXED", perPacketFen: 200 });
  });

  it("explains ¥100.00 ÷ 3 and suggests the nearest budgets and counts that divide evenly", () => {
    expect(planPackets("FIXED", 10_000, 3)).toEqual({
      ok: false,
      problem: "notWholeFen",
      totalFen: 10_000,
      count: 3,
      budgetsFen: [9_999, 10_002],
      counts: [2, 4],
    });
  });

  it("suggests only counts whose packets stay within ¥0.20–¥200.00", () => {
    // ¥1,000.00 ÷ 7: 5 packets would be ¥200.00 (allowed), 4 would be ¥250.00 (not); 8 is the next above.
    const plan = planPackets("FIXED", 100_000, 7);
    expect(plan).toMatchObject({ problem: "notWholeFen", counts: [5, 8] });
  });

  it("leaves out a suggested budget below ¥1.00 or above ¥10,000,000.00", () => {
    expect(planPackets("FIXED", 101, 3)).toMatchObject({ budgetsFen: [102] }); // not ¥0.99
    // ¥10,000,000.00 ÷ 70,001: the next budget up (¥10,000,342.86) is above Alipay's maximum.
    expect(planPackets("FIXED", 1_000_000_000, 70_001)).toMatchObject({ budgetsFen: [999_964_285] });
  });

  it("has no count to suggest when only the typed one fits", () => {
    // 101 fen is prime: 1 packet of ¥1.01 and 101 packets of ¥0.01 (below ¥0.20) are the only even splits.
    expect(planPackets("FIXED", 101, 2)).toMatchObject({ problem: "notWholeFen", counts: [1] });
    expect(planPackets("FIXED", 100_003, 7)).toMatchObject({ problem: "notWholeFen", counts: [] }); // prime
  });
});

describe("planPackets: packets outside ¥0.20–¥200.00", () => {
  it("names the per-packet amount's minimum, the most packets and the smallest budget", () => {
    expect(planPackets("FIXED", 100, 6)).toEqual({
      ok: false,
      problem: "belowMinimum",
      prizeType: "FIXED",
      totalFen: 100,
      count: 6,
      minimumFen: 20,
      maxCount: 5,
      minTotalFen: 120,
    });
  });

  it("names the maximum, the fewest packets and the largest budget", () => {
    expect(planPackets("RANDOM", 100_001, 5)).toEqual({
      ok: false,
      problem: "aboveMaximum",
      prizeType: "RANDOM",
      totalFen: 100_001,
      count: 5,
      maximumFen: 20_000,
      minCount: 6,
      maxTotalFen: 100_000,
    });
  });

  it("accepts exactly ¥0.20 and exactly ¥200.00", () => {
    expect(planPackets("FIXED", 100, 5)).toMatchObject({ ok: true, perPacketFen: 20 });
    expect(planPackets("FIXED", 20_000, 1)).toMatchObject({ ok: true, perPacketFen: 20_000 });
  });
});

describe("planPackets: random amounts", () => {
  it("gives the average and the range Alipay awards in (0.5–1.5 × the average)", () => {
    expect(planPackets("RANDOM", 10_000, 3)).toEqual({
      ok: true,
      prizeType: "RANDOM",
      averageFen: 3_333,
      smallestFen: 1_666,
      largestFen: 5_000,
    });
  });

  it("never lets the largest packet exceed ¥200.00 or the budget", () => {
    expect(largestRandomPacketFen(1_800_000, 100)).toBe(20_000); // 1.5 × ¥180.00 = ¥270.00
    expect(largestRandomPacketFen(10_000, 1)).toBe(10_000); // one packet takes the whole budget
  });
});

describe("packetPreview", () => {
  it("reads what was typed", () => {
    expect(packetPreview({ prizeType: "FIXED", total: "¥1,000", packetCount: " 50 " })).toEqual({
      ok: true,
      prizeType: "FIXED",
      perPacketFen: 2_000,
    });
  });

  it("has nothing to say while the budget or the count is missing or out of range", () => {
    for (const [total, packetCount] of [
      ["", "3"],
      ["100", ""],
      ["abc", "3"],
      ["100", "2.5"],
      ["100", "0"],
      ["0.99", "1"],
      ["10000000.01", "50001"],
      ["1000", "10000001"],
    ] as const) {
      expect(packetPreview({ prizeType: "FIXED", total, packetCount })).toBeNull();
    }
  });

  it("reads the inputs the same way for the default policy", () => {
    expect(readPacketInputs("100.00", "3")).toEqual({ totalFen: 10_000, count: 3 });
    expect(readPacketInputs("-1", "3")).toBeNull();
  });
});

describe("formatFenShare", () => {
  it.each([
    [10_000, 50, "¥2.00"],
    [10_000, 3, "¥33.33⅓"],
    [20_000, 3, "¥66.66⅔"],
    [100, 6, "¥0.16⅔"],
    [10_000, 7, "¥14.28⁴⁄₇"],
    [1_000_000, 9_999, "¥1.00…"],
  ])("%i fen ÷ %i = %s", (totalFen, count, text) => {
    expect(formatFenShare(totalFen, count)).toBe(text);
  });
});

describe("describePacketPreview", () => {
  const en = translator("en");
  const zh = translator("zh-CN");
  const describe_ = (prizeType: "FIXED" | "RANDOM", total: string, packetCount: string, t = en) => {
    const preview = packetPreview({ prizeType, total, packetCount });
    if (!preview) throw new Error("expected a preview");
    return describePacketPreview(preview, t);
  };

  it("keeps the valid cases short: the packet, or the random range", () => {
    expect(describe_("FIXED", "100", "50")).toBe("¥2.00 per packet");
    expect(describe_("RANDOM", "100", "3")).toBe("About ¥16.66 – ¥50.00 per packet (average ¥33.33)");
    expect(describe_("FIXED", "100", "50", zh)).toBe("每个红包 ¥2.00");
  });

  it("explains a fixed packet that is not a whole number of fen, with what would work", () => {
    expect(describe_("FIXED", "100", "3")).toBe(
      "¥100.00 ÷ 3 packets = ¥33.33⅓: a fixed packet must be a whole number of fen — " +
        "try a budget of ¥99.99 or ¥100.02, or 2 or 4 packets.",
    );
    expect(describe_("FIXED", "100", "3", zh)).toBe(
      "¥100.00 ÷ 3 个 = ¥33.33⅓：固定金额的红包必须精确到分 — 可改为总预算 ¥99.99 或 ¥100.02，或 2 或 4 个红包。",
    );
    // Only one count fits: ¥1.01 as 1 packet.
    expect(describe_("FIXED", "1.01", "2")).toBe(
      "¥1.01 ÷ 2 packets = ¥0.50½: a fixed packet must be a whole number of fen — " +
        "try a budget of ¥1.00 or ¥1.02, or 1 packet.",
    );
  });

  it("names the per-packet amount and Alipay's limit when a packet is too small or too large", () => {
    expect(describe_("FIXED", "1", "6")).toBe(
      "¥1.00 ÷ 6 packets = ¥0.16⅔ per packet, below Alipay's minimum of ¥0.20 — " +
        "use at most 5 packets or a budget of at least ¥1.20.",
    );
    expect(describe_("RANDOM", "1.99", "10")).toBe(
      "¥1.99 ÷ 10 packets = ¥0.19⁹⁄₁₀ per packet on average, below Alipay's minimum of ¥0.20 — " +
        "use at most 9 packets or a budget of at least ¥2.00.",
    );
    expect(describe_("FIXED", "1000", "4")).toBe(
      "¥1,000.00 ÷ 4 packets = ¥250.00 per packet, above Alipay's maximum of ¥200.00 — " +
        "use at least 5 packets or a budget of at most ¥800.00.",
    );
    expect(describe_("FIXED", "300", "1")).toBe(
      "¥300.00 in 1 packet is above Alipay's maximum of ¥200.00 per packet — " +
        "use at least 2 packets or a budget of at most ¥200.00.",
    );
    expect(describe_("FIXED", "300", "1", zh)).toBe(
      "¥300.00 ÷ 1 个 = 每个 ¥300.00，超过支付宝的上限 ¥200.00 — 至少 2 个红包，或总预算最多 ¥200.00。",
    );
  });
});
