import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { actorCan, actorId, assertCan, type Actor } from "@/lib/auth/actor";
import { csvStream, type CsvRow } from "@/lib/csv/writer";
import { db } from "@/lib/db";
import { domainError } from "@/lib/errors";
import type { BatchStatus, IdentityType, PayoutScene, PayoutStatus } from "@/lib/enums";
import type { Locale } from "@/lib/i18n/locales";
import { translate } from "@/lib/i18n/messages";
import { maskIdentity } from "@/lib/payouts/recipient";
import type { ListQuery } from "@/lib/validation/list-query";
import { findPage, type ListPage } from "@/lib/validation/list-query";
import { BATCH_COLUMNS, IDENTITY_TYPE_LABELS, INVALID_ROWS_HEADERS } from "./columns";
import { batchPhase, etaSeconds, type BatchPhase, type RowCounts } from "./progress";

/** The pace behind the ETA: rows settled in the last minute. */
const PACE_WINDOW_SECONDS = 60;

export type BatchSummaryRow = {
  id: string;
  createdAt: string;
  campaignId: string;
  campaignName: string;
  fileName: string;
  rowCount: number;
  amountFen: number;
  status: BatchStatus;
  phase: BatchPhase;
  requestedByLabel: string;
  /** The reader submitted it (and so may not decide it). */
  own: boolean;
  counts: RowCounts;
};

const BATCH_SELECT = {
  id: true,
  createdAt: true,
  campaignId: true,
  campaign: { select: { name: true } },
  fileName: true,
  rowCount: true,
  amountFen: true,
  status: true,
  requestedById: true,
  requestedByLabel: true,
} satisfies Prisma.BatchSelect;

type SelectedBatch = Prisma.BatchGetPayload<{ select: typeof BATCH_SELECT }>;

/** Row counts by status for each batch: ONE grouped read over the (batchId, status) index. */
async function countsOf(batchIds: string[]): Promise<Map<string, Record<string, number>>> {
  const result = new Map<string, Record<string, number>>();
  if (batchIds.length === 0) return result;
  const rows = await db.$queryRaw<{ batchId: string; status: PayoutStatus; n: number }[]>`
    SELECT "batchId", status, COUNT(*)::int AS n FROM "Payout"
     WHERE "batchId" = ANY(${batchIds}::text[]) GROUP BY "batchId", status`;
  for (const row of rows) {
    const counts = result.get(row.batchId) ?? {};
    counts[row.status] = row.n;
    result.set(row.batchId, counts);
  }
  return result;
}

function summaryRow(actor: Actor, batch: SelectedBatch, counts: RowCounts): BatchSummaryRow {
  const id = actorId(actor);
  return {
    id: batch.id,
    createdAt: batch.createdAt.toISOString(),
    campaignId: batch.campaignId,
    campaignName: batch.campaign.name,
    fileName: batch.fileName,
    rowCount: batch.rowCount,
    amountFen: batch.amountFen,
    status: batch.status,
    phase: batchPhase(batch.status, counts),
    requestedByLabel: batch.requestedByLabel,
    own: id !== null && batch.requestedById === id,
    counts,
  };
}

export type BatchListQuery = ListQuery<"createdAt"> & { status?: BatchStatus; campaign?: string };

/** /batches: newest first, with each batch's progress. */
export async function listBatches(actor: Actor, query: BatchListQuery): Promise<ListPage<BatchSummaryRow>> {
  assertCan(actor, "batch:read");
  const where: Prisma.BatchWhereInput = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.campaign ? { campaignId: query.campaign } : {}),
    ...(query.q
      ? {
          OR: [
            { fileName: { contains: query.q, mode: "insensitive" } },
            { campaign: { name: { contains: query.q, mode: "insensitive" } } },
            { requestedByLabel: { contains: query.q, mode: "insensitive" } },
          ],
        }
      : {}),
  };
  const page = await findPage(query, {
    rows: (window) =>
      db.batch.findMany({
        where,
        select: BATCH_SELECT,
        orderBy: [{ createdAt: query.sort.direction }, { id: query.sort.direction }],
        ...window,
      }),
    count: () => db.batch.count({ where }),
  });
  const counts = await countsOf(page.rows.map((b) => b.id));
  return { ...page, rows: page.rows.map((b) => summaryRow(actor, b, counts.get(b.id) ?? {})) };
}

export type BatchSampleRow = {
  id: string;
  recipient: string;
  identityType: IdentityType;
  scene: PayoutScene;
  memo: string | null;
  outBizNo: string;
};

export type PendingBatch = BatchSummaryRow & { sample: BatchSampleRow[] };

/** Rows shown with a pending batch in /approvals. */
const SAMPLE_ROWS = 5;

/** Batches waiting for an approver (oldest first), with their totals and a few rows, recipients masked. */
export async function listPendingBatches(actor: Actor): Promise<PendingBatch[]> {
  assertCan(actor, "approval:read");
  const batches = await db.batch.findMany({
    where: { status: "PENDING_APPROVAL" },
    select: BATCH_SELECT,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 50,
  });
  const counts = await countsOf(batches.map((b) => b.id));
  return Promise.all(
    batches.map(async (batch) => {
      const sample = await db.payout.findMany({
        where: { batchId: batch.id },
        select: { id: true, identityType: true, identity: true, scene: true, memo: true, outBizNo: true },
        orderBy: { id: "asc" },
        take: SAMPLE_ROWS,
      });
      return {
        ...summaryRow(actor, batch, counts.get(batch.id) ?? {}),
        sample: sample.map((p) => ({
          id: p.id,
          recipient: maskIdentity(p.identityType, p.identity),
          identityType: p.identityType,
          scene: p.scene,
          memo: p.memo,
          outBizNo: p.outBizNo,
        })),
      };
    }),
  );
}

export type BatchDetail = BatchSummaryRow & {
  encoding: string;
  requestedByLabel: string;
  decidedByLabel: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  /** Paid so far (what Alipay paid) and still held by rows on their way. */
  paidFen: number;
  heldFen: number;
  /** Rows settled in the last minute, and the ETA at that pace (null when unknown or nothing left). */
  recentlySettled: number;
  etaSeconds: number | null;
  /** Failed rows a retry can help. */
  retryableFailed: number;
};

/** One batch with its progress: counts by status, money paid and held, the pace and ETA. */
export async function getBatchDetail(
  actor: Actor,
  batchId: string,
  now: Date = new Date(),
): Promise<BatchDetail> {
  assertCan(actor, "batch:read");
  const batch = await db.batch.findUnique({
    where: { id: batchId },
    select: { ...BATCH_SELECT, encoding: true, decidedByLabel: true, decidedAt: true, decisionReason: true },
  });
  if (!batch) throw domainError("NOT_FOUND", "batches.errors.notFound");
  const since = new Date(now.getTime() - PACE_WINDOW_SECONDS * 1000);
  const [counts, [money]] = await Promise.all([
    countsOf([batch.id]),
    db.$queryRaw<{ paid: number; held: number; recent: number; retryable: number }[]>`
      SELECT COALESCE(SUM("awardedFen") FILTER (WHERE status = 'SUCCEEDED'), 0)::int AS paid,
             COALESCE(SUM("amountFen") FILTER (WHERE status IN ('PENDING_APPROVAL', 'APPROVED', 'SENDING',
                                                               'UNKNOWN', 'NEEDS_ATTENTION')), 0)::int AS held,
             (COUNT(*) FILTER (WHERE status IN ('SUCCEEDED', 'FAILED') AND "updatedAt" >= ${since}))::int AS recent,
             (COUNT(*) FILTER (WHERE status = 'FAILED' AND "failureRetryable" = true))::int AS retryable
        FROM "Payout" WHERE "batchId" = ${batch.id}`,
  ]);
  const rowCounts = counts.get(batch.id) ?? {};
  const summary = summaryRow(actor, batch, rowCounts);
  const recent = money?.recent ?? 0;
  return {
    ...summary,
    encoding: batch.encoding,
    decidedByLabel: batch.decidedByLabel,
    decidedAt: batch.decidedAt?.toISOString() ?? null,
    decisionReason: batch.decisionReason,
    paidFen: money?.paid ?? 0,
    heldFen: money?.held ?? 0,
    recentlySettled: recent,
    etaSeconds: summary.phase === "SENDING" ? etaSeconds(rowCounts, recent, PACE_WINDOW_SECONDS) : null,
    retryableFailed: money?.retryable ?? 0,
  };
}

/**
 * The batch's failed rows as a CSV in the upload's columns (so it can be fixed and uploaded as a new batch)
 * plus why each failed and whether retrying can help, through the export writer (formulas neutralised).
 * Full recipients: the uploader's own data, for readers of batches who may request payouts or export them.
 */
export async function failedRowsCsv(
  actor: Actor,
  batchId: string,
  locale: Locale,
): Promise<ReadableStream<Uint8Array>> {
  assertCan(actor, "batch:read");
  const batch = await db.batch.findUnique({ where: { id: batchId }, select: { id: true } });
  if (!batch) throw domainError("NOT_FOUND", "batches.errors.notFound");
  const full = actorCan(actor, "payout:request") || actorCan(actor, "payout:export");
  const failed = await db.payout.findMany({
    where: { batchId, status: "FAILED" },
    select: {
      identityType: true,
      identity: true,
      scene: true,
      memo: true,
      outBizNo: true,
      failureCode: true,
      failureMessage: true,
      failureRetryable: true,
    },
    orderBy: { id: "asc" },
  });
  const header: CsvRow = [
    ...BATCH_COLUMNS.map((column) => column.header[locale]),
    INVALID_ROWS_HEADERS.reason[locale],
    translate(locale, "batches.failedCsv.retryable"),
  ];
  const rows = failed.map((p): CsvRow => {
    const cells: Record<string, string> = {
      identityType: IDENTITY_TYPE_LABELS[locale][p.identityType],
      identity: full ? p.identity : maskIdentity(p.identityType, p.identity),
      name: "",
      scene: translate(locale, `campaigns.scene.${p.scene}`),
      memo: p.memo ?? "",
      outBizNo: p.outBizNo,
    };
    return [
      ...BATCH_COLUMNS.map((column) => cells[column.field] ?? ""),
      [p.failureCode, p.failureMessage].filter(Boolean).join(": "),
      translate(locale, p.failureRetryable ? "common.yes" : "common.no"),
    ];
  });
  return csvStream(header, rows);
}

/** The statuses a batch can have, for filters. */
export type { BatchStatus };
