import "server-only";
import type { PayoutStatus } from "@/generated/prisma/client";
import { currentLogContext, log } from "@/lib/log";

/** The x-request-id of the web request being served (set by the production web server), else null. */
export function currentRequestId(): string | null {
  const id = currentLogContext().requestId;
  return typeof id === "string" ? id : null;
}

export type PayoutMoveLine = {
  payoutId: string;
  outBizNo: string;
  campaignId?: string;
  /** The web request that asked for the payout (stored on it), so its lines join that request's. */
  requestId: string | null;
  /** null: the payout was just created. */
  from: PayoutStatus | null;
  to: PayoutStatus;
  /** Why it moved: the audit action without its `payout.` prefix (request, claim, succeed, unknown, …). */
  move: string;
  attempt?: number;
  amountFen?: number;
  awardedFen?: number | null;
  failureCode?: string | null;
  attentionReason?: string | null;
};

/**
 * One `payout.moved` line per status change on the request and dispatch path, written after its transaction
 * committed (a rolled-back move is never logged). Amounts are fen; recipients and memos are not logged.
 */
export function logPayoutMove(line: PayoutMoveLine): void {
  log.info("payout.moved", line);
}
