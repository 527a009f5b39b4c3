/**
 * Where a batch stands, from its rows' counts: how many are done, whether it has finished, how fast it goes and
 * when it should be done. Pure: the detail page, the list and the tests read it.
 */
import type { BatchStatus, PayoutStatus } from "@/lib/enums";

export type RowCounts = Readonly<Partial<Record<PayoutStatus, number>>>;

/** What the list and the detail page call the batch: its stored status, or "sending"/"finished" once approved. */
export type BatchPhase = "PENDING_APPROVAL" | "SENDING" | "PAUSED" | "FINISHED" | "REJECTED" | "CANCELED";

/** Rows still on their way: waiting, queued, being sent, or their outcome being learned. */
const MOVING: readonly PayoutStatus[] = ["PENDING_APPROVAL", "APPROVED", "SENDING", "UNKNOWN"];

export function count(counts: RowCounts, ...statuses: PayoutStatus[]): number {
  return statuses.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
}

export function rowsMoving(counts: RowCounts): number {
  return count(counts, ...MOVING);
}

export function batchPhase(status: BatchStatus, counts: RowCounts): BatchPhase {
  if (status === "PENDING_APPROVAL" || status === "REJECTED") return status;
  if (status === "CANCELED") return "CANCELED";
  if (rowsMoving(counts) === 0) return "FINISHED";
  return status === "PAUSED" ? "PAUSED" : "SENDING";
}

/** Rows that reached an end (paid, failed, rejected, cancelled) or wait for a person (needs attention). */
export function rowsSettled(counts: RowCounts, total: number): number {
  return total - rowsMoving(counts);
}

/**
 * Seconds until the rows still to send are done, at the pace of the last minute (`recentlyDone` rows settled
 * in `windowSeconds`); null when nothing moved in that window or nothing is left to send.
 */
export function etaSeconds(counts: RowCounts, recentlyDone: number, windowSeconds: number): number | null {
  const left = count(counts, "APPROVED", "SENDING", "UNKNOWN");
  if (left === 0 || recentlyDone <= 0) return null;
  return Math.ceil((left * windowSeconds) / recentlyDone);
}
