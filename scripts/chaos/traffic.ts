/**
 * The chaos suite's three sources of payouts, spread over the traffic window while processes die:
 * - the machine API over HTTP, alternating between the two web processes, retrying the SAME outBizNo after
 *   network errors, timeouts (some forced by a short client timeout, so the request may have been processed),
 *   5xx and 429 answers — what docs/api.md tells a backend to do;
 * - batches through the services the batch actions call (preview, submit as the marketer, approve as the
 *   approver);
 * - console requests through the payout request and approval services (maker ≠ checker, some rejected).
 * Imported only after scripts/chaos.ts has pointed the environment at the chaos database and simulator.
 */
import type { UserActor } from "../../lib/auth/actor";
import { BATCH_COLUMNS } from "../../lib/batches/columns";
import { decideBatch, previewBatch, submitBatch } from "../../lib/batches/service";
import { DomainError } from "../../lib/errors";
import { decidePayouts } from "../../lib/payouts/decisions";
import { requestPayout } from "../../lib/payouts/request";
import { sleep, within } from "./processes";

export const RAILS = ["CASH_CAMPAIGN", "FUND_COUPON", "TRANSFER"] as const;
export type Rail = (typeof RAILS)[number];
export type Channel = "API" | "BATCH" | "CONSOLE";

/** One payout the driver asked for, and what the console answered in the end. */
export type Planned = {
  rail: Rail;
  channel: Channel;
  campaignId: string;
  outBizNo: string;
  recipient: string;
  /** FUND_COUPON / TRANSFER API requests name an amount; otherwise the campaign's packet. */
  amountFen: number | null;
  /** accepted: the console holds a payout for it; refused: a definite 4xx / DomainError; gave-up: never answered. */
  outcome: "accepted" | "refused" | "gave-up" | "pending";
  refusal: string | null;
};

export type TrafficStats = {
  apiRequests: number;
  apiRetries: Record<string, number>;
  /** 200 answers: the retry found the payout the earlier (lost) request had created. */
  apiReplays: number;
  apiRefusals: Record<string, number>;
  forcedClientTimeouts: number;
  batches: number;
  batchInvalidRowsSeen: number;
  consoleRequests: number;
  consoleApproved: number;
  consoleRejected: number;
  /** Own-request approvals the service refused (maker-checker), and any it wrongly allowed. */
  ownApprovalRefused: number;
  ownApprovalAllowed: number;
  /** Service calls that failed for a reason other than a refusal (e.g. no database connection in time): retried. */
  serviceErrors: number;
};

export function newStats(): TrafficStats {
  return {
    apiRequests: 0,
    apiRetries: {},
    apiReplays: 0,
    apiRefusals: {},
    forcedClientTimeouts: 0,
    batches: 0,
    batchInvalidRowsSeen: 0,
    consoleRequests: 0,
    consoleApproved: 0,
    consoleRejected: 0,
    ownApprovalRefused: 0,
    ownApprovalAllowed: 0,
    serviceErrors: 0,
  };
}

const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

/** A distinct Alipay user id the simulator knows (2088 + 12 digits, never 20889999…). */
export function userId(n: number): string {
  return `2088${String(100_000_000_000 + n).slice(-12)}`;
}

/** Runs `task(i)` for i in 0..count-1, each started at its own moment spread evenly over `windowMs`. */
export async function spread<T>(
  items: readonly T[],
  windowMs: number,
  random: () => number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const started = Date.now();
  const step = items.length > 0 ? windowMs / items.length : 0;
  await Promise.all(
    items.map(async (item, index) => {
      const at = started + index * step + random() * step;
      await sleep(Math.max(0, at - Date.now()));
      await task(item, index);
    }),
  );
}

type ApiTarget = { bases: readonly string[]; secret: string; deadline: number };

/**
 * One API payout request, retried with the same body until the console answers it definitely: 201/200 accept,
 * other 4xx refuse (except 408/429). Alternates web processes between attempts, as a load balancer would.
 */
export async function requestOverApi(
  target: ApiTarget,
  planned: Planned,
  index: number,
  stats: TrafficStats,
  random: () => number,
): Promise<void> {
  const body = JSON.stringify({
    outBizNo: planned.outBizNo,
    recipient: { type: "USER_ID", id: planned.recipient },
    memo: "chaos points exchange",
    ...(planned.amountFen === null ? {} : { amountFen: planned.amountFen }),
  });
  for (let attempt = 0; ; attempt++) {
    if (Date.now() > target.deadline) {
      planned.outcome = "gave-up";
      return;
    }
    const base = target.bases[(index + attempt) % target.bases.length] ?? "";
    // A backend whose own request timed out: the console may well have processed it.
    const forced = random() < 0.05;
    if (forced) stats.forcedClientTimeouts += 1;
    const timeoutMs = forced ? 20 + Math.floor(random() * 150) : 10_000;
    stats.apiRequests += 1;
    let retryIn = Math.min(3000, 150 * 2 ** Math.min(attempt, 5));
    try {
      const exchange = async () => {
        const answer = await fetch(`${base}/api/v1/campaigns/${planned.campaignId}/payouts`, {
          method: "POST",
          headers: { authorization: `Bearer ${target.secret}`, "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        return { response: answer, text: await answer.text() };
      };
      const { response, text } = await within(exchange(), timeoutMs + 5000);
      if (response.status === 201 || response.status === 200) {
        if (response.status === 200) stats.apiReplays += 1;
        planned.outcome = "accepted";
        return;
      }
      if (response.status === 429) {
        bump(stats.apiRetries, "429 rate limited");
        retryIn = Math.min(5000, Number(response.headers.get("retry-after") ?? 1) * 1000);
      } else if (response.status >= 500 || response.status === 408) {
        bump(stats.apiRetries, `HTTP ${response.status}`);
      } else {
        const code = errorCode(text) ?? `HTTP ${response.status}`;
        bump(stats.apiRefusals, code);
        planned.outcome = "refused";
        planned.refusal = code;
        return;
      }
    } catch (error) {
      bump(stats.apiRetries, forced ? "client timeout (forced)" : networkKind(error));
    }
    await sleep(retryIn * (0.5 + random()));
  }
}

function errorCode(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === "string" ? parsed.error.code : null;
  } catch {
    return null;
  }
}

function networkKind(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return "client timeout";
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return `network ${cause?.code ?? "error"}`;
}

/**
 * Calls `task` again (up to `tries` times) when it fails with anything but a DomainError — what a person does
 * when a page shows "something went wrong": the services are safe to repeat (a payout request replays by its
 * outBizNo, a decision on a payout no longer pending is refused).
 */
async function again<T>(stats: TrafficStats, tries: number, task: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (error instanceof DomainError || attempt >= tries) throw error;
      stats.serviceErrors += 1;
      await sleep(1000 * attempt);
    }
  }
}

/** A batch file as an uploader's spreadsheet saves it: the Chinese template's columns, CRLF, UTF-8. */
function batchBytes(rows: readonly Planned[], invalid: string): Uint8Array {
  const fields = ["identityType", "identity", "scene", "memo", "outBizNo"] as const;
  const header = fields
    .map((field) => BATCH_COLUMNS.find((c) => c.field === field)?.header["zh-CN"] ?? field)
    .join(",");
  const lines = rows.map((r) => `用户ID,${r.recipient},积分兑换,chaos batch,${r.outBizNo}`);
  // One row the preview must flag (a malformed user id): the valid rows are submitted without it.
  lines.push(`用户ID,2088123,积分兑换,chaos batch,${invalid}`);
  return new TextEncoder().encode([header, ...lines].join("\r\n"));
}

/** Preview, submit (marketer) and approve (approver) one batch, as the batch pages' actions do. */
export async function sendBatch(
  rows: Planned[],
  maker: UserActor,
  checker: UserActor,
  stats: TrafficStats,
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const file = { name: `chaos-${first.outBizNo}.csv`, bytes: batchBytes(rows, `${first.outBizNo}_bad`) };
  try {
    const preview = await again(stats, 5, () => previewBatch(maker, { campaignId: first.campaignId, file }));
    stats.batchInvalidRowsSeen += preview.summary.invalidRows;
    if (preview.summary.validRows !== rows.length)
      throw new Error(`batch preview: ${preview.summary.validRows} valid rows, expected ${rows.length}`);
    // Not repeated: a submit whose answer was lost after its commit would be refused as changed since the
    // preview (its rows exist now), and the rows would wrongly count as refused.
    const batch = await submitBatch(maker, {
      campaignId: first.campaignId,
      file,
      expectedValidRows: preview.summary.validRows,
    });
    await again(stats, 10, () =>
      decideBatch(checker, { batchId: batch.id, decision: "approve", reason: null }),
    );
    stats.batches += 1;
    for (const row of rows) row.outcome = "accepted";
  } catch (error) {
    const reason = error instanceof DomainError ? error.ref.key : String(error);
    for (const row of rows) {
      row.outcome = "refused";
      row.refusal = reason;
    }
  }
}

/** A console "Send red packet" by `maker`; the payout waits for an approver (the campaign approves nothing). */
export async function requestInConsole(
  planned: Planned,
  maker: UserActor,
  stats: TrafficStats,
): Promise<string | null> {
  stats.consoleRequests += 1;
  try {
    const { payout } = await again(stats, 10, () =>
      requestPayout(maker, {
        campaignId: planned.campaignId,
        identityType: "USER_ID",
        identity: planned.recipient,
        scene: "POINTS_REDEMPTION",
        memo: "chaos console",
        outBizNo: planned.outBizNo,
        source: "CONSOLE",
        amountFen: planned.amountFen,
      }),
    );
    planned.outcome = "accepted";
    return payout.status === "PENDING_APPROVAL" ? payout.id : null;
  } catch (error) {
    planned.outcome = "refused";
    planned.refusal = error instanceof DomainError ? error.ref.key : String(error);
    return null;
  }
}

/**
 * The approver's work: decides what is pending (about one in ten rejected). A payout the maker asked for is
 * first offered to the maker's own decision when the maker may approve (an admin): it must be refused.
 */
export async function decidePending(
  pending: Array<{ id: string; makerMayApprove: UserActor | null }>,
  checker: UserActor,
  stats: TrafficStats,
  random: () => number,
): Promise<void> {
  const batch = pending.splice(0);
  try {
    for (const item of batch) {
      if (!item.makerMayApprove) continue;
      const own = await decidePayouts(item.makerMayApprove, {
        payoutIds: [item.id],
        decision: "approve",
        reason: null,
      });
      if (own.done.includes(item.id)) stats.ownApprovalAllowed += 1;
      else if (own.refused.some((r) => r.reason === "payouts.errors.ownRequest"))
        stats.ownApprovalRefused += 1;
      item.makerMayApprove = null;
    }
    const reject = batch.filter(() => random() < 0.1).map((item) => item.id);
    const approve = batch.map((item) => item.id).filter((id) => !reject.includes(id));
    if (approve.length > 0) {
      const outcome = await decidePayouts(checker, { payoutIds: approve, decision: "approve", reason: null });
      stats.consoleApproved += outcome.done.length;
    }
    if (reject.length > 0) {
      const outcome = await decidePayouts(checker, {
        payoutIds: reject,
        decision: "reject",
        reason: "chaos: not this one",
      });
      stats.consoleRejected += outcome.done.length;
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    // E.g. no database connection in time on a loaded machine: what is still pending is decided next round
    // (a payout decided meanwhile is refused as no longer pending, and not counted twice).
    stats.serviceErrors += 1;
    pending.push(...batch);
  }
}
