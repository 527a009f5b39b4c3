/**
 * What a budget and a packet count mean per packet under Alipay's rules (REFERENCE.md §2.2): a fixed packet is
 * budget ÷ count and must be a whole number of fen; a random packet is 0.5–1.5 × the average; every packet (the
 * average, for random ones) is between ¥0.20 and ¥200.00. When the input is impossible the result says why and
 * what would work, computed in integer fen. Pure: the campaign form shows describePacketPreview as people
 * type, the schema refuses with planPackets, and the default approval policy reads the largest packet from it.
 */
import type { PrizeType } from "@/lib/enums";
import { formatFen, parseYuanInput } from "@/lib/format/money";
import type { Translator } from "@/lib/i18n/messages";
import { CAMPAIGN_LIMITS } from "./limits";

export type { PrizeType };

export type PacketPlan =
  | { ok: true; prizeType: "FIXED"; perPacketFen: number }
  | { ok: true; prizeType: "RANDOM"; averageFen: number; smallestFen: number; largestFen: number };

export type PacketProblem =
  | {
      ok: false;
      problem: "notWholeFen";
      totalFen: number;
      count: number;
      /** Nearby budgets that divide evenly, ascending (one below, one above, when within Alipay's limits). */
      budgetsFen: number[];
      /** Nearby counts that divide the budget evenly, ascending (one below, one above, when any exist). */
      counts: number[];
    }
  | {
      ok: false;
      problem: "belowMinimum";
      prizeType: PrizeType;
      totalFen: number;
      count: number;
      minimumFen: number;
      /** The most packets this budget allows. */
      maxCount: number;
      /** The smallest budget this count allows. */
      minTotalFen: number;
    }
  | {
      ok: false;
      problem: "aboveMaximum";
      prizeType: PrizeType;
      totalFen: number;
      count: number;
      maximumFen: number;
      /** The fewest packets this budget allows. */
      minCount: number;
      /** The largest budget this count allows. */
      maxTotalFen: number;
    };

const { totalMinFen, totalMaxFen, countMin, countMax, packetMinFen, packetMaxFen } = CAMPAIGN_LIMITS;

/** The largest random packet Alipay can award: 1.5 × the average, never above ¥200.00 nor the budget. */
export function largestRandomPacketFen(totalFen: number, count: number): number {
  return Math.min(Math.floor((3 * totalFen) / (2 * count)), packetMaxFen, totalFen);
}

/**
 * The budget and count split into packets. Expects a budget and a count that are each within Alipay's limits
 * (the schema checks those first, with their own messages).
 */
export function planPackets(
  prizeType: PrizeType,
  totalFen: number,
  count: number,
): PacketPlan | PacketProblem {
  if (totalFen < packetMinFen * count) {
    return {
      ok: false,
      problem: "belowMinimum",
      prizeType,
      totalFen,
      count,
      minimumFen: packetMinFen,
      maxCount: Math.floor(totalFen / packetMinFen),
      minTotalFen: Math.max(packetMinFen * count, totalMinFen),
    };
  }
  if (totalFen > packetMaxFen * count) {
    return {
      ok: false,
      problem: "aboveMaximum",
      prizeType,
      totalFen,
      count,
      maximumFen: packetMaxFen,
      minCount: Math.ceil(totalFen / packetMaxFen),
      maxTotalFen: packetMaxFen * count,
    };
  }
  if (prizeType === "FIXED") {
    if (totalFen % count === 0) return { ok: true, prizeType, perPacketFen: totalFen / count };
    const lower = totalFen - (totalFen % count);
    return {
      ok: false,
      problem: "notWholeFen",
      totalFen,
      count,
      budgetsFen: [lower, lower + count].filter((b) => b >= totalMinFen && b <= totalMaxFen),
      counts: nearestDivisors(totalFen, count),
    };
  }
  return {
    ok: true,
    prizeType,
    averageFen: Math.floor(totalFen / count),
    smallestFen: Math.max(1, Math.floor(totalFen / (2 * count))),
    largestFen: largestRandomPacketFen(totalFen, count),
  };
}

/** The nearest counts below and above `count` that split `totalFen` into allowed whole-fen packets. */
function nearestDivisors(totalFen: number, count: number): number[] {
  const low = Math.max(countMin, Math.ceil(totalFen / packetMaxFen));
  const high = Math.min(countMax, Math.floor(totalFen / packetMinFen));
  const divisors: number[] = [];
  // Trial division up to √budget: at most ~31,623 steps for ¥10,000,000, cheap enough for every keystroke.
  for (let d = 1; d * d <= totalFen; d++) {
    if (totalFen % d === 0) divisors.push(d, totalFen / d);
  }
  const allowed = divisors.filter((d) => d >= low && d <= high);
  const below = allowed.filter((d) => d < count);
  const above = allowed.filter((d) => d > count);
  return [
    ...(below.length > 0 ? [Math.max(...below)] : []),
    ...(above.length > 0 ? [Math.min(...above)] : []),
  ];
}

/**
 * The budget and count as typed, when each is within Alipay's limits on its own; null otherwise (the fields
 * then show their own errors and there is nothing per packet to explain).
 */
export function readPacketInputs(
  total: string,
  packetCount: string,
): { totalFen: number; count: number } | null {
  const totalFen = parseYuanInput(total);
  const countText = packetCount.trim();
  if (totalFen === null || !/^\d{1,9}$/.test(countText)) return null;
  const count = Number(countText);
  if (totalFen < totalMinFen || totalFen > totalMaxFen || count < countMin || count > countMax) return null;
  return { totalFen, count };
}

/** The live preview for what is typed; null while the budget or the count is missing or out of range. */
export function packetPreview(input: {
  prizeType: PrizeType;
  total: string;
  packetCount: string;
}): PacketPlan | PacketProblem | null {
  const read = readPacketInputs(input.total, input.packetCount);
  return read ? planPackets(input.prizeType, read.totalFen, read.count) : null;
}

const VULGAR_FRACTIONS: Readonly<Record<string, string>> = {
  "1/2": "½",
  "1/3": "⅓",
  "2/3": "⅔",
  "1/4": "¼",
  "3/4": "¾",
  "1/5": "⅕",
  "2/5": "⅖",
  "3/5": "⅗",
  "4/5": "⅘",
  "1/6": "⅙",
  "5/6": "⅚",
  "1/7": "⅐",
  "1/8": "⅛",
  "3/8": "⅜",
  "5/8": "⅝",
  "7/8": "⅞",
  "1/9": "⅑",
  "1/10": "⅒",
};
const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * `totalFen ÷ count` exactly, in fen: `¥33.33⅓` for ¥100.00 ÷ 3, `¥14.28⁴⁄₇` for ¥100.00 ÷ 7. A fraction of a
 * fen with a denominator of 1,000 or more would be noise: it is cut off and marked `¥0.01…`.
 */
export function formatFenShare(totalFen: number, count: number): string {
  const whole = formatFen(Math.floor(totalFen / count));
  const remainder = totalFen % count;
  if (remainder === 0) return whole;
  const divisor = gcd(remainder, count);
  const numerator = remainder / divisor;
  const denominator = count / divisor;
  const vulgar = VULGAR_FRACTIONS[`${numerator}/${denominator}`];
  if (vulgar) return `${whole}${vulgar}`;
  if (denominator >= 1000) return `${whole}…`;
  const digits = (n: number, set: string) => [...String(n)].map((c) => set[Number(c)]).join("");
  return `${whole}${digits(numerator, SUPERSCRIPT)}\u2044${digits(denominator, SUBSCRIPT)}`;
}

const COUNT_FORMAT = new Intl.NumberFormat("en-US");

/** A packet count for people: `10,000,000` (the grouping formatFen uses, in both languages). */
export function formatCount(count: number): string {
  return COUNT_FORMAT.format(count);
}

/** "a or b" for one or two items. */
function either(t: Translator, items: string[]): string {
  const [first = "", second] = items;
  return second === undefined ? first : t("campaigns.preview.either", { first, second });
}

/** The packet preview in words: the amount per packet, or why Alipay would refuse and what would work. */
export function describePacketPreview(preview: PacketPlan | PacketProblem, t: Translator): string {
  if (preview.ok) {
    return preview.prizeType === "FIXED"
      ? t("campaigns.form.perPacket", { amount: formatFen(preview.perPacketFen) })
      : t("campaigns.form.randomRange", {
          min: formatFen(preview.smallestFen),
          max: formatFen(preview.largestFen),
          average: formatFen(preview.averageFen),
        });
  }
  const split = {
    total: formatFen(preview.totalFen),
    count: preview.count, // a number, so English picks "packet" or "packets"
    amount: formatFenShare(preview.totalFen, preview.count),
  };
  switch (preview.problem) {
    case "notWholeFen": {
      const options = [
        preview.budgetsFen.length > 0
          ? t("campaigns.preview.tryBudgets", { amounts: either(t, preview.budgetsFen.map(formatFen)) })
          : null,
        preview.counts.length > 0
          ? t("campaigns.preview.tryCounts", {
              count:
                preview.counts.length === 1
                  ? (preview.counts[0] ?? 0)
                  : either(t, preview.counts.map(formatCount)),
            })
          : null,
      ].filter((option): option is string => option !== null);
      const [first = "", second] = options;
      const suggestions = second === undefined ? first : t("campaigns.preview.orElse", { first, second });
      return t("campaigns.preview.notWholeFen", { ...split, suggestions });
    }
    case "belowMinimum":
      return t(
        preview.prizeType === "FIXED"
          ? "campaigns.preview.belowMinimum"
          : "campaigns.preview.belowMinimumAverage",
        {
          ...split,
          minimum: formatFen(preview.minimumFen),
          maxCount: formatCount(preview.maxCount),
          minTotal: formatFen(preview.minTotalFen),
        },
      );
    case "aboveMaximum":
      return t(
        preview.prizeType === "FIXED"
          ? "campaigns.preview.aboveMaximum"
          : "campaigns.preview.aboveMaximumAverage",
        {
          ...split,
          maximum: formatFen(preview.maximumFen),
          minCount: formatCount(preview.minCount),
          maxTotal: formatFen(preview.maxTotalFen),
        },
      );
  }
}
