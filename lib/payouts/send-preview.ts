/**
 * What the "Send red packet" form tells people before they send: the amount the payout will hold, whether the
 * campaign's approval policy lets it through or it waits for an approver (and why), and the budget left after
 * it. Pure: the server builds the context (lib/payouts/send-context.ts), the browser recomputes the preview.
 */
import type { PayoutScene, PrizeType } from "@/lib/enums";
import { formatFen } from "@/lib/format/money";
import type { Translator } from "@/lib/i18n/messages";
import { decideApproval, type ApprovalPolicy } from "./policy-rules";

/** A campaign as the send form needs it (plain JSON, integer fen). */
export type SendContext = ApprovalPolicy & {
  campaignId: string;
  /** The campaign's rail can pay from it now (funded) and it is ACTIVE. */
  canSend: boolean;
  prizeType: PrizeType;
  /** A fixed prize's packet; null for a random prize. */
  packetFen: number | null;
  /** The most one payout holds: the fixed packet, or the largest random packet Alipay may award. */
  maxPacketFen: number;
  /** The least one payout holds (equal to the packet for a fixed prize). */
  minPacketFen: number;
  /** What can still be paid out of the campaign's budget. */
  spendableFen: number;
  /** The campaign's auto-approved total on today's Beijing day. */
  autoApprovedTodayFen: number;
  defaultScene: PayoutScene;
  /** The rail pays what a request names, up to `maxPacketFen` (empty: `maxPacketFen`): the form asks for it. */
  amountFromRequest: boolean;
  /** The rail needs the payee's real name with a login id: the form asks for it then. */
  payeeNameForLoginId: boolean;
};

/** Who lets a payout through, and why it waits when it does. */
export type ApprovalPath = "auto" | "noAutoApproval" | "overThreshold" | "overDailyCap";

/** `decideApproval` with the reason in words a person can act on. */
export function approvalPath(
  policy: ApprovalPolicy,
  amountFen: number,
  autoApprovedTodayFen: number,
): ApprovalPath {
  if (decideApproval(policy, amountFen, autoApprovedTodayFen) === "auto") return "auto";
  if (policy.autoApproveMaxFen <= 0 || policy.autoApproveDailyCapFen <= 0) return "noAutoApproval";
  if (amountFen > policy.autoApproveMaxFen) return "overThreshold";
  return "overDailyCap";
}

export type SendPreview =
  /** What is left of the budget cannot hold even the smallest packet: the server will refuse. */
  | { covered: false; spendableFen: number }
  | {
      covered: true;
      /** What the payout will hold of the budget (what the approval policy is applied to). */
      reservedFen: number;
      approval: ApprovalPath;
      budgetAfterFen: number;
      spendableFen: number;
    };

/**
 * The request path's own arithmetic (requestPayout): the payout holds up to `maxPacketFen`, or what is left
 * when that is less but at least `minPacketFen` — or, on a rail that takes the amount from the request, exactly
 * the amount named (`requestedFen`); the policy is applied to what it holds.
 */
export function previewSend(context: SendContext, requestedFen: number | null = null): SendPreview {
  const { spendableFen } = context;
  // A named amount is held exactly (the request path refuses one above the campaign's largest packet).
  const named = context.amountFromRequest && requestedFen !== null && requestedFen > 0 ? requestedFen : null;
  const reservedFen = named ?? Math.min(context.maxPacketFen, spendableFen);
  const covered =
    named !== null ? named <= spendableFen : reservedFen >= context.minPacketFen && reservedFen > 0;
  if (!covered) return { covered: false, spendableFen };
  return {
    covered: true,
    reservedFen,
    approval: approvalPath(context, reservedFen, context.autoApprovedTodayFen),
    budgetAfterFen: spendableFen - reservedFen,
    spendableFen,
  };
}

/** "¥1.00", or "Decided by Alipay, up to ¥1.50" for a random prize. */
export function describeSendAmount(context: SendContext, t: Translator): string {
  return context.packetFen !== null
    ? formatFen(context.packetFen)
    : t("payouts.send.amountRandom", { amount: formatFen(context.maxPacketFen) });
}

/** The approval line of the preview, e.g. "Waits for an approver: ¥5.00 is over the threshold of ¥2.00." */
export function describeApprovalPath(
  path: ApprovalPath,
  context: SendContext,
  reservedFen: number,
  t: Translator,
): string {
  switch (path) {
    case "auto":
      return t("payouts.send.approval.auto");
    case "noAutoApproval":
      return t("payouts.send.approval.noAutoApproval");
    case "overThreshold":
      return t("payouts.send.approval.overThreshold", {
        amount: formatFen(reservedFen),
        max: formatFen(context.autoApproveMaxFen),
      });
    case "overDailyCap":
      return t("payouts.send.approval.overDailyCap", {
        today: formatFen(context.autoApprovedTodayFen),
        cap: formatFen(context.autoApproveDailyCapFen),
      });
  }
}
