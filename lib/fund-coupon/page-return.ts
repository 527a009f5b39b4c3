import "server-only";
import { alipay } from "@/lib/alipay";
import { assertCampaignInScope, assertCan, type Actor } from "@/lib/auth/actor";
import type { MessageKey } from "@/lib/i18n/messages";
import { isMessageKey } from "@/lib/i18n/messages";
import { confirmPagePayReturn } from "./orders";

/** What the fund-return page tells the payer (plain JSON). */
export type FundReturnView =
  | { outcome: "paid"; amountFen: number }
  | { outcome: "waiting" }
  | { outcome: "refused"; reason: MessageKey | null };

/**
 * The browser came back from Alipay's PC cashier to a campaign's fund-return page with Alipay's signed
 * parameters: confirmPagePayReturn verifies and applies them (idempotently: the notification may have been
 * first, and a reload changes nothing), and this says what that means for this campaign. Pages may not hold
 * the Alipay client, so the page calls this.
 */
export async function confirmFundReturn(
  actor: Actor,
  campaignId: string,
  params: Record<string, string>,
): Promise<FundReturnView> {
  assertCan(actor, "campaign:fund");
  assertCampaignInScope(actor, campaignId);
  const { order, result } = await confirmPagePayReturn(alipay(), params);
  if (result.outcome === "REFUSED") {
    return { outcome: "refused", reason: isMessageKey(result.reason) ? result.reason : null };
  }
  // Only an order of this campaign says anything about it.
  if (order && order.campaignId === campaignId && order.status === "PAID") {
    return { outcome: "paid", amountFen: order.amountFen };
  }
  return { outcome: "waiting" };
}
