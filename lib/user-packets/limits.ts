/**
 * The limits of a user-funded packet (the C2C flow). Pure: the service validates with them and the machine
 * API's schemas state the same ones, so both refuse the same things.
 */
import { CAMPAIGN_LIMITS } from "@/lib/campaigns/limits";

/** An Alipay user id: 2088 and 12 more digits. */
export const PAYER_USER_ID_PATTERN = /^2088\d{12}$/;
/** The app's idempotency key becomes the order's out_order_no, so it follows Alipay's key format. */
export const OUT_ORDER_NO_PATTERN = /^[A-Za-z0-9_]{1,64}$/;

export const USER_PACKET_LIMITS = {
  amountMinFen: 1,
  /**
   * ¥2,000. Alipay accepts orders up to ¥100,000,000, a merchant's figure. A user-funded packet is a person's
   * money that the merchant holds until it is claimed or returned, so it is kept to what one person plausibly
   * puts into a packet (REFERENCE §6.1 puts personal red packets in the hundreds of yuan, with a ¥2,000,000 daily
   * payer ceiling meant for businesses); a larger amount is a typo or abuse, refused before anything is signed.
   */
  amountMaxFen: 200_000,
  packetCountMin: 1,
  packetCountMax: 100,
  expiresMinMinutes: 5,
  /** A day: a packet is a conversation's gift, and its unclaimed money should not sit with the merchant for long. */
  expiresMaxMinutes: 24 * 60,
  /** The campaign's name is the packet's title: the console's name limit and Alipay's order_title width both apply. */
  titleMax: CAMPAIGN_LIMITS.nameMax,
  greetingMax: CAMPAIGN_LIMITS.messageMax,
} as const;
