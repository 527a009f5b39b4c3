import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { actorCan, assertCan, type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { domainError } from "@/lib/errors";
import { lastPage, skipTake, type Sort } from "@/lib/validation/list-query";
import type { PayoutListQuery } from "@/lib/validation/payouts";
import { maskIdentity } from "./recipient";
import type {
  PayoutCampaignOption,
  PayoutDetailView,
  PayoutListPage,
  PayoutRow,
  PayoutTotals,
} from "./types";
import { displayAmountFen, unknownReasonOf } from "./view";

/**
 * The history counts at most this many matching rows (plus the page being read): past it the total is shown
 * as "10,000+", so the default view of a million payouts costs a LIMITed count, never a full one.
 */
export const PAYOUT_COUNT_BOUND = 10_000;

/** The history's narrowing to one campaign (the campaign page's table): it wins over the `campaign` filter. */
export type PayoutScope = { campaignId: string };

/** The filters of the history (and of its export) as a query condition; every one is an indexed equality. */
export function payoutWhere(query: PayoutListQuery, scope?: PayoutScope): Prisma.PayoutWhereInput {
  const campaignId = scope?.campaignId ?? query.campaign;
  return {
    ...(campaignId ? { campaignId } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.scene ? { scene: query.scene } : {}),
    ...(query.source ? { source: query.source } : {}),
    ...(query.recipient ? { identity: query.recipient } : {}),
    ...(query.outBizNo ? { outBizNo: query.outBizNo } : {}),
    ...(query.batch ? { batchId: query.batch } : {}),
    ...(query.from || query.to
      ? { createdAt: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } }
      : {}),
    // Exact matches on indexed columns: a substring search would read every row of a large history.
    ...(query.q ? { OR: [{ outBizNo: query.q }, { identity: query.q }, { id: query.q }] } : {}),
  };
}

/** Each sort ends on (createdAt, id) in the same direction, so it can follow an index and is stable. */
function payoutOrder(sort: Sort<PayoutListQuery["sort"]["field"]>): Prisma.PayoutOrderByWithRelationInput[] {
  const d = sort.direction;
  const byTime: Prisma.PayoutOrderByWithRelationInput[] = [{ createdAt: d }, { id: d }];
  if (sort.field === "status") return [{ status: d }, ...byTime];
  if (sort.field === "amountFen") return [{ amountFen: d }, ...byTime];
  return byTime;
}

/** The one projection of a history row. */
const PAYOUT_ROW_SELECT = {
  id: true,
  createdAt: true,
  campaignId: true,
  campaign: { select: { name: true } },
  identityType: true,
  identity: true,
  amountFen: true,
  awardedFen: true,
  status: true,
  scene: true,
  source: true,
  outBizNo: true,
  memo: true,
  requestedByLabel: true,
} satisfies Prisma.PayoutSelect;

type PayoutRowRecord = Prisma.PayoutGetPayload<{ select: typeof PAYOUT_ROW_SELECT }>;

export function toPayoutRow(p: PayoutRowRecord): PayoutRow {
  return {
    id: p.id,
    createdAt: p.createdAt.toISOString(),
    campaignId: p.campaignId,
    campaignName: p.campaign.name,
    identityType: p.identityType,
    recipient: maskIdentity(p.identityType, p.identity),
    amountFen: displayAmountFen(p),
    status: p.status,
    scene: p.scene,
    source: p.source,
    outBizNo: p.outBizNo,
    memo: p.memo,
    requestedByLabel: p.requestedByLabel,
  };
}

/** Rows in the history's order, read by keyset after `after` (the export's walk). */
export async function readPayoutRows(args: {
  where: Prisma.PayoutWhereInput;
  orderBy: Prisma.PayoutOrderByWithRelationInput[];
  skip?: number;
  take: number;
}): Promise<PayoutRowRecord[]> {
  return db.payout.findMany({ ...args, select: PAYOUT_ROW_SELECT });
}

/**
 * One page of the payout history, filtered, sorted and paged on the server. The count is bounded: it stops
 * after PAYOUT_COUNT_BOUND rows (or the end of the page asked for, if further), and a larger result is reported
 * as at least that many (`totalIsEstimate`). A page past the end of a smaller result shows the last page.
 */
export async function listPayouts(
  actor: Actor,
  query: PayoutListQuery,
  scope?: PayoutScope,
): Promise<PayoutListPage> {
  assertCan(actor, "payout:read");
  const where = payoutWhere(query, scope);
  const orderBy = payoutOrder(query.sort);
  const window = skipTake(query);
  const bound = Math.max(PAYOUT_COUNT_BOUND, window.skip + window.take);
  const [rows, counted] = await Promise.all([
    readPayoutRows({ where, orderBy, ...window }),
    // Prisma counts with a LIMIT in a subquery: SELECT COUNT(*) FROM (SELECT … LIMIT bound + 1). Ordered by
    // time so that subquery follows the filters' (…, createdAt) indexes instead of walking the primary key.
    db.payout.count({ where, take: bound + 1, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  ]);
  const totalIsEstimate = counted > bound;
  const total = totalIsEstimate ? bound : counted;
  if (rows.length > 0 || query.page === 1 || totalIsEstimate) {
    return { rows: rows.map(toPayoutRow), total, totalIsEstimate, page: query.page };
  }
  const page = lastPage(total, query.pageSize);
  if (total === 0) return { rows: [], total, totalIsEstimate, page };
  const last = await readPayoutRows({ where, orderBy, ...skipTake({ page, pageSize: query.pageSize }) });
  return { rows: last.map(toPayoutRow), total, totalIsEstimate, page };
}

/**
 * The filtered view's exact count and amount (awarded where known, held otherwise). Reads every matching row,
 * so the pages render it in its own Suspense boundary, never in the way of the table.
 */
export async function payoutTotals(
  actor: Actor,
  query: PayoutListQuery,
  scope?: PayoutScope,
): Promise<PayoutTotals> {
  assertCan(actor, "payout:read");
  const where = payoutWhere(query, scope);
  const [held, awarded] = await Promise.all([
    db.payout.aggregate({
      where: { AND: [where, { awardedFen: null }] },
      _count: { _all: true },
      _sum: { amountFen: true },
    }),
    db.payout.aggregate({
      where: { AND: [where, { awardedFen: { not: null } }] },
      _count: { _all: true },
      _sum: { awardedFen: true },
    }),
  ]);
  return {
    count: held._count._all + awarded._count._all,
    amountFen: (held._sum.amountFen ?? 0) + (awarded._sum.awardedFen ?? 0),
  };
}

const CAMPAIGN_OPTIONS_LIMIT = 500;

/**
 * Campaigns for the history's campaign filter, newest first (the newest 500; `selected`, the campaign the URL
 * names, is always among them so the filter shows what is applied).
 */
export async function listCampaignOptions(actor: Actor, selected?: string): Promise<PayoutCampaignOption[]> {
  assertCan(actor, "payout:read");
  const options = await db.campaign.findMany({
    select: { id: true, name: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: CAMPAIGN_OPTIONS_LIMIT,
  });
  if (selected && !options.some((o) => o.id === selected)) {
    const chosen = await db.campaign.findUnique({
      where: { id: selected },
      select: { id: true, name: true },
    });
    if (chosen) options.push(chosen);
  }
  return options;
}

/** Timeline events read for one payout: far more than its life produces (a few per attempt). */
const TIMELINE_LIMIT = 1000;

/**
 * A payout with its campaign's name, its history from the audit log (oldest first) and its attempts. The full
 * recipient only for readers who request or approve payouts; Alipay's raw replies only for `payout:raw` (they
 * are not even read for anyone else).
 */
export async function getPayoutDetail(actor: Actor, payoutId: string): Promise<PayoutDetailView> {
  assertCan(actor, "payout:read");
  const rawIncluded = actorCan(actor, "payout:raw");
  const [payout, events] = await Promise.all([
    db.payout.findUnique({
      where: { id: payoutId },
      include: {
        campaign: { select: { name: true } },
        attempts: {
          orderBy: { number: "asc" },
          select: {
            id: true,
            number: true,
            startedAt: true,
            latencyMs: true,
            outcome: true,
            code: true,
            subCode: true,
            subMsg: true,
            reason: true,
            traceId: true,
            awardedFen: true,
            repeat: true,
            rawReply: rawIncluded,
          },
        },
      },
    }),
    db.auditEvent.findMany({
      where: { entityType: "Payout", entityId: payoutId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, createdAt: true, action: true, actorType: true, actorLabel: true, ip: true },
      take: TIMELINE_LIMIT,
    }),
  ]);
  if (!payout) throw domainError("NOT_FOUND", "payouts.errors.notFound");
  const fullRecipient = actorCan(actor, "payout:request") || actorCan(actor, "payout:approve");
  const decided = (action: string) => action === "payout.approve" || action === "payout.reject";
  return {
    id: payout.id,
    createdAt: payout.createdAt.toISOString(),
    updatedAt: payout.updatedAt.toISOString(),
    campaignId: payout.campaignId,
    campaignName: payout.campaign.name,
    outBizNo: payout.outBizNo,
    identityType: payout.identityType,
    recipient: fullRecipient ? payout.identity : maskIdentity(payout.identityType, payout.identity),
    recipientMasked: !fullRecipient,
    heldFen: payout.amountFen,
    awardedFen: payout.awardedFen,
    amountFen: displayAmountFen(payout),
    scene: payout.scene,
    source: payout.source,
    memo: payout.memo,
    status: payout.status,
    requestedByType: payout.requestedByType,
    requestedByLabel: payout.requestedByLabel,
    requestIp: payout.requestIp,
    autoApproved: payout.autoApproved,
    decidedByLabel: payout.decidedByLabel,
    decidedAt: payout.decidedAt?.toISOString() ?? null,
    decisionReason: payout.decisionReason,
    failureCode: payout.failureCode,
    failureMessage: payout.failureMessage,
    failureRetryable: payout.failureRetryable,
    attentionReason: payout.attentionReason,
    attemptCount: payout.attemptCount,
    nextAttemptAt: payout.nextAttemptAt?.toISOString() ?? null,
    alipayReference: payout.alipayReference,
    succeededAt: payout.succeededAt?.toISOString() ?? null,
    timeline: events.map((e) => ({
      id: e.id,
      createdAt: e.createdAt.toISOString(),
      action: e.action,
      actorType: e.actorType,
      actorLabel: e.actorLabel,
      source: e.action === "payout.request" ? payout.source : null,
      ip: e.action === "payout.request" ? e.ip : null,
      reason: decided(e.action) ? payout.decisionReason : null,
    })),
    attempts: payout.attempts.map((a) => ({
      id: a.id,
      number: a.number,
      startedAt: a.startedAt.toISOString(),
      latencyMs: a.latencyMs,
      outcome: a.outcome,
      code: a.code,
      subCode: a.subCode,
      subMsg: a.subMsg,
      reason: a.reason,
      unknownReason: a.outcome === "UNKNOWN" ? unknownReasonOf(a.reason) : null,
      traceId: a.traceId,
      awardedFen: a.awardedFen,
      repeat: a.repeat,
      rawReply:
        rawIncluded && a.rawReply !== null && a.rawReply !== undefined
          ? JSON.stringify(a.rawReply, null, 2)
          : null,
    })),
    rawIncluded,
  };
}
