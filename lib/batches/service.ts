import "server-only";
import { Prisma, type Batch, type Campaign } from "@/generated/prisma/client";
import { actorId, actorLabel, assertCampaignInScope, assertCan, type Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/service";
import { spendableFen } from "@/lib/budget/figures";
import { reserveUpTo, settleReservation } from "@/lib/budget/service";
import { db, type Tx } from "@/lib/db";
import { DomainError, domainError, fieldError } from "@/lib/errors";
import type { MessageRef } from "@/lib/i18n/messages";
import { nudgeDispatch } from "@/lib/payouts/dispatch/nudge";
import { moveBatchPayouts } from "@/lib/payouts/move-many";
import { railFor } from "@/lib/payouts/rails";
import { requestPayoutSet } from "@/lib/payouts/request-many";
import { COUNTED_STATUSES } from "@/lib/payouts/transitions";
import { beijingPeriodStart } from "@/lib/time/beijing";
import { parseIdentityType } from "./columns";
import { decodeBatchFile, type BatchEncoding } from "./decode";
import { MAX_FILE_BYTES } from "./limits";
import { parseBatchCsv, type ParsedBatch, type ParsedRow } from "./parse";
import {
  problemsOf,
  recipientKey,
  summarise,
  validateBatch,
  type BatchContext,
  type BatchProblem,
  type BatchSummary,
  type RowOutcome,
} from "./validate";

/** A 50,000-row batch is a few seconds of inserts; a single payout's 20 s would be too tight on a busy machine. */
const BATCH_TRANSACTION = { maxWait: 20_000, timeout: 180_000 } as const;

/** Problems listed on the preview page; the rest are in the invalid-rows download. */
export const PREVIEW_PROBLEMS = 500;

export type BatchFile = { name: string; bytes: Uint8Array };

function fileError(ref: MessageRef): DomainError {
  return new DomainError("VALIDATION", ref, { file: [ref] });
}

/** The uploaded file as rows, or a 422 naming the file and what is wrong with it. */
export function readBatchFile(file: BatchFile): ParsedBatch & { encoding: BatchEncoding } {
  if (file.bytes.byteLength > MAX_FILE_BYTES)
    throw fileError({ key: "batches.file.tooLarge", params: { maxMiB: MAX_FILE_BYTES / 1024 / 1024 } });
  const decoded = decodeBatchFile(file.bytes);
  if (!decoded.ok) throw fileError(decoded.error);
  const parsed = parseBatchCsv(decoded.text);
  if (!parsed.ok) throw fileError(parsed.error);
  return { header: parsed.header, rows: parsed.rows, warnings: parsed.warnings, encoding: decoded.encoding };
}

async function campaignFor(actor: Actor, campaignId: string, client: Tx | typeof db = db): Promise<Campaign> {
  assertCampaignInScope(actor, campaignId);
  const [campaign] = await client.$queryRaw<Campaign[]>`SELECT * FROM "Campaign" WHERE id = ${campaignId}`;
  if (!campaign) throw fieldError("NOT_FOUND", "campaignId", "payouts.errors.campaignNotFound");
  return campaign;
}

/** What the database knows that the file's checks need: references used, recipients' payouts, the budget. */
async function batchContext(
  campaign: Campaign,
  rows: readonly ParsedRow[],
  now: Date,
): Promise<BatchContext> {
  const rail = railFor(campaign.rail);
  const { maxFen } = rail.reservation(campaign, null);
  const outBizNos = [...new Set(rows.map((r) => r.cells.outBizNo).filter((v) => v !== ""))];
  const identities = [...new Set(rows.map((r) => r.cells.identity).filter((v) => v !== ""))];
  const counted = Prisma.join(COUNTED_STATUSES.map((s) => Prisma.sql`${s}::"PayoutStatus"`));
  const periodStart = campaign.frequencyPeriod ? beijingPeriodStart(now, campaign.frequencyPeriod) : now;
  const [existing, used] = await Promise.all([
    outBizNos.length === 0
      ? []
      : db.$queryRaw<{ outBizNo: string }[]>`
          SELECT "outBizNo" FROM "Payout"
           WHERE "campaignId" = ${campaign.id} AND "outBizNo" = ANY(${outBizNos}::text[])`,
    identities.length === 0
      ? []
      : db.$queryRaw<{ identityType: string; identity: string; lifetime: number; period: number }[]>`
          SELECT "identityType"::text AS "identityType", identity, COUNT(*)::int AS lifetime,
                 (COUNT(*) FILTER (WHERE "createdAt" >= ${periodStart}))::int AS period
            FROM "Payout"
           WHERE "campaignId" = ${campaign.id} AND identity = ANY(${identities}::text[]) AND status IN (${counted})
           GROUP BY "identityType", identity`,
  ]);
  const lifetime = new Map<string, number>();
  const period = new Map<string, number>();
  for (const row of used) {
    const type = parseIdentityType(row.identityType);
    if (!type) continue;
    const key = recipientKey({ identityType: type, identity: row.identity });
    lifetime.set(key, row.lifetime);
    period.set(key, row.period);
  }
  return {
    packetFen: maxFen,
    availableFen: spendableFen(campaign),
    lifetimeLimit: campaign.frequencyLifetime,
    usedByRecipient: lifetime,
    period:
      campaign.frequencyPeriod && campaign.frequencyPeriodLimit !== null
        ? { period: campaign.frequencyPeriod, limit: campaign.frequencyPeriodLimit, usedByRecipient: period }
        : undefined,
    existingOutBizNos: new Set(existing.map((e) => e.outBizNo)),
    // The rail refuses a login id without the payee's name: flagged per row here rather than for the whole file.
    requireName: Boolean(rail.payeeProblem?.("LOGIN_ID", null)),
  };
}

export type CheckedBatch = {
  campaign: Campaign;
  file: ParsedBatch & { encoding: BatchEncoding };
  outcomes: RowOutcome[];
  summary: BatchSummary;
  packetFen: number;
};

/** Reads and checks a file against its campaign as it is now; writes nothing. */
export async function checkBatchFile(
  actor: Actor,
  input: { campaignId: string; file: BatchFile },
  now: Date = new Date(),
): Promise<CheckedBatch> {
  assertCan(actor, "batch:create");
  const campaign = await campaignFor(actor, input.campaignId);
  const file = readBatchFile(input.file);
  const context = await batchContext(campaign, file.rows, now);
  const outcomes = validateBatch(file.rows, context);
  return {
    campaign,
    file,
    outcomes,
    summary: summarise(outcomes, context.packetFen, context.availableFen),
    packetFen: context.packetFen,
  };
}

export type BatchPreview = {
  campaignId: string;
  campaignName: string;
  fileName: string;
  encoding: BatchEncoding;
  warnings: MessageRef[];
  summary: BatchSummary;
  packetFen: number;
  /** The first PREVIEW_PROBLEMS problems, in row order; `problemCount` counts them all. */
  problems: BatchProblem[];
  problemCount: number;
};

/** The preview: totals and every invalid row's problems (the first few hundred listed). Writes nothing. */
export async function previewBatch(
  actor: Actor,
  input: { campaignId: string; file: BatchFile },
): Promise<BatchPreview> {
  const checked = await checkBatchFile(actor, input);
  const problems = problemsOf(checked.outcomes);
  return {
    campaignId: checked.campaign.id,
    campaignName: checked.campaign.name,
    fileName: input.file.name,
    encoding: checked.file.encoding,
    warnings: checked.file.warnings,
    summary: checked.summary,
    packetFen: checked.packetFen,
    problems: problems.slice(0, PREVIEW_PROBLEMS),
    problemCount: problems.length,
  };
}

/**
 * Submits the file's valid rows as one batch waiting for an approver: the file is checked again here (the
 * browser's preview is not trusted), and must still have the valid rows the uploader saw, then every row goes
 * through the request path's set form (requestPayoutSet) in ONE transaction — the whole batch or nothing.
 */
export async function submitBatch(
  actor: Actor,
  input: { campaignId: string; file: BatchFile; expectedValidRows: number },
  now: Date = new Date(),
): Promise<Batch> {
  const checked = await checkBatchFile(actor, input, now);
  const rows = checked.outcomes.flatMap((o) => (o.ok ? [o.value] : []));
  if (rows.length === 0) throw fileError({ key: "batches.errors.noValidRows" });
  if (rows.length !== input.expectedValidRows)
    throw fieldError("CONFLICT", "file", "batches.errors.changedSincePreview", {
      expected: input.expectedValidRows,
      valid: rows.length,
    });
  const defaultScene = checked.campaign.defaultScene;
  const batch = await db.$transaction(async (tx) => {
    const campaign = await campaignFor(actor, input.campaignId, tx);
    const { maxFen } = railFor(campaign.rail).reservation(campaign, null);
    const created = await tx.batch.create({
      data: {
        campaignId: campaign.id,
        fileName: input.file.name.slice(0, 200),
        encoding: checked.file.encoding,
        rowCount: rows.length,
        amountFen: maxFen * rows.length,
        status: "PENDING_APPROVAL",
        requestedByType: actor.type,
        requestedById: actorId(actor),
        requestedByLabel: actorLabel(actor),
      },
    });
    await requestPayoutSet(
      tx,
      actor,
      campaign,
      rows.map((row) => ({
        identityType: row.identityType,
        identity: row.identity,
        scene: row.scene ?? defaultScene,
        memo: row.memo,
        outBizNo: row.outBizNo,
        payeeName: row.name,
      })),
      created.id,
      now,
    );
    await recordAudit(tx, actor, {
      action: "batch.submit",
      entityType: "Batch",
      entityId: created.id,
      after: {
        status: created.status,
        campaignId: campaign.id,
        fileName: created.fileName,
        rowCount: created.rowCount,
        amountFen: created.amountFen,
      },
    });
    return created;
  }, BATCH_TRANSACTION);
  return batch;
}

/** The batch, locked for this transaction. */
async function lockBatch(tx: Tx, actor: Actor, batchId: string): Promise<Batch> {
  const [batch] = await tx.$queryRaw<Batch[]>`SELECT * FROM "Batch" WHERE id = ${batchId} FOR UPDATE`;
  if (!batch) throw domainError("NOT_FOUND", "batches.errors.notFound");
  assertCampaignInScope(actor, batch.campaignId);
  return batch;
}

async function setBatchStatus(
  tx: Tx,
  actor: Actor,
  batch: Batch,
  to: Batch["status"],
  event: string,
  data: Prisma.BatchUpdateInput = {},
  after: Record<string, unknown> = {},
): Promise<void> {
  await tx.batch.update({ where: { id: batch.id }, data: { ...data, status: to } });
  await recordAudit(tx, actor, {
    action: `batch.${event}`,
    entityType: "Batch",
    entityId: batch.id,
    before: { status: batch.status },
    after: { status: to, campaignId: batch.campaignId, ...after },
  });
}

/**
 * An approver decides the whole batch (maker-checker: never their own). Approval makes every row due for the
 * dispatcher; rejection releases the rows' reservations. One transaction, set-based.
 */
export async function decideBatch(
  actor: Actor,
  input: { batchId: string; decision: "approve" | "reject"; reason: string | null },
): Promise<void> {
  assertCan(actor, "payout:approve");
  const now = new Date();
  await db.$transaction(async (tx) => {
    const batch = await lockBatch(tx, actor, input.batchId);
    const id = actorId(actor);
    if (id !== null && batch.requestedById === id)
      throw domainError("FORBIDDEN", "batches.errors.ownRequest");
    if (batch.status !== "PENDING_APPROVAL") throw domainError("CONFLICT", "batches.errors.notPending");
    const decided = {
      decidedById: id,
      decidedByLabel: actorLabel(actor),
      decidedAt: now,
      decisionReason: input.reason,
    };
    const decidedSql = Prisma.sql`, "decidedById" = ${id}, "decidedByLabel" = ${actorLabel(actor)},
      "decidedAt" = ${now}, "decisionReason" = ${input.reason}`;
    if (input.decision === "approve") {
      const moved = await moveBatchPayouts(tx, actor, batch.id, "PENDING_APPROVAL", "APPROVED", "approve", {
        set: Prisma.sql`${decidedSql}, "nextAttemptAt" = ${now}`,
      });
      await setBatchStatus(tx, actor, batch, "APPROVED", "approve", decided, { rows: moved.count });
      return;
    }
    const moved = await moveBatchPayouts(tx, actor, batch.id, "PENDING_APPROVAL", "REJECTED", "reject", {
      set: decidedSql,
    });
    if (moved.heldFen > 0) await settleReservation(tx, batch.campaignId, moved.heldFen, "released");
    await setBatchStatus(tx, actor, batch, "REJECTED", "reject", decided, { rows: moved.count });
  }, BATCH_TRANSACTION);
  if (input.decision === "approve") nudgeDispatch();
}

/** Stops sending the batch's rows not yet taken by a worker (rows being sent finish); resume picks them up. */
export async function pauseBatch(actor: Actor, batchId: string): Promise<void> {
  assertCan(actor, "batch:create");
  await db.$transaction(async (tx) => {
    const batch = await lockBatch(tx, actor, batchId);
    if (batch.status !== "APPROVED") throw domainError("CONFLICT", "batches.errors.notSending");
    await setBatchStatus(tx, actor, batch, "PAUSED", "pause");
  });
}

export async function resumeBatch(actor: Actor, batchId: string): Promise<void> {
  assertCan(actor, "batch:create");
  await db.$transaction(async (tx) => {
    const batch = await lockBatch(tx, actor, batchId);
    if (batch.status !== "PAUSED") throw domainError("CONFLICT", "batches.errors.notPaused");
    await setBatchStatus(tx, actor, batch, "APPROVED", "resume");
  });
  nudgeDispatch();
}

/**
 * Cancels the rows not yet sent (waiting for approval or approved) and releases what they held; rows a worker
 * is sending, or whose outcome is being learned, finish as they would have.
 */
export async function cancelBatch(actor: Actor, batchId: string): Promise<{ canceled: number }> {
  assertCan(actor, "batch:create");
  return db.$transaction(async (tx) => {
    const batch = await lockBatch(tx, actor, batchId);
    if (batch.status === "REJECTED" || batch.status === "CANCELED")
      throw domainError("CONFLICT", "batches.errors.notCancellable");
    let canceled = 0;
    let releasedFen = 0;
    for (const from of ["PENDING_APPROVAL", "APPROVED"] as const) {
      const moved = await moveBatchPayouts(tx, actor, batch.id, from, "CANCELED", "cancel");
      canceled += moved.count;
      releasedFen += moved.heldFen;
    }
    if (releasedFen > 0) await settleReservation(tx, batch.campaignId, releasedFen, "released");
    await setBatchStatus(tx, actor, batch, "CANCELED", "cancel", {}, { canceled, releasedFen });
    return { canceled };
  }, BATCH_TRANSACTION);
}

/**
 * Sends the batch's failed rows again whose failure a retry can help (failureRetryable), with the same
 * business references: their reservations are held again in one guarded statement first.
 */
export async function retryBatchFailures(actor: Actor, batchId: string): Promise<{ retried: number }> {
  assertCan(actor, "batch:create");
  const now = new Date();
  const retried = await db.$transaction(async (tx) => {
    const batch = await lockBatch(tx, actor, batchId);
    if (batch.status !== "APPROVED" && batch.status !== "PAUSED")
      throw domainError("CONFLICT", "batches.errors.notSending");
    const [due] = await tx.$queryRaw<{ count: number; held: number }[]>`
      SELECT COUNT(*)::int AS count, COALESCE(SUM("amountFen"), 0)::int AS held FROM "Payout"
       WHERE "batchId" = ${batch.id} AND status = 'FAILED' AND "failureRetryable" = true`;
    if (!due || due.count === 0) throw domainError("CONFLICT", "batches.errors.nothingToRetry");
    const reservation = await reserveUpTo(tx, batch.campaignId, due.held, due.held);
    if (!reservation) throw domainError("CONFLICT", "payouts.errors.budgetExhausted");
    const moved = await moveBatchPayouts(tx, actor, batch.id, "FAILED", "APPROVED", "retry", {
      set: Prisma.sql`, "nextAttemptAt" = ${now}, "failureCode" = NULL, "failureMessage" = NULL,
        "failureRetryable" = NULL`,
      where: Prisma.sql`AND p."failureRetryable" = true`,
    });
    // The rows were locked by nothing between the count and the move: a difference means the reservation is wrong.
    if (moved.heldFen !== due.held) throw domainError("CONFLICT", "errors.conflict");
    await recordAudit(tx, actor, {
      action: "batch.retry",
      entityType: "Batch",
      entityId: batch.id,
      after: {
        status: batch.status,
        campaignId: batch.campaignId,
        rows: moved.count,
        heldFen: moved.heldFen,
      },
    });
    return moved.count;
  }, BATCH_TRANSACTION);
  nudgeDispatch();
  return { retried };
}
