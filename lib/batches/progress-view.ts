/**
 * How a batch's progress is shown: the bar's coloured parts, the counts said in words, the ETA in words, which
 * controls its phase offers and whether the page should keep itself up to date. Pure: the detail page, the
 * list and their tests read it (lib/batches/progress.ts says where the batch stands; this says how to show it).
 */
import type { PayoutStatus } from "@/lib/enums";
import type { MessageRef } from "@/lib/i18n/messages";
import { count, type BatchPhase, type RowCounts } from "./progress";

/** The bar's parts, in the order drawn: ends first, then rows waiting for a person, then rows being sent. */
export type ProgressSegmentKind = "succeeded" | "failed" | "stopped" | "attention" | "inFlight";

const SEGMENTS: ReadonlyArray<{ kind: ProgressSegmentKind; statuses: readonly PayoutStatus[] }> = [
  { kind: "succeeded", statuses: ["SUCCEEDED"] },
  { kind: "failed", statuses: ["FAILED"] },
  { kind: "stopped", statuses: ["CANCELED", "REJECTED"] },
  { kind: "attention", statuses: ["NEEDS_ATTENTION"] },
  // Queued (APPROVED) and waiting (PENDING_APPROVAL) rows are the bar's empty track: nothing happens to them yet.
  { kind: "inFlight", statuses: ["SENDING", "UNKNOWN"] },
];

export type ProgressSegment = { kind: ProgressSegmentKind; count: number };

/** The bar's non-empty parts. */
export function progressSegments(counts: RowCounts): ProgressSegment[] {
  return SEGMENTS.map(({ kind, statuses }) => ({ kind, count: count(counts, ...statuses) })).filter(
    (segment) => segment.count > 0,
  );
}

/** The order the counts are said in: outcomes first, then work under way, then rows that will not be sent. */
const STATUS_ORDER: readonly PayoutStatus[] = [
  "SUCCEEDED",
  "FAILED",
  "NEEDS_ATTENTION",
  "SENDING",
  "UNKNOWN",
  "APPROVED",
  "PENDING_APPROVAL",
  "CANCELED",
  "REJECTED",
];

/** Paid and failed are always said (a zero is news too); other statuses only when some row has them. */
const ALWAYS_SHOWN: ReadonlySet<PayoutStatus> = new Set(["SUCCEEDED", "FAILED"]);

export function shownCounts(counts: RowCounts): Array<{ status: PayoutStatus; count: number }> {
  return STATUS_ORDER.map((status) => ({ status, count: counts[status] ?? 0 })).filter(
    (entry) => entry.count > 0 || ALWAYS_SHOWN.has(entry.status),
  );
}

/** "less than a minute", "about 3 min", "about 2 h 5 min" left: an estimate, so rounded to the minute. */
export function etaMessage(seconds: number): MessageRef {
  if (seconds < 60) return { key: "batches.detail.eta.underMinute" };
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return { key: "batches.detail.eta.minutes", params: { count: minutes } };
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0
    ? { key: "batches.detail.eta.hours", params: { count: hours } }
    : { key: "batches.detail.eta.hoursMinutes", params: { hours, minutes: rest } };
}

/**
 * Whether the detail page should keep refreshing itself: while it waits for a decision, while it sends, and
 * while paused rows a worker had already taken are still finishing. Finished, rejected and cancelled batches
 * no longer change (a retry is a person's action, which refreshes the page itself).
 */
export function isBatchLive(phase: BatchPhase, counts: RowCounts): boolean {
  if (phase === "PENDING_APPROVAL" || phase === "SENDING") return true;
  if (phase === "PAUSED") return count(counts, "SENDING", "UNKNOWN") > 0;
  return false;
}

export type BatchControls = { pause: boolean; resume: boolean; cancel: boolean; retry: boolean };

/**
 * The controls a batch's phase offers (lib/batches/service.ts checks the stored status again): pause while it
 * sends, resume while paused, cancel until it has ended, and retry once it has finished with failures a retry
 * can help.
 */
export function batchControls(batch: { phase: BatchPhase; retryableFailed: number }): BatchControls {
  const { phase } = batch;
  return {
    pause: phase === "SENDING",
    resume: phase === "PAUSED",
    cancel: phase === "PENDING_APPROVAL" || phase === "SENDING" || phase === "PAUSED",
    retry: phase === "FINISHED" && batch.retryableFailed > 0,
  };
}
