/**
 * Outgoing signed notifications (notify_url and 应用网关 messages) with redelivery until the receiver answers
 * exactly `success`. Real Alipay waits minutes to hours between attempts; the simulator's schedule is short and
 * configurable so dev and tests see redelivery quickly.
 */
import { randomBytes } from "node:crypto";
import type { OutboxEntry, Store } from "./store";

/** 1 + 7 attempts, like Alipay's 8, compressed from ~25 hours into ~4 minutes. */
export const DEFAULT_NOTIFY_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000];
const ATTEMPT_TIMEOUT_MS = 10_000;

export function newNotifyId(): string {
  return randomBytes(16).toString("hex");
}

export class Notifier {
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = new Set<AbortController>();
  private stopped = false;
  /** Bumped by cancelAll so attempts that were in flight during a reset do not reschedule orphaned entries. */
  private generation = 0;

  constructor(
    private readonly store: Store,
    private readonly retryDelaysMs: readonly number[],
    private readonly log: (line: string) => void,
  ) {}

  enqueue(kind: OutboxEntry["kind"], url: string, fields: Record<string, string>): OutboxEntry {
    const entry: OutboxEntry = {
      id: `N${String(this.store.nextSeq()).padStart(8, "0")}`,
      kind,
      url,
      fields,
      attempts: 0,
      delivered: false,
      gaveUp: false,
      lastError: null,
      lastAttemptAt: null,
      createdAt: new Date().toISOString(),
    };
    this.store.state.outbox.push(entry);
    this.store.touch();
    this.schedule(entry, 0);
    return entry;
  }

  /** After a restart with a state file: carry on delivering what was still pending. */
  resumePending(): void {
    for (const entry of this.store.state.outbox) {
      if (!entry.delivered && !entry.gaveUp) this.schedule(entry, 0);
    }
  }

  /** Stops every pending retry and aborts attempts in flight (stop() and reset()). */
  cancelAll(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  shutdown(): void {
    this.stopped = true;
    this.cancelAll();
  }

  private schedule(entry: OutboxEntry, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(entry);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async attempt(entry: OutboxEntry): Promise<void> {
    const generation = this.generation;
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), ATTEMPT_TIMEOUT_MS);
    timeout.unref();
    this.inFlight.add(controller);
    entry.attempts += 1;
    entry.lastAttemptAt = new Date().toISOString();
    let answer = "";
    try {
      const response = await fetch(entry.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
        body: new URLSearchParams(entry.fields).toString(),
        signal: controller.signal,
      });
      answer = await response.text();
      entry.lastError = answer === "success" ? null : `HTTP ${response.status}: ${answer.slice(0, 200)}`;
    } catch (error) {
      entry.lastError = (error as Error).message;
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (generation !== this.generation) return;
    // Alipay stops only on the exact 7 characters `success`; anything else (even "SUCCESS") is a failure.
    if (answer === "success") {
      entry.delivered = true;
      this.log(`[alipay-sim] notify ${entry.id} → ${entry.url} delivered (attempt ${entry.attempts})`);
    } else {
      const delay = this.retryDelaysMs[entry.attempts - 1];
      if (delay === undefined) {
        entry.gaveUp = true;
        this.log(`[alipay-sim] notify ${entry.id} → ${entry.url} gave up after ${entry.attempts} attempts`);
      } else {
        this.log(
          `[alipay-sim] notify ${entry.id} → ${entry.url} failed (${entry.lastError}); retry in ${delay} ms`,
        );
        this.schedule(entry, delay);
      }
    }
    this.store.touch();
    this.store.flush();
  }
}
