import "server-only";
import type { Campaign, CampaignStatus } from "@/generated/prisma/client";
import {
  createCashCampaign,
  getCashCampaignDetail,
  listCashCampaigns,
  setCashCampaignStatus,
  type CampaignDetail,
} from "@/lib/alipay/campaign";
import type { AlipayClient } from "@/lib/alipay/client";
import type { AlipayResult } from "@/lib/alipay/result";
import { actorId, assertCan, type Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import { DomainError, domainError } from "@/lib/errors";
import type { CampaignInput } from "@/lib/validation/campaigns";
import { buildFrequency } from "./frequency";
import { canTransition, statusFromAlipay } from "./status";

/**
 * Campaign lifecycle on the cash-campaign rail (DESIGN.md §3, REFERENCE.md §2). The pattern for every change
 * that involves Alipay: short transaction to record intent → Alipay call outside any transaction → short
 * transaction that records the result with a guarded update (WHERE status = <expected>). Every change writes its
 * audit event in the transaction that makes it.
 */

const PAY_URL_VALIDITY_MS = 24 * 60 * 60 * 1000;
/** An UNKNOWN create is declared "not created" after this many lookups spread over at least this long. */
const UNKNOWN_LOOKUPS_BEFORE_GIVING_UP = 3;
const UNKNOWN_MIN_AGE_MS = 2 * 60 * 1000;
const LIST_QUERY_PAGE_SIZE = 50;
const LIST_QUERY_MAX_PAGES = 20;

/** What the audit log keeps of a campaign's settings and state. */
function snapshot(c: Campaign) {
  return {
    name: c.name,
    prizeMessage: c.prizeMessage,
    prizeType: c.prizeType,
    rail: c.rail,
    status: c.status,
    budgetFen: c.budgetFen,
    packetCount: c.packetCount,
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    frequency: frequencyOf(c),
    merchantLink: c.merchantLink,
    defaultScene: c.defaultScene,
    autoApproveMaxFen: c.autoApproveMaxFen,
    autoApproveDailyCapFen: c.autoApproveDailyCapFen,
    crowdNo: c.crowdNo,
  };
}

export function frequencyOf(
  c: Pick<Campaign, "frequencyLifetime" | "frequencyPeriod" | "frequencyPeriodLimit">,
): string {
  return buildFrequency({
    lifetime: c.frequencyLifetime,
    period: c.frequencyPeriod,
    periodLimit: c.frequencyPeriodLimit,
  });
}

function requireUser(actor: Actor): string {
  const id = actorId(actor);
  if (!id) throw domainError("FORBIDDEN");
  return id;
}

async function load(id: string): Promise<Campaign> {
  const campaign = await db.campaign.findUnique({ where: { id } });
  if (!campaign) throw domainError("NOT_FOUND");
  return campaign;
}

/**
 * Moves a campaign from `from` to `to` (checked against the transition table) and writes the audit event, in
 * the caller's transaction. Throws CONFLICT when someone else changed the status first.
 */
async function transition(
  tx: Tx,
  actor: Actor,
  campaign: Campaign,
  to: CampaignStatus,
  action: string,
  data: Partial<Omit<Campaign, "id" | "status">> = {},
): Promise<Campaign> {
  if (!canTransition(campaign.status, to))
    throw domainError("CONFLICT", "campaigns.errors.notAllowedInStatus");
  const changed = await tx.campaign.updateMany({
    where: { id: campaign.id, status: campaign.status },
    data: { ...data, status: to },
  });
  if (changed.count !== 1) throw domainError("CONFLICT");
  const updated = await tx.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
  await recordAudit(tx, actor, {
    action,
    entityType: "Campaign",
    entityId: campaign.id,
    before: { status: campaign.status, alipayStatus: campaign.alipayStatus },
    after: { status: updated.status, alipayStatus: updated.alipayStatus, ...pickAuditFields(data) },
  });
  return updated;
}

function pickAuditFields(data: Partial<Campaign>) {
  const { crowdNo, failureCode, failureMessage } = data;
  return Object.fromEntries(
    Object.entries({ crowdNo, failureCode, failureMessage }).filter(([, v]) => v !== undefined),
  );
}

function alipayReason(result: Exclude<AlipayResult<unknown>, { kind: "ok" }>): string {
  return result.kind === "rejected" ? result.subMsg || result.subCode || result.code : result.reason;
}

/** Sends the create call for a campaign in CREATING and records what Alipay said. */
async function submitToAlipay(alipay: AlipayClient, actor: Actor, campaign: Campaign): Promise<Campaign> {
  const result = await createCashCampaign(alipay, {
    couponName: campaign.name,
    prizeMsg: campaign.prizeMessage,
    prizeType: campaign.prizeType === "FIXED" ? "fixed" : "random",
    totalFen: campaign.budgetFen,
    count: campaign.packetCount,
    start: campaign.startsAt ?? "now",
    end: campaign.endsAt,
    merchantLink: campaign.merchantLink ?? undefined,
    sendFrequency: frequencyOf(campaign),
  });
  return db.$transaction(async (tx) => {
    switch (result.kind) {
      case "ok":
        return transition(tx, actor, campaign, "AWAITING_FUNDING", "campaign.alipay_created", {
          crowdNo: result.data.crowdNo,
          originCrowdNo: result.data.originCrowdNo,
          payUrl: result.data.payUrl,
          payUrlExpiresAt: new Date(result.meta.at.getTime() + PAY_URL_VALIDITY_MS),
          alipayStatus: "CREATED",
          failureCode: null,
          failureMessage: null,
        });
      case "rejected":
        return transition(tx, actor, campaign, "FAILED", "campaign.alipay_rejected", {
          failureCode: result.subCode || result.code,
          failureMessage: result.subMsg || null,
        });
      case "unknown":
        // The campaign may exist at Alipay: it is looked up (list.query), never created a second time.
        return transition(tx, actor, campaign, "UNKNOWN", "campaign.alipay_unknown", {
          failureCode: result.reason,
          failureMessage: null,
          unknownLookups: 0,
        });
    }
  });
}

function campaignData(input: CampaignInput) {
  return {
    name: input.name,
    prizeMessage: input.prizeMessage,
    prizeType: input.prizeType,
    rail: input.rail,
    budgetFen: input.budgetFen,
    packetCount: input.packetCount,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    frequencyLifetime: input.frequencyLifetime,
    frequencyPeriod: input.frequencyPeriod,
    frequencyPeriodLimit: input.frequencyPeriodLimit,
    merchantLink: input.merchantLink,
    defaultScene: input.defaultScene,
    autoApproveMaxFen: input.autoApproveMaxFen,
    autoApproveDailyCapFen: input.autoApproveDailyCapFen,
  };
}

/** Records the campaign, then creates it at Alipay; the result is AWAITING_FUNDING, FAILED or UNKNOWN. */
export async function createCampaign(
  alipay: AlipayClient,
  actor: Actor,
  input: CampaignInput,
): Promise<Campaign> {
  assertCan(actor, "campaign:create");
  const createdById = requireUser(actor);
  const campaign = await db.$transaction(async (tx) => {
    const created = await tx.campaign.create({
      data: { ...campaignData(input), status: "CREATING", createAttemptedAt: new Date(), createdById },
    });
    await recordAudit(tx, actor, {
      action: "campaign.create",
      entityType: "Campaign",
      entityId: created.id,
      after: snapshot(created),
    });
    return created;
  });
  return submitToAlipay(alipay, actor, campaign);
}

/** A FAILED campaign, corrected and sent to Alipay again. */
export async function resubmitCampaign(
  alipay: AlipayClient,
  actor: Actor,
  campaignId: string,
  input: CampaignInput,
): Promise<Campaign> {
  assertCan(actor, "campaign:create");
  const campaign = await db.$transaction(async (tx) => {
    const before = await tx.campaign.findUnique({ where: { id: campaignId } });
    if (!before) throw domainError("NOT_FOUND");
    if (before.status !== "FAILED") throw domainError("CONFLICT", "campaigns.errors.notAllowedInStatus");
    const changed = await tx.campaign.updateMany({
      where: { id: campaignId, status: "FAILED" },
      data: {
        ...campaignData(input),
        status: "CREATING",
        createAttemptedAt: new Date(),
        failureCode: null,
        failureMessage: null,
      },
    });
    if (changed.count !== 1) throw domainError("CONFLICT");
    const after = await tx.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    await recordAudit(tx, actor, {
      action: "campaign.resubmit",
      entityType: "Campaign",
      entityId: campaignId,
      before: snapshot(before),
      after: snapshot(after),
    });
    return after;
  });
  return submitToAlipay(alipay, actor, campaign);
}

/** Stores Alipay's view of the campaign (status, send_amount) and follows its status. */
async function applyDetail(actor: Actor, campaign: Campaign, detail: CampaignDetail): Promise<Campaign> {
  return db.$transaction(async (tx) => {
    const next = statusFromAlipay(campaign.status, detail.status);
    const figures = {
      alipayStatus: detail.status,
      alipaySentFen: detail.sentFen,
      alipayTotalFen: detail.totalFen,
      lastSyncedAt: new Date(),
      lastSyncError: null,
      // "Start when paid": once paid, Alipay reports the actual start, which the campaign window then shows.
      ...(campaign.startsAt === null && detail.start && detail.status !== "CREATED"
        ? { startsAt: detail.start }
        : {}),
    };
    const sentChanged = detail.sentFen !== campaign.alipaySentFen;
    let updated: Campaign;
    if (next) {
      updated = await transition(tx, actor, campaign, next, "campaign.status_sync", figures);
    } else {
      const changed = await tx.campaign.updateMany({
        where: { id: campaign.id, status: campaign.status },
        data: figures,
      });
      if (changed.count !== 1) return load(campaign.id); // changed meanwhile; the next sync catches up
      updated = await tx.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    }
    if (sentChanged || next) {
      await tx.campaignSnapshot.create({
        data: {
          campaignId: campaign.id,
          spentFen: updated.spentFen,
          reservedFen: updated.reservedFen,
          alipaySentFen: detail.sentFen,
        },
      });
    }
    return updated;
  });
}

/**
 * Brings one campaign up to date with Alipay (detail.query), or, for an UNKNOWN create, looks it up.
 * Never holds a transaction while calling Alipay. Returns the campaign as stored afterwards.
 */
export async function syncCampaign(
  alipay: AlipayClient,
  actor: Actor,
  campaignId: string,
): Promise<Campaign> {
  assertCan(actor, "campaign:fund");
  const campaign = await load(campaignId);
  if (campaign.status === "UNKNOWN") return resolveUnknownCampaign(alipay, actor, campaign);
  if (campaign.rail !== "CASH_CAMPAIGN" || !campaign.crowdNo) return campaign;
  const result = await getCashCampaignDetail(alipay, campaign.crowdNo);
  if (result.kind !== "ok") {
    await db.campaign.update({
      where: { id: campaign.id },
      data: {
        lastSyncError: `${result.kind}: ${alipayReason(result)}`.slice(0, 500),
        lastSyncedAt: new Date(),
      },
    });
    return load(campaign.id);
  }
  return applyDetail(actor, campaign, result.data);
}

function sameSecond(a: Date | null, b: Date | null): boolean {
  return a !== null && b !== null && Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000);
}

/**
 * A create whose outcome was unknown: finds the campaign at Alipay by its name with list.query, confirms it
 * with detail.query (budget, end and start time must match), and links it. If repeated lookups over a few
 * minutes find nothing, Alipay never created it: the campaign becomes FAILED and can be resubmitted.
 */
async function resolveUnknownCampaign(
  alipay: AlipayClient,
  actor: Actor,
  campaign: Campaign,
): Promise<Campaign> {
  const linked = new Set(
    (await db.campaign.findMany({ where: { crowdNo: { not: null } }, select: { crowdNo: true } })).map(
      (c) => c.crowdNo,
    ),
  );
  let lookupFailed = false;
  for (let page = 1; page <= LIST_QUERY_MAX_PAGES; page++) {
    const list = await listCashCampaigns(alipay, { status: "ALL", page, pageSize: LIST_QUERY_PAGE_SIZE });
    if (list.kind !== "ok") {
      lookupFailed = true;
      break;
    }
    for (const item of list.data.items) {
      if (item.couponName !== campaign.name || linked.has(item.crowdNo)) continue;
      const detail = await getCashCampaignDetail(alipay, item.crowdNo);
      if (detail.kind !== "ok") {
        lookupFailed = true;
        continue;
      }
      const d = detail.data;
      const matches =
        d.totalFen === campaign.budgetFen &&
        sameSecond(d.end, campaign.endsAt) &&
        (campaign.startsAt === null || sameSecond(d.start, campaign.startsAt));
      if (!matches) continue;
      const found = await db.$transaction((tx) =>
        transition(tx, actor, campaign, "AWAITING_FUNDING", "campaign.alipay_found", {
          crowdNo: d.crowdNo,
          originCrowdNo: d.originCrowdNo,
          // list/detail do not return the pay URL: pay it from Alipay's merchant back office if it is still unpaid.
          payUrl: null,
          failureCode: null,
          failureMessage: null,
        }),
      );
      return applyDetail(actor, found, d);
    }
    if (page * LIST_QUERY_PAGE_SIZE >= list.data.total) break;
  }

  const lookups = campaign.unknownLookups + 1;
  const oldEnough =
    Date.now() - (campaign.createAttemptedAt ?? campaign.createdAt).getTime() >= UNKNOWN_MIN_AGE_MS;
  if (!lookupFailed && lookups >= UNKNOWN_LOOKUPS_BEFORE_GIVING_UP && oldEnough) {
    return db.$transaction((tx) =>
      transition(tx, actor, campaign, "FAILED", "campaign.alipay_not_found", {
        failureCode: "NOT_CREATED",
        failureMessage: null,
        unknownLookups: lookups,
      }),
    );
  }
  await db.campaign.updateMany({
    where: { id: campaign.id, status: "UNKNOWN" },
    data: {
      unknownLookups: lookups,
      lastSyncedAt: new Date(),
      lastSyncError: lookupFailed ? "lookup incomplete" : null,
    },
  });
  return load(campaign.id);
}

/** Pause (READY → PAUSE) or resume (PAUSE → READY) at Alipay, then locally. */
export async function setCampaignPaused(
  alipay: AlipayClient,
  actor: Actor,
  campaignId: string,
  paused: boolean,
): Promise<Campaign> {
  assertCan(actor, "campaign:manage");
  const campaign = await load(campaignId);
  const from: CampaignStatus = paused ? "ACTIVE" : "PAUSED";
  if (campaign.status !== from || !campaign.crowdNo)
    throw domainError("CONFLICT", "campaigns.errors.notAllowedInStatus");
  const result = await setCashCampaignStatus(alipay, campaign.crowdNo, paused ? "PAUSE" : "READY");
  if (result.kind === "rejected") {
    throw new DomainError("CONFLICT", {
      key: "campaigns.errors.alipayRejected",
      params: { reason: alipayReason(result) },
    });
  }
  if (result.kind === "unknown") {
    // Whether Alipay switched it is not known: read its actual status instead of guessing.
    await syncCampaign(alipay, actor, campaignId).catch(() => undefined);
    throw new DomainError("CONFLICT", { key: "campaigns.errors.alipayUnknown" });
  }
  return db.$transaction((tx) =>
    transition(
      tx,
      actor,
      campaign,
      paused ? "PAUSED" : "ACTIVE",
      paused ? "campaign.pause" : "campaign.resume",
      {
        alipayStatus: paused ? "PAUSE" : "READY",
      },
    ),
  );
}

/**
 * Stops all sending locally. Alipay has no "close" for these campaigns: it ends them at their end time and
 * returns the unused budget; a running campaign is also paused at Alipay so nothing else can trigger it.
 * The sync then follows Alipay to CLOSED and SETTLED.
 */
export async function closeCampaign(
  alipay: AlipayClient,
  actor: Actor,
  campaignId: string,
): Promise<Campaign> {
  assertCan(actor, "campaign:manage");
  const campaign = await load(campaignId);
  if (!canTransition(campaign.status, "CLOSED"))
    throw domainError("CONFLICT", "campaigns.errors.notAllowedInStatus");
  let alipayStatus = campaign.alipayStatus;
  if (campaign.crowdNo && campaign.alipayStatus === "READY") {
    const paused = await setCashCampaignStatus(alipay, campaign.crowdNo, "PAUSE");
    if (paused.kind === "ok") alipayStatus = "PAUSE";
  }
  return db.$transaction((tx) =>
    transition(tx, actor, campaign, "CLOSED", "campaign.close", { closedAt: new Date(), alipayStatus }),
  );
}
