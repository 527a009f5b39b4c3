/**
 * Alipay's limits for cash campaigns (REFERENCE.md §2.2), in fen and counts. Pure: the campaign form's schema,
 * its live packet preview and its default approval policy all read them from here.
 */
export const CAMPAIGN_LIMITS = {
  nameMax: 64,
  messageMax: 64,
  merchantLinkMax: 256,
  totalMinFen: 100, // ¥1.00
  totalMaxFen: 1_000_000_000, // ¥10,000,000.00
  countMin: 1,
  countMax: 10_000_000,
  packetMinFen: 20, // ¥0.20
  packetMaxFen: 20_000, // ¥200.00
  maxDurationMonths: 6,
} as const;
