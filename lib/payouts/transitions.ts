/**
 * Payout statuses and the only moves between them (DESIGN.md §3). Every status change in lib/payouts goes
 * through `assertTransition` and a guarded update (`WHERE status = <from>`), and writes an audit event. Pure:
 * the history's badges and the detail page read `isTerminal` / `RESERVING_STATUSES` from here too.
 */
import type { PayoutStatus } from "@/lib/enums";

/** Why a payout moves; each is audited as `payout.<event>`. */
export type PayoutEvent =
  | "approve"
  | "reject"
  | "cancel"
  | "claim"
  | "succeed"
  | "fail"
  | "unknown"
  | "defer"
  | "give_up"
  | "alarm"
  | "lease_expired"
  | "retry"
  | "abandon";

type Move = { from: PayoutStatus; to: PayoutStatus; event: PayoutEvent };

/** The transition table. Anything not listed is refused. */
export const PAYOUT_TRANSITIONS: readonly Move[] = [
  { from: "PENDING_APPROVAL", to: "APPROVED", event: "approve" },
  { from: "PENDING_APPROVAL", to: "REJECTED", event: "reject" },
  { from: "PENDING_APPROVAL", to: "CANCELED", event: "cancel" },
  { from: "APPROVED", to: "CANCELED", event: "cancel" },
  // A worker takes it (a first send, or the same outBizNo again to learn an unknown outcome).
  { from: "APPROVED", to: "SENDING", event: "claim" },
  { from: "UNKNOWN", to: "SENDING", event: "claim" },
  // Alipay's answer.
  { from: "SENDING", to: "SUCCEEDED", event: "succeed" },
  { from: "SENDING", to: "FAILED", event: "fail" },
  { from: "SENDING", to: "UNKNOWN", event: "unknown" },
  // Refused without being processed (rate limited): back in the queue, same key.
  { from: "SENDING", to: "APPROVED", event: "defer" },
  // The worker died mid-send: its lease expired, so the outcome is unknown.
  { from: "SENDING", to: "UNKNOWN", event: "lease_expired" },
  // Retry budget spent: a person looks; the key never changes.
  { from: "SENDING", to: "NEEDS_ATTENTION", event: "give_up" },
  { from: "UNKNOWN", to: "NEEDS_ATTENTION", event: "give_up" },
  // Alipay said something no retry can fix (e.g. the key was used with other parameters): a person looks.
  { from: "SENDING", to: "NEEDS_ATTENTION", event: "alarm" },
  // A person asks for another round of the same key (attention), or a retryable failure is tried again.
  { from: "NEEDS_ATTENTION", to: "UNKNOWN", event: "retry" },
  { from: "FAILED", to: "APPROVED", event: "retry" },
  // The campaign ended before an approved payout could be sent.
  { from: "APPROVED", to: "FAILED", event: "abandon" },
];

export function canTransition(from: PayoutStatus, to: PayoutStatus): boolean {
  return PAYOUT_TRANSITIONS.some((m) => m.from === from && m.to === to);
}

export function assertTransition(from: PayoutStatus, to: PayoutStatus): void {
  if (!canTransition(from, to)) throw new Error(`payout transition ${from} → ${to} is not allowed`);
}

/** Statuses whose amount is held back from the campaign's budget until the payout is resolved. */
export const RESERVING_STATUSES: readonly PayoutStatus[] = [
  "PENDING_APPROVAL",
  "APPROVED",
  "SENDING",
  "UNKNOWN",
  "NEEDS_ATTENTION",
];

/** Statuses nothing moves out of by itself (FAILED only by a person's retry). */
export const TERMINAL_STATUSES: readonly PayoutStatus[] = ["SUCCEEDED", "FAILED", "REJECTED", "CANCELED"];

/** Statuses that count towards a recipient's frequency limit (everything that may still be or was paid). */
export const COUNTED_STATUSES: readonly PayoutStatus[] = [...RESERVING_STATUSES, "SUCCEEDED"];

export function isTerminal(status: PayoutStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Unsent and cancellable by a person. */
export function isCancellable(status: PayoutStatus): boolean {
  return canTransition(status, "CANCELED");
}
