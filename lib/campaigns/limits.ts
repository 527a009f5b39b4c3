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

/**
 * Limits of the rails that take each packet's amount from the request (FUND_COUPON, TRANSFER), in fen. Alipay
 * accepts 0.01–100,000,000.00 yuan per disbursement or STD_RED_PACKET transfer (REFERENCE.md §3.3, §4.2), but
 * the B2C red-packet product lets one payee receive at most ¥400 per transfer (REFERENCE.md §4.1, §6.1): a larger
 * packet would be refused by Alipay after approval, so the form refuses it up front. The console applies the
 * same cap to fund-coupon disbursements, so a mistyped amount cannot drain a funding order in one packet.
 */
export const REQUEST_AMOUNT_LIMITS = {
  packetMinFen: 1, // ¥0.01
  packetMaxFen: 40_000, // ¥400.00
  /** What the form suggests as the max per packet (the cash campaign's own packet ceiling). */
  packetHintFen: 20_000, // ¥200.00
} as const;
