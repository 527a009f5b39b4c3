import "server-only";
import { randomBytes } from "node:crypto";
import { Prisma, type FundOrderMethod, type FundOrderStatus } from "@/generated/prisma/client";
import type { DbOrTx, Tx } from "@/lib/db";
import { RESERVING_STATUSES } from "@/lib/payouts/transitions";

/**
 * What each fund-coupon order of a campaign still holds. Nothing here is stored: what an order has disbursed is
 * read from its payouts (SUCCEEDED, and those in flight with that fundOrderId), what is being refunded from its
 * PENDING/UNKNOWN refunds, so the figures cannot drift from the rows they describe.
 */

/** An order whose expiry is nearer than this is neither disbursed from nor refunded (Alipay returns it itself). */
export const EXPIRY_MARGIN_MS = 2 * 60 * 1000;

/** A pay or refund call takes at most the SDK's timeout; rows older than this in CREATING/PENDING were left by a dead process. */
export const STALE_AFTER_MS = 2 * 60 * 1000;

/**
 * Allocations to and refunds from a campaign's orders are serialised by this transaction-scoped lock, so two
 * payouts never both take the last of an order and a refund never takes what a payout was just given.
 */
export async function lockFundOrders(tx: Tx, campaignId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`fund-orders:${campaignId}`}, 0))`;
}

/** A new merchant key (`^[A-Za-z0-9_]{1,64}$`): prefix, Beijing-independent UTC day, 20 hex characters. */
export function newKey(prefix: string, now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "");
  return `${prefix}${day}${randomBytes(10).toString("hex")}`;
}

export type OrderBalance = {
  id: string;
  campaignId: string;
  method: FundOrderMethod;
  status: FundOrderStatus;
  outOrderNo: string;
  authNo: string | null;
  amountFen: number;
  refundedFen: number;
  expiresAt: Date | null;
  paidAt: Date | null;
  createdAt: Date;
  /** SUCCEEDED payouts (what Alipay awarded). */
  disbursedFen: number;
  /** Payouts given this order and not yet resolved. */
  inFlightFen: number;
  /** Refunds under way (PENDING/UNKNOWN). */
  refundingFen: number;
  /** amount − refunded − refunding − disbursed − in flight: what is free on this order. */
  remainingFen: number;
};

type BalanceRow = Omit<OrderBalance, "remainingFen">;

/**
 * Every order of a campaign (or one order) with what it holds, earliest expiry first (orders without one last).
 * `excludePayoutId` leaves one payout out of the sums (an allocation deciding whether that payout still fits).
 */
export async function orderBalances(
  client: DbOrTx,
  which: { campaignId: string } | { orderId: string },
  options: { excludePayoutId?: string } = {},
): Promise<OrderBalance[]> {
  const reserving = Prisma.join(RESERVING_STATUSES.map((s) => Prisma.sql`${s}::"PayoutStatus"`));
  const where =
    "campaignId" in which
      ? Prisma.sql`o."campaignId" = ${which.campaignId}`
      : Prisma.sql`o.id = ${which.orderId}`;
  const rows = await client.$queryRaw<BalanceRow[]>`
    SELECT o.id, o."campaignId", o.method, o.status, o."outOrderNo", o."authNo", o."amountFen", o."refundedFen",
           o."expiresAt", o."paidAt", o."createdAt",
           COALESCE(p.disbursed, 0)::int AS "disbursedFen",
           COALESCE(p.in_flight, 0)::int AS "inFlightFen",
           COALESCE(r.refunding, 0)::int AS "refundingFen"
      FROM "FundOrder" o
      LEFT JOIN LATERAL (
        SELECT SUM(COALESCE("awardedFen", "amountFen")) FILTER (WHERE status = 'SUCCEEDED') AS disbursed,
               SUM("amountFen") FILTER (WHERE status IN (${reserving})) AS in_flight
          FROM "Payout"
         WHERE "fundOrderId" = o.id AND id <> ${options.excludePayoutId ?? ""}
      ) p ON true
      LEFT JOIN LATERAL (
        SELECT SUM("amountFen") AS refunding
          FROM "CampaignRefund" WHERE "fundOrderId" = o.id AND status IN ('PENDING', 'UNKNOWN')
      ) r ON true
     WHERE ${where}
     ORDER BY o."expiresAt" ASC NULLS LAST, o."createdAt" ASC, o.id`;
  return rows.map((row) => {
    const b = {
      ...row,
      amountFen: Number(row.amountFen),
      refundedFen: Number(row.refundedFen),
      disbursedFen: Number(row.disbursedFen),
      inFlightFen: Number(row.inFlightFen),
      refundingFen: Number(row.refundingFen),
    };
    return {
      ...b,
      remainingFen: b.amountFen - b.refundedFen - b.refundingFen - b.disbursedFen - b.inFlightFen,
    };
  });
}

/** Whether money can still leave this order by our hand (disbursed or refunded): paid and not about to expire. */
export function isUsable(order: OrderBalance, now: Date = new Date()): boolean {
  return (
    order.status === "PAID" &&
    order.authNo !== null &&
    (order.expiresAt === null || order.expiresAt.getTime() > now.getTime() + EXPIRY_MARGIN_MS)
  );
}
