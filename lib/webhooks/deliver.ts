import "server-only";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { crashPoint } from "@/lib/runtime/crash-point";
import { signWebhook, webhookBody } from "./signing";

/** How long a receiver has to answer one attempt. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** How much of a receiver's answer is kept with the attempt. */
export const WEBHOOK_EXCERPT_MAX = 500;
const USER_AGENT = "HongbaoConsole-Webhooks/1";

/** This attempt failed and another remains: thrown so that pg-boss schedules the next one. */
export class WebhookAttemptFailed extends Error {
  constructor(
    readonly deliveryId: string,
    readonly reason: string,
  ) {
    super(`webhook delivery ${deliveryId}: ${reason}`);
    this.name = "WebhookAttemptFailed";
  }
}

export type DeliveryOutcome =
  /** The receiver answered 2xx. */
  | "delivered"
  /** The last attempt failed too: the delivery is FAILED (a person may resend it). */
  | "failed"
  /** Nothing to do: already delivered or given up, the endpoint is disabled, or the delivery is gone. */
  | "skipped";

type Answer = { statusCode: number | null; error: string | null; excerpt: string | null };

/** At most `limit` characters of the answer, reading no more of the body than that needs. */
async function readExcerpt(response: Response, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, limit);
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return `timeout after ${timeoutMs} ms`;
    // fetch wraps the socket's reason (ECONNREFUSED, ENOTFOUND, a TLS error) as its cause.
    const cause = (error as Error & { cause?: unknown }).cause;
    const code = cause && typeof cause === "object" && "code" in cause ? String(cause.code) : null;
    const detail = cause instanceof Error ? cause.message : error.message;
    return (code && !detail.includes(code) ? `${code}: ${detail}` : detail).slice(0, WEBHOOK_EXCERPT_MAX);
  }
  return String(error).slice(0, WEBHOOK_EXCERPT_MAX);
}

async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<Answer> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "user-agent": USER_AGENT },
      body,
      // A redirect is an answer like any other non-2xx: following it would post the event somewhere the
      // administrator never configured.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const excerpt = await readExcerpt(response, WEBHOOK_EXCERPT_MAX).catch(() => "");
    return { statusCode: response.status, error: null, excerpt: excerpt || null };
  } catch (error) {
    return { statusCode: null, error: describeFailure(error, timeoutMs), excerpt: null };
  }
}

/**
 * One attempt of one delivery (the pg-boss job handler's work): loads the delivery with its event and endpoint,
 * posts the signed body outside any transaction, then records the attempt and its outcome in one short
 * transaction. 2xx → DELIVERED. Otherwise, when `isLastAttempt` the delivery becomes FAILED; if not, this throws
 * WebhookAttemptFailed so pg-boss retries the job later (the retry schedule is the job's: relay.ts).
 */
export async function deliverWebhook(
  deliveryId: string,
  options: { isLastAttempt: boolean; timeoutMs?: number },
): Promise<DeliveryOutcome> {
  const delivery = await db.webhookDelivery.findUnique({
    where: { id: deliveryId },
    include: { event: true, endpoint: true },
  });
  if (!delivery || delivery.status !== "PENDING") return "skipped";
  if (delivery.endpoint.disabledAt) {
    // Disabled after the event was written: given up without a call (a person can resend it once enabled).
    await db.webhookDelivery.updateMany({
      where: { id: deliveryId, status: "PENDING" },
      data: { status: "FAILED" },
    });
    return "skipped";
  }

  const body = webhookBody(delivery.event);
  const startedAt = new Date();
  const headers = signWebhook(delivery.endpoint.secret, delivery.event.id, body, startedAt);
  const started = performance.now();
  // A process that dies from here until the outcome is recorded leaves the delivery PENDING under an active job:
  // pg-boss fails that job when it expires and retries it, or on the last attempt sweep.ts gives it up.
  crashPoint("webhook.deliver.before-post");
  const answer = await post(delivery.endpoint.url, headers, body, options.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
  crashPoint("webhook.deliver.after-post");
  const latencyMs = Math.max(0, Math.round(performance.now() - started));
  const ok = answer.statusCode !== null && answer.statusCode >= 200 && answer.statusCode < 300;
  const finishedAt = new Date();

  const number = await db.$transaction(async (tx) => {
    const counted = await tx.webhookDelivery.update({
      where: { id: deliveryId },
      data: { attemptCount: { increment: 1 }, lastAttemptAt: finishedAt },
      select: { attemptCount: true },
    });
    if (ok || options.isLastAttempt) {
      // Guarded on PENDING: a delivery settles once.
      await tx.webhookDelivery.updateMany({
        where: { id: deliveryId, status: "PENDING" },
        data: ok ? { status: "DELIVERED", deliveredAt: finishedAt } : { status: "FAILED" },
      });
    }
    await tx.webhookAttempt.create({
      data: {
        deliveryId,
        number: counted.attemptCount,
        startedAt,
        latencyMs,
        statusCode: answer.statusCode,
        error: answer.error,
        responseExcerpt: answer.excerpt,
      },
    });
    return counted.attemptCount;
  });
  // Recorded, but pg-boss not yet told: the job expires and its rerun finds the delivery settled (or retries it).
  crashPoint("webhook.deliver.after-record");

  // Never the secret, the signature or the body: which delivery, where to, and how it went.
  const fields = {
    deliveryId,
    endpointId: delivery.endpointId,
    eventType: delivery.event.type,
    attempt: number,
    statusCode: answer.statusCode,
    error: answer.error,
    latencyMs,
  };
  if (ok) {
    log.info("webhook.delivered", fields);
    return "delivered";
  }
  if (options.isLastAttempt) {
    log.warn("webhook.failed", fields);
    return "failed";
  }
  log.info("webhook.attempt_failed", fields);
  throw new WebhookAttemptFailed(
    deliveryId,
    answer.statusCode !== null ? `HTTP ${answer.statusCode}` : (answer.error ?? "no answer"),
  );
}
