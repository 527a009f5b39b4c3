import "server-only";
import { randomBytes } from "node:crypto";
import type { Campaign, Payout, PayoutSource } from "@/generated/prisma/client";
import {
  actorId,
  actorLabel,
  assertCampaignInScope,
  assertCan,
  systemActor,
  type Actor,
} from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/service";
import { isBudgetLow } from "@/lib/budget/figures";
import { reserveUpTo, type Reservation } from "@/lib/budget/service";
import { db, QUEUED_TRANSACTION, type Tx } from "@/lib/db";
import { DomainError, fieldError } from "@/lib/errors";
import type { PayoutRequestInput } from "@/lib/validation/payouts";
import { nudgeDispatch } from "./dispatch/nudge";
import { formatFen } from "@/lib/format/money";
import { campaignFrequencyLockKey, dailyAmountExceeded, frequencyExceeded } from "./frequency";
import { currentRequestId, logPayoutMove } from "./log";
import { payoutSnapshot } from "./move";
import { autoApprove } from "./policy";
import { railFor } from "./rails";

/** An outBizNo for a request that brought none: generated once, stored before anything is sent. */
export function generateOutBizNo(now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "");
  return `HB${day}${randomBytes(10).toString("hex")}`;
}

export type PayoutRequest = Omit<PayoutRequestInput, "amountFen" | "payeeName"> & {
  /** Left out: the campaign's standard packet (the only choice on CASH_CAMPAIGN). */
  amountFen?: number | null;
  payeeName?: string | null;
  source: PayoutSource;
  /** Batches wait for an approver unless their campaign says otherwise. */
  approval?: "policy" | "approver";
};

export type RequestedPayout = { payout: Payout; replayed: boolean };

/** The request fields a replay must repeat exactly. */
const REPLAY_FIELDS = ["identityType", "identity", "scene", "memo", "payeeName"] as const;

function differingFields(existing: Payout, request: PayoutRequest): string[] {
  const fields: string[] = REPLAY_FIELDS.filter(
    (field) => (existing[field] ?? null) !== (request[field] ?? null),
  );
  // An amount left out means "the campaign's standard packet", whatever that was when it was first asked.
  if (request.amountFen != null && request.amountFen !== existing.amountFen) fields.push("amountFen");
  return fields;
}

/** Who the budget-low notice is credited to: the console noticed it, not the requester. */
const BUDGET_WATCH = systemActor("budget-watch");

/**
 * Records `campaign.budget_low` when this reservation took the campaign's available budget below a tenth of its
 * budget (at least a tenth before, less after), in the reservation's transaction: reservations of one campaign
 * are serialised by its row lock, so exactly one of them crosses the line (and the webhook event follows from
 * the audit event). A release that lifts it back above and a later crossing notify again.
 */
export async function recordBudgetLowIfCrossed(tx: Tx, campaignId: string, r: Reservation): Promise<void> {
  const before = r.availableFen + r.heldFen;
  if (isBudgetLow(before, r.budgetFen) || !isBudgetLow(r.availableFen, r.budgetFen)) return;
  await recordAudit(tx, BUDGET_WATCH, {
    action: "campaign.budget_low",
    entityType: "Campaign",
    entityId: campaignId,
    after: { availableFen: r.availableFen, budgetFen: r.budgetFen },
  });
}

/** Thrown inside the transaction when the key already exists, to roll back and answer as a replay. */
class AlreadyRequested extends Error {}

/**
 * The one way a payout comes to exist, for the console, the API and batches alike (DESIGN.md §3). In ONE
 * transaction: the payout is inserted under its idempotency key (campaignId, outBizNo) before anything else,
 * so concurrent identical requests make one row; the recipient's frequency is checked; the budget is held by
 * one guarded statement; the approval policy decides; the audit event is written. An approved payout needs no
 * separate job: APPROVED rows are the dispatcher's outbox, and the commit is followed by a nudge.
 * Replaying a key with the same parameters returns the existing payout; different parameters are a conflict
 * naming the fields.
 */
export async function requestPayout(actor: Actor, request: PayoutRequest): Promise<RequestedPayout> {
  assertCan(actor, "payout:request");
  // Defence in depth: the API checks the key's campaigns first; outside them the campaign does not exist.
  assertCampaignInScope(actor, request.campaignId);
  const outBizNo = request.outBizNo ?? generateOutBizNo();
  const now = new Date();
  try {
    const payout = await db.$transaction(async (tx) => {
      // Raw SQL for this path's reads and writes: the machine API and batches run it per payout, and Prisma 6.19
      // compiles every model query anew (docs/benchmarks.md, "Machine API": ~0.6 ms of CPU each).
      // The campaign's frequency lock, shared, before anything is written (in the same round trip): a batch
      // of this campaign holds it exclusive while it inserts and counts its rows, and a single request that
      // inserted first and waited for it afterwards could deadlock with that batch on a shared outBizNo.
      const [campaign] = await tx.$queryRaw<Campaign[]>`
        WITH frequency_lock AS (
          SELECT pg_advisory_xact_lock_shared(hashtextextended(${campaignFrequencyLockKey(request.campaignId)}, 0))
        )
        SELECT c.* FROM "Campaign" c, frequency_lock WHERE c.id = ${request.campaignId}`;
      if (!campaign) throw fieldError("NOT_FOUND", "campaignId", "payouts.errors.campaignNotFound");
      const rail = railFor(campaign.rail);
      const inserted = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "Payout" (id, "campaignId", "outBizNo", "identityType", identity, "amountFen", scene, source,
                              memo, "payeeName", "merchantKey", status, "requestedByType", "requestedById",
                              "requestedByLabel", "requestIp", "requestId", "createdAt", "updatedAt")
        VALUES (${`p${randomBytes(12).toString("hex")}`}, ${campaign.id}, ${outBizNo},
                ${request.identityType}::"IdentityType", ${request.identity}, 1, ${request.scene}::"PayoutScene",
                ${request.source}::"PayoutSource", ${request.memo}, ${request.payeeName ?? null},
                ${rail.keyScope === "merchant" ? outBizNo : null}, 'PENDING_APPROVAL',
                ${actor.type}::"ActorType", ${actorId(actor)}, ${actorLabel(actor)}, ${actor.ip},
                ${currentRequestId()}, ${now}, ${now})
        ON CONFLICT DO NOTHING
        RETURNING id`;
      const id = inserted[0]?.id;
      if (!id) throw new AlreadyRequested();

      if (!rail.canPay(campaign))
        throw fieldError("CONFLICT", "campaignId", "payouts.errors.campaignNotPaying", {
          status: campaign.status,
        });
      const payeeProblem = rail.payeeProblem?.(request.identityType, request.payeeName ?? null);
      if (payeeProblem) throw fieldError("VALIDATION", "payeeName", payeeProblem);
      const overLimit = await frequencyExceeded(tx, campaign, request, now);
      if (overLimit)
        throw fieldError(
          "CONFLICT",
          "identity",
          overLimit.period === "LIFETIME"
            ? "payouts.errors.frequencyLimit"
            : `payouts.errors.frequencyLimitPeriod.${overLimit.period}`,
          { limit: overLimit.limit, period: overLimit.period },
        );
      const { maxFen, minFen } = rail.reservation(campaign, request.amountFen ?? null);
      if (await dailyAmountExceeded(tx, campaign, request, id, maxFen, now))
        throw fieldError("CONFLICT", "identity", "payouts.errors.dailyAmountLimit", {
          limit: formatFen(campaign.dailyAmountPerUserFen ?? 0),
        });
      const reservation = await reserveUpTo(tx, campaign.id, maxFen, minFen);
      if (!reservation) throw fieldError("CONFLICT", "campaignId", "payouts.errors.budgetExhausted");
      const { heldFen } = reservation;
      const auto = request.approval !== "approver" && (await autoApprove(tx, campaign, heldFen, now));
      const [created] = await tx.$queryRaw<Payout[]>`
        UPDATE "Payout"
           SET "amountFen" = ${heldFen}, "updatedAt" = ${now},
               status = ${auto ? "APPROVED" : "PENDING_APPROVAL"}::"PayoutStatus", "autoApproved" = ${auto},
               "decidedAt" = ${auto ? now : null}, "nextAttemptAt" = ${auto ? now : null}
         WHERE id = ${id}
     RETURNING *`;
      if (!created) throw new Error(`payout ${id} vanished inside its own transaction`);
      await recordAudit(tx, actor, {
        action: "payout.request",
        entityType: "Payout",
        entityId: id,
        after: { ...payoutSnapshot(created), identityType: created.identityType },
      });
      await recordBudgetLowIfCrossed(tx, campaign.id, reservation);
      return created;
    }, QUEUED_TRANSACTION);
    logPayoutMove({
      payoutId: payout.id,
      outBizNo: payout.outBizNo,
      campaignId: payout.campaignId,
      requestId: payout.requestId,
      from: null,
      to: payout.status,
      move: "request",
      amountFen: payout.amountFen,
    });
    if (payout.status === "APPROVED") nudgeDispatch();
    return { payout, replayed: false };
  } catch (error) {
    if (!(error instanceof AlreadyRequested)) throw error;
    const [existing] = await db.$queryRaw<Payout[]>`
      SELECT * FROM "Payout" WHERE "campaignId" = ${request.campaignId} AND "outBizNo" = ${outBizNo}`;
    // Not in this campaign: another campaign already sent this key to Alipay (merchantKey).
    if (!existing) throw fieldError("CONFLICT", "outBizNo", "payouts.errors.outBizNoUsedElsewhere");
    const fields = differingFields(existing, request);
    if (fields.length > 0) {
      throw new DomainError(
        "CONFLICT",
        { key: "payouts.errors.replayConflict", params: { fields: fields.join(", ") } },
        Object.fromEntries(fields.map((f) => [f, [{ key: "payouts.errors.replayField" }]])),
      );
    }
    return { payout: existing, replayed: true };
  }
}
