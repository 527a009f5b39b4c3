import "server-only";
import type { Payout } from "@/generated/prisma/client";
import { actorId, actorLabel, assertCan, type Actor } from "@/lib/auth/actor";
import { reserveUpTo, settleReservation } from "@/lib/budget/service";
import { db, QUEUED_TRANSACTION } from "@/lib/db";
import { domainError } from "@/lib/errors";
import type { MessageKey } from "@/lib/i18n/messages";
import { nudgeDispatch } from "./dispatch/nudge";
import { movePayout } from "./move";
import { railFor } from "./rails";
import { recordBudgetLowIfCrossed } from "./request";

export type DecisionOutcome = {
  done: string[];
  /** Payouts left as they were, each with the reason (an i18n key). */
  refused: { id: string; reason: MessageKey }[];
};

/** Maker-checker: nobody decides their own request, admins included. */
export function isOwnRequest(actor: Actor, payout: Pick<Payout, "requestedById">): boolean {
  const id = actorId(actor);
  return id !== null && payout.requestedById === id;
}

/**
 * Approves or rejects pending payouts, each in its own transaction so one that moved meanwhile does not hold
 * up the rest. Rejection releases the reservation at once. Refuses (per payout) the actor's own requests and
 * payouts no longer pending.
 */
export async function decidePayouts(
  actor: Actor,
  input: { payoutIds: string[]; decision: "approve" | "reject"; reason: string | null },
): Promise<DecisionOutcome> {
  assertCan(actor, "payout:approve");
  const outcome: DecisionOutcome = { done: [], refused: [] };
  const now = new Date();
  for (const id of new Set(input.payoutIds)) {
    const reason = await db.$transaction(async (tx): Promise<MessageKey | null> => {
      const payout = await tx.payout.findUnique({ where: { id } });
      if (!payout) return "payouts.errors.notFound";
      if (isOwnRequest(actor, payout)) return "payouts.errors.ownRequest";
      if (payout.status !== "PENDING_APPROVAL") return "payouts.errors.notPending";
      if (payout.batchId !== null) return "payouts.errors.decidedWithBatch";
      const decided = {
        decidedById: actorId(actor),
        decidedByLabel: actorLabel(actor),
        decidedAt: now,
        decisionReason: input.reason,
      };
      if (input.decision === "approve") {
        const moved = await movePayout(tx, actor, payout, "APPROVED", "approve", {
          ...decided,
          nextAttemptAt: now,
        });
        return moved ? null : "payouts.errors.notPending";
      }
      const moved = await movePayout(tx, actor, payout, "REJECTED", "reject", decided);
      if (!moved) return "payouts.errors.notPending";
      await settleReservation(tx, payout.campaignId, payout.amountFen, "released");
      return null;
    }, QUEUED_TRANSACTION);
    if (reason) outcome.refused.push({ id, reason });
    else outcome.done.push(id);
  }
  if (input.decision === "approve" && outcome.done.length > 0) nudgeDispatch();
  return outcome;
}

/** Withdraws a payout that has not been sent (pending or approved) and releases its reservation. */
export async function cancelPayout(actor: Actor, payoutId: string): Promise<Payout> {
  assertCan(actor, "payout:request");
  return db.$transaction(async (tx) => {
    const payout = await tx.payout.findUnique({ where: { id: payoutId } });
    if (!payout) throw domainError("NOT_FOUND", "payouts.errors.notFound");
    if (payout.status !== "PENDING_APPROVAL" && payout.status !== "APPROVED")
      throw domainError("CONFLICT", "payouts.errors.notCancellable");
    const moved = await movePayout(tx, actor, payout, "CANCELED", "cancel", { nextAttemptAt: null });
    if (!moved) throw domainError("CONFLICT", "payouts.errors.notCancellable");
    await settleReservation(tx, payout.campaignId, payout.amountFen, "released");
    return moved;
  }, QUEUED_TRANSACTION);
}

/**
 * Tries a payout again with the SAME outBizNo: a FAILED one whose failure a retry can cure (the budget is held
 * again first; the approval it had still stands), or one NEEDS_ATTENTION (sent on for another round of
 * resolution). Any other failure needs a new request, and the refusal says so.
 */
export async function retryPayout(actor: Actor, payoutId: string): Promise<Payout> {
  assertCan(actor, "payout:request");
  const now = new Date();
  const moved = await db.$transaction(async (tx) => {
    const payout = await tx.payout.findUnique({ where: { id: payoutId } });
    if (!payout) throw domainError("NOT_FOUND", "payouts.errors.notFound");
    if (payout.status === "NEEDS_ATTENTION") {
      return movePayout(tx, actor, payout, "UNKNOWN", "retry", { nextAttemptAt: now, attentionReason: null });
    }
    if (payout.status !== "FAILED") throw domainError("CONFLICT", "payouts.errors.notRetryable");
    if (!payout.failureRetryable) throw domainError("CONFLICT", "payouts.errors.failureNotRetryable");
    const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: payout.campaignId } });
    const rail = railFor(campaign.rail);
    const { maxFen, minFen } = rail.reservation(campaign, rail.amountFromRequest ? payout.amountFen : null);
    const reservation = await reserveUpTo(tx, campaign.id, maxFen, minFen);
    if (!reservation) throw domainError("CONFLICT", "payouts.errors.budgetExhausted");
    const retried = await movePayout(tx, actor, payout, "APPROVED", "retry", {
      amountFen: reservation.heldFen,
      nextAttemptAt: now,
      failureCode: null,
      failureMessage: null,
      failureRetryable: null,
    });
    // Someone else retried it first: roll the reservation back with the transaction, or it would hold budget
    // for no payout (only one of concurrent retries may keep its reservation).
    if (!retried) throw domainError("CONFLICT", "payouts.errors.notRetryable");
    await recordBudgetLowIfCrossed(tx, campaign.id, reservation);
    return retried;
  }, QUEUED_TRANSACTION);
  if (!moved) throw domainError("CONFLICT", "payouts.errors.notRetryable");
  nudgeDispatch();
  return moved;
}
