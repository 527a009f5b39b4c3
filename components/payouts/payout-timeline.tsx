"use client";

import { useActionLabel } from "@/components/audit/use-action-label";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { auditActorText } from "@/lib/audit/labels";
import { formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import type { PayoutAttemptView, PayoutTimelineEvent } from "@/lib/payouts/types";

type Entry =
  | { kind: "event"; at: string; event: PayoutTimelineEvent }
  | { kind: "attempt"; at: string; attempt: PayoutAttemptView };

/** Events and calls to Alipay in the order they happened (an event first when both share an instant). */
function merge(events: PayoutTimelineEvent[], attempts: PayoutAttemptView[]): Entry[] {
  const entries: Entry[] = [
    ...events.map((event) => ({ kind: "event" as const, at: event.createdAt, event })),
    ...attempts.map((attempt) => ({ kind: "attempt" as const, at: attempt.startedAt, attempt })),
  ];
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

const EVENT_TONE: Record<string, BadgeTone> = {
  "payout.succeed": "green",
  "payout.fail": "red",
  "payout.give_up": "amber",
  "payout.alarm": "red",
  "payout.reject": "gray",
  "payout.cancel": "gray",
  "payout.abandon": "red",
};

function EventEntry({ event }: { event: PayoutTimelineEvent }) {
  const { t, formatDateTime } = useI18n();
  const label = useActionLabel();
  const details = [
    event.source ? t(`payouts.history.source.${event.source}`) : null,
    event.ip ? t("payouts.detail.fromIp", { ip: event.ip }) : null,
    event.reason ? t("payouts.detail.reason", { reason: event.reason }) : null,
  ].filter(Boolean);
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <Badge tone={EVENT_TONE[event.action] ?? "blue"}>{label(event.action)}</Badge>
        <time dateTime={event.createdAt} className="text-xs text-gray-500 tabular">
          {formatDateTime(event.createdAt, { seconds: true })}
        </time>
      </div>
      <p className="mt-1 truncate text-xs text-gray-600" title={event.actorLabel}>
        {auditActorText(t, event)}
      </p>
      {details.length > 0 ? (
        <p className="mt-1 text-xs break-all text-gray-600">{details.join(" · ")}</p>
      ) : null}
    </>
  );
}

/** What one call to Alipay came to, in words. */
function useAttemptOutcome(): (attempt: PayoutAttemptView) => string {
  const { t } = useI18n();
  return (attempt) => {
    if (attempt.outcome === "OK") {
      const amount = attempt.awardedFen === null ? "—" : formatFen(attempt.awardedFen);
      return attempt.repeat
        ? t("payouts.detail.attempt.repeat", { amount })
        : t("payouts.detail.attempt.paid", { amount });
    }
    if (attempt.outcome === "REJECTED") {
      return attempt.subMsg
        ? t("payouts.detail.attempt.rejectedWith", { message: attempt.subMsg })
        : t("payouts.detail.attempt.rejected");
    }
    const why = attempt.unknownReason
      ? t(`payouts.detail.unknownReason.${attempt.unknownReason}`)
      : (attempt.reason ?? attempt.subMsg ?? "—");
    return t("payouts.detail.attempt.unknown", { reason: why });
  };
}

const ATTEMPT_TONE: Record<PayoutAttemptView["outcome"], BadgeTone> = {
  OK: "green",
  REJECTED: "red",
  UNKNOWN: "blue",
};

function AttemptEntry({ attempt }: { attempt: PayoutAttemptView }) {
  const { t, formatDateTime } = useI18n();
  const outcome = useAttemptOutcome();
  const facts: Array<[string, string]> = [
    [
      t("payouts.detail.attempt.latency"),
      t("payouts.detail.attempt.latencyValue", { ms: attempt.latencyMs }),
    ],
    ...(attempt.code ? [[t("payouts.detail.attempt.code"), attempt.code] as [string, string]] : []),
    ...(attempt.subCode ? [[t("payouts.detail.attempt.subCode"), attempt.subCode] as [string, string]] : []),
    ...(attempt.traceId ? [[t("payouts.detail.attempt.traceId"), attempt.traceId] as [string, string]] : []),
  ];
  return (
    <div
      className="rounded-md bg-gray-50 px-3 py-2 ring-1 ring-gray-200 ring-inset"
      data-testid="payout-attempt"
    >
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="flex items-center gap-2">
          <Badge tone={ATTEMPT_TONE[attempt.outcome]}>
            {t("payouts.detail.attempt.title", { number: attempt.number })}
          </Badge>
          <span className="text-gray-800">{outcome(attempt)}</span>
        </span>
        <time dateTime={attempt.startedAt} className="text-xs text-gray-500 tabular">
          {formatDateTime(attempt.startedAt, { seconds: true })}
        </time>
      </div>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
        {facts.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-gray-500">{label}</dt>
            <dd className="font-mono break-all text-gray-700" translate="no">
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {attempt.rawReply !== null ? (
        <details className="mt-2 text-xs" data-testid="payout-raw-reply">
          <summary className="cursor-pointer text-brand-700 hover:underline">
            {t("payouts.detail.rawReply")}
          </summary>
          <pre className="mt-1 max-h-80 overflow-auto rounded-md bg-white p-3 text-gray-800 ring-1 ring-gray-200">
            {attempt.rawReply}
          </pre>
        </details>
      ) : null}
    </div>
  );
}

/**
 * A payout's life, oldest first: the audit log's events (who requested, approved, sent, and what Alipay
 * decided) with each call to Alipay between them (time, latency, code, sub_code, the message in words, the
 * trace id; the raw reply for administrators, which the server sends to nobody else).
 */
export function PayoutTimeline({
  events,
  attempts,
}: {
  events: PayoutTimelineEvent[];
  attempts: PayoutAttemptView[];
}) {
  const { t } = useI18n();
  const entries = merge(events, attempts);
  if (entries.length === 0) return <p className="text-sm text-gray-500">{t("payouts.detail.noEvents")}</p>;
  return (
    <ol className="space-y-3" aria-label={t("payouts.detail.timeline")}>
      {entries.map((entry) => (
        <li key={`${entry.kind}-${entry.kind === "event" ? entry.event.id : entry.attempt.id}`}>
          {entry.kind === "event" ? (
            <EventEntry event={entry.event} />
          ) : (
            <AttemptEntry attempt={entry.attempt} />
          )}
        </li>
      ))}
    </ol>
  );
}
