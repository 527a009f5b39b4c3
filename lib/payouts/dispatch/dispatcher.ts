import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import type { AlipayClient } from "@/lib/alipay/client";
import { SharedRateLimiter } from "@/lib/alipay/shared-rate-limiter";
import { log, withLogContext } from "@/lib/log";
import { crashPoint } from "@/lib/runtime/crash-point";
import { logPayoutMove } from "../log";
import { railFor, type PayoutRail, type SendOutcome } from "../rails";
import { claimDuePayouts, type ClaimedPayout } from "./claim";
import { expireLeases } from "./leases";
import { onNudge } from "./nudge";
import { recordOutcome, type RetryPolicy } from "./record-outcome";
import { isPlainPayment, recordPaidBatch, type PaidOutcome } from "./record-paid-batch";

/** Most plain payments written by one statement. */
const MAX_BATCH = 200;

/**
 * One limiter per rail with its own Alipay rate (`rail.callsPerSecond`), per process: the RateWindow row keyed
 * `rail:<RAIL>` is shared by every process, so all of them together stay under the rail's rate.
 */
const railLimiters = new Map<string, SharedRateLimiter>();

function railLimiter(rail: PayoutRail): SharedRateLimiter | null {
  if (rail.callsPerSecond === null) return null;
  const key = `rail:${rail.rail}`;
  let limiter = railLimiters.get(key);
  if (!limiter) {
    limiter = new SharedRateLimiter(rail.callsPerSecond, key);
    railLimiters.set(key, limiter);
  }
  return limiter;
}

type PendingPayment = { claimed: ClaimedPayout; outcome: PaidOutcome; done: () => void };

export type DispatcherOptions = {
  client: () => AlipayClient;
  /** Calls in flight at once from this process: Alipay's latency, not the console, should be the limit. */
  concurrency: number;
  /** How long a claim lasts; longer than a call can take (the SDK's timeout applies per phase). */
  leaseMs: number;
  /** How often to look for due payouts and expired leases when nothing nudged. */
  pollMs: number;
  retry: RetryPolicy;
  worker?: string;
};

/**
 * Sends approved payouts. A loop claims due payouts (guarded APPROVED/UNKNOWN → SENDING with a lease), keeps up
 * to `concurrency` rail calls in flight, each outside any transaction, and records each answer as it comes.
 * Several processes may run one each: claims never overlap, and the shared rate limit spaces their calls.
 */
export class Dispatcher {
  readonly worker: string;
  private running = false;
  private readonly inFlight = new Set<Promise<void>>();
  private wakeUp: (() => void) | null = null;
  private loopDone: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  private lastLeaseSweep = 0;
  /** The last claim got all it asked for: more payouts are probably due. */
  private moreDue = true;
  private woken = false;
  /** Claimed, waiting for a free slot (at most a batch). */
  private readonly ready: ClaimedPayout[] = [];
  private paid: PendingPayment[] = [];
  private writingPaid: Promise<void> | null = null;

  constructor(private readonly options: DispatcherOptions) {
    this.worker = options.worker ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = onNudge(() => this.nudge());
    this.loopDone = this.loop();
  }

  /** Stops claiming, sends what it has claimed, and waits for every answer to be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake();
    await this.loopDone;
    // Claimed payouts are sent rather than left to their leases.
    while (this.inFlight.size > 0 || this.ready.length > 0) {
      this.startReady();
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /** Payouts became due (a nudge): claim now. */
  nudge(): void {
    this.moreDue = true;
    this.wake();
  }

  private wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = null;
    if (wake) wake();
    else this.woken = true; // not asleep yet: the next sleep returns at once
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * Claims in batches and ahead of need: up to `concurrency` calls in flight plus a batch claimed and ready, so a
   * finishing call is replaced at once instead of after a claim's round trip.
   */
  private async loop(): Promise<void> {
    const batch = Math.max(1, Math.floor(this.options.concurrency / 8));
    while (this.running) {
      try {
        if (Date.now() - this.lastLeaseSweep >= this.options.pollMs) {
          this.lastLeaseSweep = Date.now();
          await expireLeases();
        }
        const want = this.options.concurrency + batch - this.inFlight.size - this.ready.length;
        // With payouts waiting, claim once a batch's worth is wanted; otherwise this is the poll.
        if (want > 0 && (want >= batch || !this.moreDue)) {
          const claimed = await claimDuePayouts(this.worker, want, this.options.leaseMs);
          for (const payout of claimed) {
            logPayoutMove({
              payoutId: payout.id,
              outBizNo: payout.outBizNo,
              campaignId: payout.campaignId,
              requestId: payout.requestId,
              from: payout.claimedFrom,
              to: "SENDING",
              move: "claim",
              attempt: payout.attemptCount,
              amountFen: payout.amountFen,
            });
          }
          this.ready.push(...claimed);
          this.startReady();
          this.moreDue = claimed.length === want;
          if (this.moreDue) continue;
        }
        await this.sleep(this.options.pollMs); // a nudge, a finishing call or the poll wakes it
      } catch (error) {
        log.error("payout.dispatch.loop", { error: (error as Error).message });
        await this.sleep(this.options.pollMs);
      }
    }
  }

  private startReady(): void {
    while (this.ready.length > 0 && this.inFlight.size < this.options.concurrency) {
      const next = this.ready.shift();
      if (next) this.track(this.send(next));
    }
  }

  private track(task: Promise<void>): void {
    this.inFlight.add(task);
    void task.finally(() => {
      this.inFlight.delete(task);
      this.startReady();
      if (this.moreDue) this.wake();
    });
  }

  /** Every line logged while sending (the client's `alipay.call`, the outcome's move) names the payout. */
  private send(payout: ClaimedPayout): Promise<void> {
    return withLogContext(
      { payoutId: payout.id, outBizNo: payout.outBizNo, requestId: payout.requestId },
      () => this.sendInContext(payout),
    );
  }

  private async sendInContext(payout: ClaimedPayout): Promise<void> {
    const rail = railFor(payout.campaign.rail);
    crashPoint("payout.send.before-alipay");
    let outcome: SendOutcome;
    try {
      // The rail's own rate, before the client's app-wide one (ALIPAY_MAX_QPS) that every call waits for.
      await railLimiter(rail)?.acquire();
      outcome =
        payout.claimedFrom === "UNKNOWN"
          ? await rail.resolve(this.options.client(), payout.campaign, payout)
          : await rail.send(this.options.client(), payout.campaign, payout);
    } catch (error) {
      // A bug, not Alipay: the lease expires and the same key is tried again.
      log.error("payout.send", { payoutId: payout.id, error: (error as Error).message });
      return;
    }
    crashPoint("payout.send.after-alipay");
    if (isPlainPayment(payout, outcome)) {
      await this.recordInBatch(payout, outcome);
      return;
    }
    await this.recordOne(payout, outcome);
  }

  private async recordOne(payout: ClaimedPayout, outcome: SendOutcome): Promise<void> {
    try {
      await recordOutcome(payout, outcome, this.worker, this.options.retry);
    } catch (error) {
      // The answer is lost with the lease: the payout becomes UNKNOWN and the same key learns it again.
      log.error("payout.record", { payoutId: payout.id, error: (error as Error).message });
    }
  }

  /**
   * Group commit: plain payments wait for the batch being written and go out together in the next one, so a
   * busy dispatcher writes one statement per batch instead of one transaction per payout. The call's slot is
   * freed only once its outcome is written.
   */
  private recordInBatch(payout: ClaimedPayout, outcome: PaidOutcome): Promise<void> {
    return new Promise((done) => {
      this.paid.push({ claimed: payout, outcome, done });
      this.flushPaid();
    });
  }

  private flushPaid(): void {
    if (this.writingPaid || this.paid.length === 0) return;
    const batch = this.paid.splice(0, MAX_BATCH);
    // Started from within one payout's send: its log context must not name that payout on the whole batch.
    const written = withLogContext({ payoutId: undefined, outBizNo: undefined, requestId: undefined }, () =>
      this.writePaid(batch),
    );
    this.writingPaid = written.finally(() => {
      for (const item of batch) item.done();
      this.writingPaid = null;
      this.flushPaid();
    });
  }

  private async writePaid(batch: PendingPayment[]): Promise<void> {
    try {
      await recordPaidBatch(this.worker, batch);
    } catch (error) {
      // One payout's budget disagreed (or the database hiccuped): record each on its own, as without batching.
      log.warn("payout.record.batch", { size: batch.length, error: (error as Error).message });
      for (const { claimed, outcome } of batch) await this.recordOne(claimed, outcome);
    }
  }
}
