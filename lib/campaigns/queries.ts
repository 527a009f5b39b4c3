import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { actorCan, assertCan, type Actor } from "@/lib/auth/actor";
import { isFunded, spendableFen } from "@/lib/budget/figures";
import { db } from "@/lib/db";
import { domainError } from "@/lib/errors";
import { startOfDayInZone } from "@/lib/format/date";
import type { CampaignListQuery } from "@/lib/validation/campaigns";
import { findPage, type ListPage } from "@/lib/validation/list-query";
import { frequencyOf } from "./service";
import type { CampaignActivityEntry, CampaignDetailView, CampaignRow, DashboardSummary } from "./types";

const DAY_MS = 24 * 60 * 60 * 1000;

export async function listCampaigns(
  actor: Actor,
  query: CampaignListQuery,
  timeZone: string,
): Promise<ListPage<CampaignRow>> {
  assertCan(actor, "campaign:read");
  const from = query.from ? startOfDayInZone(query.from, timeZone) : null;
  const to = query.to ? startOfDayInZone(query.to, timeZone) : null;
  const where: Prisma.CampaignWhereInput = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.rail ? { rail: query.rail } : {}),
    ...(query.scene ? { defaultScene: query.scene } : {}),
    ...(from || to
      ? {
          createdAt: {
            ...(from ? { gte: from } : {}),
            ...(to ? { lt: new Date(to.getTime() + DAY_MS) } : {}),
          },
        }
      : {}),
    ...(query.q
      ? {
          OR: [
            { name: { contains: query.q, mode: "insensitive" } },
            { crowdNo: { contains: query.q } },
            { originCrowdNo: { contains: query.q } },
          ],
        }
      : {}),
  };
  const { rows, total, page } = await findPage(query, {
    rows: (window) =>
      db.campaign.findMany({
        where,
        orderBy: [{ [query.sort.field]: query.sort.direction }, { id: "asc" }],
        ...window,
      }),
    count: () => db.campaign.count({ where }),
  });
  return {
    total,
    page,
    rows: rows.map((c) => ({
      id: c.id,
      name: c.name,
      status: c.status,
      alipayStatus: c.alipayStatus,
      rail: c.rail,
      scene: c.defaultScene,
      budgetFen: c.budgetFen,
      reservedFen: c.reservedFen,
      spentFen: c.spentFen,
      availableFen: spendableFen(c),
      funded: isFunded(c),
      startsAt: c.startsAt?.toISOString() ?? null,
      endsAt: c.endsAt.toISOString(),
      createdAt: c.createdAt.toISOString(),
      crowdNo: c.crowdNo,
    })),
  };
}

export async function getCampaignDetail(actor: Actor, campaignId: string): Promise<CampaignDetailView> {
  assertCan(actor, "campaign:read");
  const campaign = await db.campaign.findUnique({
    where: { id: campaignId },
    include: { createdBy: { select: { name: true, email: true } } },
  });
  if (!campaign) throw domainError("NOT_FOUND");
  const [snapshots, payouts, audit] = await Promise.all([
    db.campaignSnapshot.findMany({ where: { campaignId }, orderBy: { at: "asc" }, take: 1000 }),
    db.payout.findMany({ where: { campaignId }, orderBy: { createdAt: "desc" }, take: 10 }),
    db.auditEvent.findMany({
      where: { entityType: "Campaign", entityId: campaignId },
      orderBy: { createdAt: "desc" },
      take: 50,
    }),
  ]);
  return {
    id: campaign.id,
    name: campaign.name,
    prizeMessage: campaign.prizeMessage,
    prizeType: campaign.prizeType,
    rail: campaign.rail,
    status: campaign.status,
    alipayStatus: campaign.alipayStatus,
    budgetFen: campaign.budgetFen,
    reservedFen: campaign.reservedFen,
    spentFen: campaign.spentFen,
    refundedFen: campaign.refundedFen,
    availableFen: spendableFen(campaign),
    funded: isFunded(campaign),
    packetCount: campaign.packetCount,
    sentCount: campaign.sentCount,
    alipaySentFen: campaign.alipaySentFen,
    startsAt: campaign.startsAt?.toISOString() ?? null,
    endsAt: campaign.endsAt.toISOString(),
    frequency: frequencyOf(campaign),
    frequencyLifetime: campaign.frequencyLifetime,
    frequencyPeriod: campaign.frequencyPeriod,
    frequencyPeriodLimit: campaign.frequencyPeriodLimit,
    merchantLink: campaign.merchantLink,
    defaultScene: campaign.defaultScene,
    autoApproveMaxFen: campaign.autoApproveMaxFen,
    autoApproveDailyCapFen: campaign.autoApproveDailyCapFen,
    crowdNo: campaign.crowdNo,
    originCrowdNo: campaign.originCrowdNo,
    payUrl: campaign.payUrl,
    payUrlExpiresAt: campaign.payUrlExpiresAt?.toISOString() ?? null,
    lastSyncedAt: campaign.lastSyncedAt?.toISOString() ?? null,
    lastSyncError: campaign.lastSyncError,
    failureCode: campaign.failureCode,
    failureMessage: campaign.failureMessage,
    budgetMismatchAt: campaign.budgetMismatchAt?.toISOString() ?? null,
    createdAt: campaign.createdAt.toISOString(),
    createdBy: campaign.createdBy.name || campaign.createdBy.email,
    snapshots: snapshots.map((s) => ({
      at: s.at.toISOString(),
      spentFen: s.spentFen,
      reservedFen: s.reservedFen,
      alipaySentFen: s.alipaySentFen,
    })),
    payouts: payouts.map((p) => ({
      id: p.id,
      outBizNo: p.outBizNo,
      identity: p.identity,
      amountFen: p.amountFen,
      status: p.status,
      createdAt: p.createdAt.toISOString(),
    })),
    // Who did what and when is campaign information; IPs and before/after snapshots are audit data.
    activity: audit.map((e): CampaignActivityEntry => ({
      id: e.id,
      createdAt: e.createdAt.toISOString(),
      actorType: e.actorType,
      actorLabel: e.actorLabel,
      action: e.action,
      details: actorCan(actor, "audit:read") ? { before: e.before, after: e.after, ip: e.ip } : null,
    })),
  };
}

/** The campaign a returning payer's `crowdNo` belongs to (Alipay's redirect to merchant_link). */
export async function findCampaignIdByCrowdNo(actor: Actor, crowdNo: string): Promise<string | null> {
  assertCan(actor, "campaign:read");
  const campaign = await db.campaign.findUnique({ where: { crowdNo }, select: { id: true } });
  return campaign?.id ?? null;
}

const LOW_BUDGET_SHARE = 0.1;
const ENDING_SOON_MS = 7 * DAY_MS;

/** Figures for the dashboard: budgets of running campaigns, spending today and this week, things to look at. */
export async function dashboardSummary(
  actor: Actor,
  timeZone: string,
  now = new Date(),
): Promise<DashboardSummary> {
  assertCan(actor, "dashboard:read");
  const running = await db.campaign.findMany({
    where: { status: { in: ["ACTIVE", "PAUSED"] } },
    orderBy: { endsAt: "asc" },
  });
  const today = startOfDayInZone(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
      now,
    ),
    timeZone,
  ) as Date;
  // Weeks start on Monday, as they do on Chinese calendars.
  const weekday = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short" }).format(now);
  const daysSinceMonday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(weekday);
  const weekStart = new Date(today.getTime() - Math.max(0, daysSinceMonday) * DAY_MS);
  const [spentToday, spentWeek, pendingApprovals, recentFailures, awaitingFunding] = await Promise.all([
    db.payout.aggregate({
      where: { status: "SUCCEEDED", succeededAt: { gte: today } },
      _sum: { amountFen: true },
    }),
    db.payout.aggregate({
      where: { status: "SUCCEEDED", succeededAt: { gte: weekStart } },
      _sum: { amountFen: true },
    }),
    db.payout.count({ where: { status: "PENDING_APPROVAL" } }),
    db.payout.count({
      where: { status: "FAILED", updatedAt: { gte: new Date(now.getTime() - 7 * DAY_MS) } },
    }),
    db.campaign.count({ where: { status: "AWAITING_FUNDING" } }),
  ]);
  const active = running.map((c) => ({
    id: c.id,
    name: c.name,
    status: c.status,
    budgetFen: c.budgetFen,
    availableFen: spendableFen(c),
    endsAt: c.endsAt.toISOString(),
  }));
  return {
    activeCount: active.length,
    budgetFen: active.reduce((sum, c) => sum + c.budgetFen, 0),
    availableFen: active.reduce((sum, c) => sum + c.availableFen, 0),
    spentTodayFen: spentToday._sum.amountFen ?? 0,
    spentWeekFen: spentWeek._sum.amountFen ?? 0,
    endingSoon: active
      .filter((c) => new Date(c.endsAt).getTime() - now.getTime() <= ENDING_SOON_MS)
      .slice(0, 5),
    lowBudget: active.filter((c) => c.availableFen < c.budgetFen * LOW_BUDGET_SHARE).slice(0, 5),
    pendingApprovals,
    recentFailures,
    awaitingFunding,
  };
}
