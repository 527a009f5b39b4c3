import "server-only";
import { Prisma, type Payout, type PayoutStatus } from "@/generated/prisma/client";
import { systemActor } from "@/lib/auth/actor";
import { reserveExtra, settleReservation } from "@/lib/budget/service";
import { db, QUEUED_TRANSACTION } from "@/lib/db";
import type { AttemptRecord, SendOutcome } from "../rails";
import { logPayoutMove } from "../log";
import { movePayout } from "../move";
import type { PayoutEvent } from "../transitions";
import { DISPATCHER_LABEL, type ClaimedPayout } from "./claim";

const DISPATCHER = systemActor(DISPATCHER_LABEL);

export type RetryPolicy = {
  /** First wait after an unknown outcome; doubled per attempt up to `maxDelayMs`, ±20 % jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Calls for one payout before a person is asked to look (NEEDS_ATTENTION); the key never changes. */
  maxAttempts: number;
};

export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(delay * (0.8 + 0.4 * random()));
}

function attemptData(claimed: ClaimedPayout, attempt: AttemptRecord, outcome: SendOutcome, worker: string) {
  return {
    payoutId: claimed.id,
    number: claimed.attemptCount,
    method: attempt.method ?? null,
    startedAt: attempt.startedAt,
    latencyMs: Math.max(0, attempt.latencyMs),
    outcome:
      outcome.kind === "paid"
        ? ("OK" as const)
        : outcome.kind === "unknown"
          ? ("UNKNOWN" as const)
          : ("REJECTED" as const),
    code: attempt.code,
    subCode: attempt.subCode,
    subMsg: attempt.subMsg?.slice(0, 500) ?? null,
    reason: attempt.reason?.slice(0, 500) ?? null,
    traceId: attempt.traceId,
    awardedFen: outcome.kind === "paid" ? outcome.awardedFen : null,
    repeat: outcome.kind === "paid" && outcome.repeat,
    worker,
    rawReply: attempt.rawReply ? (attempt.rawReply as Prisma.InputJsonValue) : Prisma.DbNull,
  };
}

/**
 * Writes what one call to Alipay decided, in one transaction: the attempt, the payout's move out of SENDING
 * (guarded by this worker's lease: a worker whose lease expired and was taken over changes nothing), and the
 * budget. `paid` spends the awarded amount (a repeat is the earlier payment, not a second one); `refused`
 * releases the reservation; `deferred` and `unknown` wait to be sent again with the same key, and an unknown
 * past the retry budget goes to a person; `attention` (an alarm) goes to a person at once, its budget still
 * held. Logs the move (`payout.moved`) once it is committed; returns the payout as moved, or null when the
 * lease had been lost and nothing changed.
 */
export async function recordOutcome(
  claimed: ClaimedPayout,
  outcome: SendOutcome,
  worker: string,
  policy: RetryPolicy,
): Promise<Payout | null> {
  const now = new Date();
  const sending = { id: claimed.id, status: "SENDING" as const };
  // This claim, not merely this worker: an answer that outlived its lease must not settle a later claim.
  const lease = { leaseOwner: worker, attemptCount: claimed.attemptCount };
  const released = { leaseOwner: null, leaseExpiresAt: null };
  const moved = await db.$transaction(async (tx): Promise<{ payout: Payout; event: PayoutEvent } | null> => {
    const move = async (
      to: PayoutStatus,
      event: PayoutEvent,
      data: Prisma.PayoutUncheckedUpdateManyInput,
    ) => {
      const payout = await movePayout(tx, DISPATCHER, sending, to, event, { ...released, ...data }, lease);
      return payout ? { payout, event } : null;
    };
    await tx.payoutAttempt.create({ data: attemptData(claimed, outcome.attempt, outcome, worker) });
    switch (outcome.kind) {
      case "paid": {
        const extraFen = outcome.awardedFen - claimed.amountFen;
        if (extraFen > 0 && !(await reserveExtra(tx, claimed.campaignId, extraFen))) {
          return move("NEEDS_ATTENTION", "give_up", {
            awardedFen: outcome.awardedFen,
            alipayReference: outcome.reference,
            attentionReason: "awardedOverBudget",
          });
        }
        const paid = await move("SUCCEEDED", "succeed", {
          awardedFen: outcome.awardedFen,
          alipayReference: outcome.reference,
          succeededAt: now,
        });
        if (paid)
          await settleReservation(tx, claimed.campaignId, Math.max(claimed.amountFen, outcome.awardedFen), {
            spentFen: outcome.awardedFen,
          });
        return paid;
      }
      case "refused": {
        const failed = await move("FAILED", "fail", {
          failureCode: outcome.code,
          failureMessage: outcome.message.slice(0, 500),
          failureRetryable: outcome.retryable,
        });
        if (failed) await settleReservation(tx, claimed.campaignId, claimed.amountFen, "released");
        return failed;
      }
      case "deferred": {
        const to = claimed.claimedFrom;
        return move(to, to === "APPROVED" ? "defer" : "unknown", {
          nextAttemptAt: new Date(now.getTime() + retryDelayMs(policy, claimed.attemptCount)),
        });
      }
      case "attention":
        // Never retried and the reservation stays held: the money may have gone out under this key, and only a
        // person can tell (the move's audit event is `payout.alarm`).
        return move("NEEDS_ATTENTION", "alarm", {
          attentionReason: outcome.code,
          failureCode: outcome.code,
          failureMessage: outcome.message.slice(0, 500),
        });
      case "unknown":
        if (claimed.attemptCount >= policy.maxAttempts)
          return move("NEEDS_ATTENTION", "give_up", { attentionReason: "retryBudgetSpent" });
        return move("UNKNOWN", "unknown", {
          nextAttemptAt: new Date(now.getTime() + retryDelayMs(policy, claimed.attemptCount)),
        });
    }
  }, QUEUED_TRANSACTION);
  if (!moved) return null;
  const { payout, event } = moved;
  logPayoutMove({
    payoutId: payout.id,
    outBizNo: payout.outBizNo,
    campaignId: payout.campaignId,
    requestId: payout.requestId,
    from: "SENDING",
    to: payout.status,
    move: event,
    attempt: claimed.attemptCount,
    amountFen: payout.amountFen,
    awardedFen: payout.awardedFen,
    failureCode: payout.failureCode,
    attentionReason: payout.attentionReason,
  });
  return payout;
}
