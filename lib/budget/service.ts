import "server-only";
import { Prisma, type RefundKind } from "@/generated/prisma/client";
import { systemActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/service";
import { db, type DbOrTx } from "@/lib/db";
import { RESERVING_STATUSES } from "@/lib/payouts/transitions";
import { availableFen } from "./figures";

/**
 * A campaign's budget figures, all integer fen: `available = budget − reserved − spent − refunded`, never below
 * zero. Every change is ONE guarded statement (never read-then-write), checked by its affected-row count, so
 * concurrent requests cannot overspend; a CHECK constraint in the database backs it up.
 */

export { availableFen };

export { RESERVING_STATUSES };

function assertPositiveFen(amountFen: number): void {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0)
    throw new RangeError("amountFen must be a positive integer");
}

/**
 * Holds `amountFen` of an ACTIVE campaign's budget. Returns false (and changes nothing) when the campaign is
 * not active or less than that is available.
 */
export async function reserveBudget(tx: DbOrTx, campaignId: string, amountFen: number): Promise<boolean> {
  assertPositiveFen(amountFen);
  const changed = await tx.$executeRaw`
    UPDATE "Campaign"
       SET "reservedFen" = "reservedFen" + ${amountFen}, "updatedAt" = now()
     WHERE id = ${campaignId}
       AND status = 'ACTIVE'
       AND "budgetFen" - "reservedFen" - "spentFen" - "refundedFen" >= ${amountFen}`;
  return changed === 1;
}

/** What a reservation held, and the campaign's figures right after it (integer fen). */
export type Reservation = {
  heldFen: number;
  /** `budget − reserved − spent − refunded` once this reservation is in. */
  availableFen: number;
  budgetFen: number;
};

/**
 * Holds as much as `maxFen` of an ACTIVE campaign's budget, or whatever is left when that is less but at least
 * `minFen` (a random packet: Alipay never pays more than the campaign has left). One guarded statement; returns
 * what was held and what is available after it (read from the row it updated, so concurrent reservations each
 * see their own before and after), or null when nothing was held.
 */
export async function reserveUpTo(
  tx: DbOrTx,
  campaignId: string,
  maxFen: number,
  minFen: number,
): Promise<Reservation | null> {
  assertPositiveFen(maxFen);
  assertPositiveFen(minFen);
  // The CTE locks the row and reads what is left; the guard repeats the condition on the row being updated.
  // NO KEY UPDATE, like a plain UPDATE: it does not conflict with the key-share lock a new payout's foreign key holds.
  const rows = await tx.$queryRaw<{ held: number; available: number; budget: number }[]>`
    WITH c AS (
      SELECT id, LEAST(${maxFen}::int, "budgetFen" - "reservedFen" - "spentFen" - "refundedFen") AS held
        FROM "Campaign" WHERE id = ${campaignId} FOR NO KEY UPDATE
    )
    UPDATE "Campaign" AS t
       SET "reservedFen" = t."reservedFen" + c.held, "updatedAt" = now()
      FROM c
     WHERE t.id = c.id
       AND t.status = 'ACTIVE'
       AND c.held >= ${minFen}
       AND t."budgetFen" - t."reservedFen" - t."spentFen" - t."refundedFen" >= c.held
 RETURNING c.held AS held,
           t."budgetFen" - t."reservedFen" - t."spentFen" - t."refundedFen" AS available,
           t."budgetFen" AS budget`;
  const row = rows[0];
  if (!row) return null;
  return { heldFen: Number(row.held), availableFen: Number(row.available), budgetFen: Number(row.budget) };
}

/**
 * Holds `amountFen` more for a payout already under way (Alipay awarded more than was held), whatever the
 * campaign's status now. One guarded statement; false when less than that is available.
 */
export async function reserveExtra(tx: DbOrTx, campaignId: string, amountFen: number): Promise<boolean> {
  assertPositiveFen(amountFen);
  const changed = await tx.$executeRaw`
    UPDATE "Campaign" SET "reservedFen" = "reservedFen" + ${amountFen}, "updatedAt" = now()
     WHERE id = ${campaignId} AND "budgetFen" - "reservedFen" - "spentFen" - "refundedFen" >= ${amountFen}`;
  return changed === 1;
}

/**
 * Resolves a reservation of `amountFen`: the money was not paid (`released`), or `spentFen` of it was paid
 * (`spent`; a random packet may cost less than the reservation, never more). Throws when there is no such
 * reservation: the caller's transaction must not commit figures that disagree with its payouts.
 */
export async function settleReservation(
  tx: DbOrTx,
  campaignId: string,
  amountFen: number,
  outcome: "released" | { spentFen: number },
): Promise<void> {
  assertPositiveFen(amountFen);
  if (outcome !== "released" && (outcome.spentFen > amountFen || outcome.spentFen <= 0))
    throw new RangeError(`cannot spend ${outcome.spentFen} fen of a ${amountFen} fen reservation`);
  const changed =
    outcome === "released"
      ? await tx.$executeRaw`
          UPDATE "Campaign" SET "reservedFen" = "reservedFen" - ${amountFen}, "updatedAt" = now()
           WHERE id = ${campaignId} AND "reservedFen" >= ${amountFen}`
      : await tx.$executeRaw`
          UPDATE "Campaign"
             SET "reservedFen" = "reservedFen" - ${amountFen}, "spentFen" = "spentFen" + ${outcome.spentFen},
                 "sentCount" = "sentCount" + 1, "updatedAt" = now()
           WHERE id = ${campaignId} AND "reservedFen" >= ${amountFen}`;
  if (changed !== 1) throw new Error(`campaign ${campaignId}: no reservation of ${amountFen} fen to settle`);
}

/**
 * Records money returned to the company out of the budget, in the caller's transaction: the refund row and
 * `refundedFen` move together. Returns false (changing nothing) when less than that is available.
 */
export async function recordRefund(
  tx: DbOrTx,
  campaignId: string,
  amountFen: number,
  kind: RefundKind,
): Promise<boolean> {
  assertPositiveFen(amountFen);
  const changed = await tx.$executeRaw`
    UPDATE "Campaign" SET "refundedFen" = "refundedFen" + ${amountFen}, "updatedAt" = now()
     WHERE id = ${campaignId} AND "budgetFen" - "reservedFen" - "spentFen" - "refundedFen" >= ${amountFen}`;
  if (changed !== 1) return false;
  await tx.campaignRefund.create({ data: { campaignId, amountFen, kind } });
  return true;
}

/**
 * FUND_COUPON: a paid order's amount joins the budget, in the transaction that moves the order to PAID (the
 * order's guarded status move is what makes this happen once). Throws when the campaign is not a fund-coupon one.
 */
export async function addFunding(tx: DbOrTx, campaignId: string, amountFen: number): Promise<void> {
  assertPositiveFen(amountFen);
  const changed = await tx.$executeRaw`
    UPDATE "Campaign" SET "budgetFen" = "budgetFen" + ${amountFen}, "updatedAt" = now()
     WHERE id = ${campaignId} AND rail = 'FUND_COUPON'`;
  if (changed !== 1) throw new Error(`campaign ${campaignId}: not a fund-coupon campaign to fund`);
}

/**
 * Holds `amountFen` for a refund under way (PENDING/UNKNOWN), whatever the campaign's status (closing returns
 * money of a CLOSED campaign). One guarded statement; false when less than that is available.
 */
export async function reserveForRefund(tx: DbOrTx, campaignId: string, amountFen: number): Promise<boolean> {
  assertPositiveFen(amountFen);
  const changed = await tx.$executeRaw`
    UPDATE "Campaign" SET "reservedFen" = "reservedFen" + ${amountFen}, "updatedAt" = now()
     WHERE id = ${campaignId} AND "budgetFen" - "reservedFen" - "spentFen" - "refundedFen" >= ${amountFen}`;
  return changed === 1;
}

/**
 * Resolves a refund's hold: SUCCEEDED moves it from reserved to refunded, FAILED releases it. Throws when there
 * is no such hold, so the caller's transaction cannot commit figures that disagree with its refunds.
 */
export async function settleRefundReservation(
  tx: DbOrTx,
  campaignId: string,
  amountFen: number,
  outcome: "succeeded" | "failed",
): Promise<void> {
  assertPositiveFen(amountFen);
  const changed =
    outcome === "succeeded"
      ? await tx.$executeRaw`
          UPDATE "Campaign"
             SET "reservedFen" = "reservedFen" - ${amountFen}, "refundedFen" = "refundedFen" + ${amountFen},
                 "updatedAt" = now()
           WHERE id = ${campaignId} AND "reservedFen" >= ${amountFen}`
      : await tx.$executeRaw`
          UPDATE "Campaign" SET "reservedFen" = "reservedFen" - ${amountFen}, "updatedAt" = now()
           WHERE id = ${campaignId} AND "reservedFen" >= ${amountFen}`;
  if (changed !== 1) throw new Error(`campaign ${campaignId}: no refund hold of ${amountFen} fen to settle`);
}

/**
 * Money Alipay already returned without a request of ours (a fund-coupon order's expiry auto-refund): refunded
 * at once. One guarded statement; false (nothing changed) when payouts or refunds still hold that money.
 */
export async function addReturnedFunds(tx: DbOrTx, campaignId: string, amountFen: number): Promise<boolean> {
  assertPositiveFen(amountFen);
  const changed = await tx.$executeRaw`
    UPDATE "Campaign" SET "refundedFen" = "refundedFen" + ${amountFen}, "updatedAt" = now()
     WHERE id = ${campaignId} AND "budgetFen" - "reservedFen" - "spentFen" - "refundedFen" >= ${amountFen}`;
  return changed === 1;
}

export type BudgetFigures = { reservedFen: number; spentFen: number; sentCount: number; refundedFen: number };

type FigureRow = {
  id: string;
  budgetFen: number;
  reservedFen: number;
  spentFen: number;
  sentCount: number;
  refundedFen: number;
  flagged: boolean;
  recomputedReservedFen: number;
  recomputedSpentFen: number;
  recomputedSentCount: number;
  recomputedRefundedFen: number;
  /** FUND_COUPON: the sum of the campaign's PAID orders, which its budget must equal (null on other rails). */
  fundedFen: number | null;
};

/**
 * Stored and recomputed figures of campaigns, read by ONE statement so both sides come from the same snapshot:
 * a payout committed between two separate reads would otherwise look like a disagreement under load.
 */
async function readFigures(
  client: DbOrTx,
  which: { campaignId: string } | { since: Date | null },
): Promise<FigureRow[]> {
  const reserving = Prisma.join(RESERVING_STATUSES.map((s) => Prisma.sql`${s}::"PayoutStatus"`));
  return client.$queryRaw<FigureRow[]>`
    SELECT c.id, c."budgetFen", c."reservedFen", c."spentFen", c."sentCount", c."refundedFen",
           c."budgetMismatchAt" IS NOT NULL AS flagged,
           -- A refund under way (PENDING/UNKNOWN) holds its amount like a payout in flight.
           (COALESCE(p.reserved, 0) + COALESCE(r.refunding, 0))::int AS "recomputedReservedFen",
           COALESCE(p.spent, 0)::int AS "recomputedSpentFen",
           COALESCE(p.sent, 0)::int AS "recomputedSentCount",
           COALESCE(r.refunded, 0)::int AS "recomputedRefundedFen",
           CASE WHEN c.rail = 'FUND_COUPON' THEN COALESCE(o.funded, 0)::int END AS "fundedFen"
      FROM "Campaign" c
      LEFT JOIN LATERAL (
        SELECT SUM("amountFen") FILTER (WHERE status IN (${reserving})) AS reserved,
               SUM(COALESCE("awardedFen", "amountFen")) FILTER (WHERE status = 'SUCCEEDED') AS spent,
               COUNT(*) FILTER (WHERE status = 'SUCCEEDED') AS sent
          FROM "Payout" WHERE "campaignId" = c.id
      ) p ON true
      LEFT JOIN LATERAL (
        SELECT SUM("amountFen") FILTER (WHERE status = 'SUCCEEDED') AS refunded,
               SUM("amountFen") FILTER (WHERE status IN ('PENDING', 'UNKNOWN')) AS refunding
          FROM "CampaignRefund" WHERE "campaignId" = c.id
      ) r ON true
      LEFT JOIN LATERAL (
        SELECT SUM("amountFen") AS funded FROM "FundOrder" WHERE "campaignId" = c.id AND status = 'PAID'
      ) o ON true
     WHERE ${
       "campaignId" in which
         ? Prisma.sql`c.id = ${which.campaignId}`
         : which.since
           ? Prisma.sql`c."updatedAt" >= ${which.since}`
           : Prisma.sql`true`
     }`;
}

function stored(row: FigureRow): BudgetFigures {
  return {
    reservedFen: row.reservedFen,
    spentFen: row.spentFen,
    sentCount: row.sentCount,
    refundedFen: row.refundedFen,
  };
}

function recomputed(row: FigureRow): BudgetFigures {
  return {
    reservedFen: row.recomputedReservedFen,
    spentFen: row.recomputedSpentFen,
    sentCount: row.recomputedSentCount,
    refundedFen: row.recomputedRefundedFen,
  };
}

function agrees(row: FigureRow): boolean {
  const a = stored(row);
  const b = recomputed(row);
  return (
    a.reservedFen === b.reservedFen &&
    a.spentFen === b.spentFen &&
    a.sentCount === b.sentCount &&
    a.refundedFen === b.refundedFen &&
    (row.fundedFen === null || row.fundedFen === row.budgetFen) &&
    availableFen({ budgetFen: row.budgetFen, ...b }) >= 0
  );
}

/** What the budget figures must be, recomputed from the payouts and refunds themselves. */
export async function recomputeBudget(client: DbOrTx, campaignId: string): Promise<BudgetFigures> {
  const [row] = await readFigures(client, { campaignId });
  if (!row) throw new Error(`campaign ${campaignId} does not exist`);
  return recomputed(row);
}

export type BudgetMismatch = { campaignId: string; stored: BudgetFigures; recomputed: BudgetFigures };

/**
 * The consistency check (run by a job; `since` limits it to campaigns changed since then): compares every campaign's stored figures with its payouts and refunds,
 * flags campaigns that disagree (budgetMismatchAt, shown on the campaign page) and clears the flag when they
 * agree. The flag is written only while the stored figures are still the ones compared (a guarded update), so
 * a payout settling meanwhile never leaves a stale verdict.
 */
export async function checkBudgets(options: { since?: Date } = {}): Promise<BudgetMismatch[]> {
  const rows = await readFigures(db, { since: options.since ?? null });
  const mismatches: BudgetMismatch[] = [];
  for (const row of rows) {
    const ok = agrees(row);
    if (!ok) mismatches.push({ campaignId: row.id, stored: stored(row), recomputed: recomputed(row) });
    if (ok !== row.flagged) continue;
    await db.$transaction(async (tx) => {
      const changed = await tx.campaign.updateMany({
        where: { id: row.id, ...stored(row) },
        data: { budgetMismatchAt: ok ? null : new Date() },
      });
      if (changed.count !== 1) return;
      await recordAudit(tx, systemActor("budget-check"), {
        action: ok ? "campaign.budget_consistent" : "campaign.budget_mismatch",
        entityType: "Campaign",
        entityId: row.id,
        before: stored(row),
        after: recomputed(row),
      });
    });
  }
  return mismatches;
}
