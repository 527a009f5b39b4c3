import "server-only";
import type { PayoutStatus } from "@/generated/prisma/enums";
import { systemActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/service";
import { db, type DbOrTx } from "@/lib/db";

/**
 * A campaign's budget figures, all integer fen: `available = budget − reserved − spent − refunded`, never below
 * zero. Reservation is ONE guarded statement (never read-then-write), checked by its affected-row count, so
 * concurrent requests cannot overspend; a CHECK constraint in the database backs it up.
 */

/** Payout statuses whose amount is held back from the budget until the payout is resolved. */
export const RESERVING_STATUSES: readonly PayoutStatus[] = [
  "PENDING_APPROVAL",
  "APPROVED",
  "SENDING",
  "UNKNOWN",
  "NEEDS_ATTENTION",
];

export function availableFen(c: {
  budgetFen: number;
  reservedFen: number;
  spentFen: number;
  refundedFen: number;
}): number {
  return c.budgetFen - c.reservedFen - c.spentFen - c.refundedFen;
}

/**
 * Holds `amountFen` of an ACTIVE campaign's budget. Returns false (and changes nothing) when the campaign is
 * not active or less than that is available.
 */
export async function reserveBudget(tx: DbOrTx, campaignId: string, amountFen: number): Promise<boolean> {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0)
    throw new RangeError("amountFen must be a positive integer");
  const changed = await tx.$executeRaw`
    UPDATE "Campaign"
       SET "reservedFen" = "reservedFen" + ${amountFen}, "updatedAt" = now()
     WHERE id = ${campaignId}
       AND status = 'ACTIVE'
       AND "budgetFen" - "reservedFen" - "spentFen" - "refundedFen" >= ${amountFen}`;
  return changed === 1;
}

/** Resolves a reservation: the money was paid (`spent`) or not (`released`). */
export async function settleReservation(
  tx: DbOrTx,
  campaignId: string,
  amountFen: number,
  outcome: "spent" | "released",
): Promise<void> {
  const changed =
    outcome === "spent"
      ? await tx.$executeRaw`
          UPDATE "Campaign"
             SET "reservedFen" = "reservedFen" - ${amountFen}, "spentFen" = "spentFen" + ${amountFen},
                 "sentCount" = "sentCount" + 1, "updatedAt" = now()
           WHERE id = ${campaignId} AND "reservedFen" >= ${amountFen}`
      : await tx.$executeRaw`
          UPDATE "Campaign" SET "reservedFen" = "reservedFen" - ${amountFen}, "updatedAt" = now()
           WHERE id = ${campaignId} AND "reservedFen" >= ${amountFen}`;
  if (changed !== 1) throw new Error(`campaign ${campaignId}: no reservation of ${amountFen} fen to settle`);
}

export type BudgetFigures = { reservedFen: number; spentFen: number; sentCount: number };

/** What the budget figures must be, recomputed from the payouts themselves. */
export async function recomputeBudget(tx: DbOrTx, campaignId: string): Promise<BudgetFigures> {
  const [reserved, spent] = await Promise.all([
    tx.payout.aggregate({
      where: { campaignId, status: { in: [...RESERVING_STATUSES] } },
      _sum: { amountFen: true },
    }),
    tx.payout.aggregate({
      where: { campaignId, status: "SUCCEEDED" },
      _sum: { amountFen: true },
      _count: true,
    }),
  ]);
  return {
    reservedFen: reserved._sum.amountFen ?? 0,
    spentFen: spent._sum.amountFen ?? 0,
    sentCount: spent._count,
  };
}

export type BudgetMismatch = { campaignId: string; stored: BudgetFigures; recomputed: BudgetFigures };

/**
 * The consistency check (run by a job): compares every campaign's stored figures with its payouts, flags
 * campaigns that disagree (budgetMismatchAt, shown on the campaign page) and clears the flag when they agree.
 */
export async function checkBudgets(): Promise<BudgetMismatch[]> {
  const campaigns = await db.campaign.findMany({
    select: { id: true, reservedFen: true, spentFen: true, sentCount: true, budgetMismatchAt: true },
  });
  const mismatches: BudgetMismatch[] = [];
  for (const c of campaigns) {
    const recomputed = await recomputeBudget(db, c.id);
    const stored = { reservedFen: c.reservedFen, spentFen: c.spentFen, sentCount: c.sentCount };
    const agrees =
      stored.reservedFen === recomputed.reservedFen &&
      stored.spentFen === recomputed.spentFen &&
      stored.sentCount === recomputed.sentCount;
    if (!agrees) mismatches.push({ campaignId: c.id, stored, recomputed });
    if (agrees === (c.budgetMismatchAt !== null)) {
      await db.$transaction(async (tx) => {
        await tx.campaign.update({
          where: { id: c.id },
          data: { budgetMismatchAt: agrees ? null : new Date() },
        });
        await recordAudit(tx, systemActor("budget-check"), {
          action: agrees ? "campaign.budget_consistent" : "campaign.budget_mismatch",
          entityType: "Campaign",
          entityId: c.id,
          before: stored,
          after: recomputed,
        });
      });
    }
  }
  return mismatches;
}
