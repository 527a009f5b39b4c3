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
import { actorLabel, assertCampaignInScope, assertCan, systemActor, type Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/service";
import { availableFen, isFunded } from "@/lib/budget/figures";
import { recordRefund } from "@/lib/budget/service";
import { db, type DbOrTx, type Tx } from "@/lib/db";
import { DomainError, domainError } from "@/lib/errors";
import { refundOnClose } from "@/lib/fund-coupon/refunds";
import { log } from "@/lib/log";
import { crashPoint } from "@/lib/runtime/crash-point";
import type { CampaignInput } from "@/lib/validation/campaigns";
import { buildFrequency } from "./frequency";
import { canTransition, statusFromAlipay } from "./status";

/**
 * Campaign lifecycle on the cash-campaign rail (DESIGN.md §3, REFERENCE.md §2). The pattern for every change
 * that involves Alipay: short transaction to record intent → Alipay call outside any transaction → short
 * transaction that records the result with a guarded update (WHERE status = <expected>) → a sweeper for rows
 * a dead process left in flight (`sweepStaleCreates`). Every change writes its audit event in the transaction
 * that makes it. Inside a transaction only its own client (`tx`) is used: on the embedded database a query on
 * the outer client would wait for the transaction that is waiting for it.
 */

const PAY_URL_VALIDITY_MS = 24 * 60 * 60 * 1000;
/** An UNKNOWN create is declared "not created" after this many lookups spread over at least this long. */
const UNKNOWN_LOOKUPS_BEFORE_GIVING_UP = 3;
const UNKNOWN_MIN_AGE_MS = 2 * 60 * 1000;
const LIST_QUERY_PAGE_SIZE = 50;
const LIST_QUERY_MAX_PAGES = 20;

/** What Alipay reports or decides (creation, status changes, settlement) is credited to Alipay, not to a person. */
const ALIPAY: Actor = systemActor("alipay");

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

async function load(client: DbOrTx, id: string): Promise<Campaign> {
  const campaign = await client.campaign.findUnique({ where: { id } });
  if (!campaign) throw domainError("NOT_FOUND");
  return campaign;
}

type CampaignChange = Partial<Omit<Campaign, "id" | "status">>;

/**
 * Moves a campaign from its status as read (`campaign.status`) to `to`, checked against the transition table,
 * with a guarded update, and writes the audit event, in the caller's transaction. Returns null (changing
 * nothing) when someone else changed the status first.
 */
async function tryTransition(
  tx: Tx,
  actor: Actor,
  campaign: Campaign,
  to: CampaignStatus,
  action: string,
  data: CampaignChange = {},
): Promise<Campaign | null> {
  if (!canTransition(campaign.status, to))
    throw domainError("CONFLICT", "campaigns.errors.notAllowedInStatus");
  const changed = await tx.campaign.updateMany({
    where: { id: campaign.id, status: campaign.status },
    data: { ...data, status: to },
  });
  if (changed.count !== 1) return null;
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

/** `tryTransition` for a person's request: a concurrent change is a CONFLICT they are told about. */
async function transition(
  tx: Tx,
  actor: Actor,
  campaign: Campaign,
  to: CampaignStatus,
  action: string,
  data: CampaignChange = {},
): Promise<Campaign> {
  const updated = await tryTransition(tx, actor, campaign, to, action, data);
  if (!updated) throw domainError("CONFLICT");
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
async function submitToAlipay(alipay: AlipayClient, campaign: Campaign): Promise<Campaign> {
  crashPoint("campaign.create.before-alipay");
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
  crashPoint("campaign.create.after-alipay");
  return db.$transaction(async (tx) => {
    switch (result.kind) {
      case "ok":
        return transition(tx, ALIPAY, campaign, "AWAITING_FUNDING", "campaign.alipay_created", {
          crowdNo: result.data.crowdNo,
          originCrowdNo: result.data.originCrowdNo,
          payUrl: result.data.payUrl,
          payUrlExpiresAt: new Date(result.meta.at.getTime() + PAY_URL_VALIDITY_MS),
          alipayStatus: "CREATED",
          failureCode: null,
          failureMessage: null,
        });
      case "rejected":
        return transition(tx, ALIPAY, campaign, "FAILED", "campaign.alipay_rejected", {
          failureCode: result.subCode || result.code,
          failureMessage: result.subMsg || null,
        });
      case "unknown":
        // The campaign may exist at Alipay: it is looked up (list.query), never created a second time.
        return transition(tx, ALIPAY, campaign, "UNKNOWN", "campaign.alipay_unknown", {
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
    maxPacketFen: input.maxPacketFen,
    dailyAmountPerUserFen: input.dailyAmountPerUserFen,
  };
}

/**
 * Where a new campaign starts. Only the cash campaign is created at Alipay; a fund-coupon campaign waits for its
 * first paid order (its budget is what its orders bring), and a transfer campaign pays from the merchant balance
 * at once (its budget is the console's own limit).
 */
function initialState(input: CampaignInput) {
  switch (input.rail) {
    case "CASH_CAMPAIGN":
      return { status: "CREATING" as const, createAttemptedAt: new Date() };
    case "FUND_COUPON":
      return { status: "AWAITING_FUNDING" as const, budgetFen: 0, packetCount: 0 };
    case "TRANSFER":
      return { status: "ACTIVE" as const, packetCount: 0 };
  }
}

/**
 * People, and API keys for every campaign, create campaigns; a background job never does (it would spend a
 * budget in nobody's name). A key limited to a list of campaigns may not either: the new campaign would be
 * outside its list (it could not even read it back), and adding it to the list would let a key widen its own
 * scope.
 */
export function assertMayCreateCampaigns(actor: Actor): void {
  assertCan(actor, "campaign:create");
  if (actor.type === "SYSTEM") throw domainError("FORBIDDEN");
  if (actor.type === "API_KEY" && actor.campaignIds !== null)
    throw domainError("FORBIDDEN", "api.errors.scopedKeyCannotCreate");
}

/**
 * Records the campaign; a cash campaign is then created at Alipay (AWAITING_FUNDING, FAILED or UNKNOWN), the
 * other rails need no call (initialState).
 */
export async function createCampaign(
  alipay: AlipayClient,
  actor: Actor,
  input: CampaignInput,
): Promise<Campaign> {
  assertMayCreateCampaigns(actor);
  // A person, or an API key acting for the company's backend (which has no user row); never a background job.
  if (actor.type === "SYSTEM") throw domainError("FORBIDDEN");
  const createdById = actor.type === "USER" ? actor.userId : null;
  const campaign = await db.$transaction(async (tx) => {
    const created = await tx.campaign.create({
      data: {
        ...campaignData(input),
        ...initialState(input),
        createdById,
        createdByLabel: actorLabel(actor),
      },
    });
    await recordAudit(tx, actor, {
      action: "campaign.create",
      entityType: "Campaign",
      entityId: created.id,
      after: snapshot(created),
    });
    return created;
  });
  return campaign.status === "CREATING" ? submitToAlipay(alipay, campaign) : campaign;
}

/** A FAILED campaign, corrected and sent to Alipay again. */
export async function resubmitCampaign(
  alipay: AlipayClient,
  actor: Actor,
  campaignId: string,
  input: CampaignInput,
): Promise<Campaign> {
  assertMayCreateCampaigns(actor);
  assertCampaignInScope(actor, campaignId);
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
  return submitToAlipay(alipay, campaign);
}

/**
 * Stores Alipay's view of the campaign (status, send_amount) and follows its status; when Alipay has settled a
 * paid campaign, the unused budget it returned is recorded as a refund. `campaign` is the row as read before
 * asking Alipay: if it changed meanwhile, nothing is written and the current row is returned (the next sync
 * catches up).
 */
export async function applyCampaignDetail(campaign: Campaign, detail: CampaignDetail): Promise<Campaign> {
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
    let updated: Campaign | null;
    if (next) {
      updated = await tryTransition(tx, ALIPAY, campaign, next, "campaign.status_sync", figures);
      if (updated && next === "SETTLED") updated = await recordSettlementRefund(tx, updated, detail);
    } else {
      const changed = await tx.campaign.updateMany({
        where: { id: campaign.id, status: campaign.status },
        data: figures,
      });
      updated =
        changed.count === 1 ? await tx.campaign.findUniqueOrThrow({ where: { id: campaign.id } }) : null;
    }
    // Changed meanwhile (paused, closed, synced by someone else): keep what is there; the next sync catches up.
    if (!updated) return load(tx, campaign.id);
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
 * Alipay returns what a paid campaign did not send (total_amount − send_amount) when it settles: recorded as a
 * refund, so the budget shows where every yuan went. Never more than is available (a payout still held then
 * is not refunded twice; the consistency check flags any disagreement).
 */
async function recordSettlementRefund(tx: Tx, campaign: Campaign, detail: CampaignDetail): Promise<Campaign> {
  if (!isFunded(campaign)) return campaign;
  const returned = Math.min(detail.totalFen - detail.sentFen, availableFen(campaign));
  if (returned <= 0 || !(await recordRefund(tx, campaign.id, returned, "SETTLEMENT"))) return campaign;
  await recordAudit(tx, ALIPAY, {
    action: "campaign.refund",
    entityType: "Campaign",
    entityId: campaign.id,
    after: { kind: "SETTLEMENT", amountFen: returned },
  });
  return load(tx, campaign.id);
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
  // Defence in depth: an API key's route checked its campaign scope already.
  assertCampaignInScope(actor, campaignId);
  const campaign = await load(db, campaignId);
  if (campaign.status === "UNKNOWN") return resolveUnknownCampaign(alipay, campaign);
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
    return load(db, campaign.id);
  }
  return applyCampaignDetail(campaign, result.data);
}

function sameSecond(a: Date | null, b: Date | null): boolean {
  return a !== null && b !== null && Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000);
}

/**
 * A create whose outcome was unknown: finds the campaign at Alipay by its name with list.query, confirms it
 * with detail.query (budget, end and start time must match), and links it. If repeated lookups over a few
 * minutes find nothing, Alipay never created it: the campaign becomes FAILED and can be resubmitted.
 */
async function resolveUnknownCampaign(alipay: AlipayClient, campaign: Campaign): Promise<Campaign> {
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
        tryTransition(tx, ALIPAY, campaign, "AWAITING_FUNDING", "campaign.alipay_found", {
          crowdNo: d.crowdNo,
          originCrowdNo: d.originCrowdNo,
          // list/detail do not return the pay URL: pay it from Alipay's merchant back office if it is still unpaid.
          payUrl: null,
          failureCode: null,
          failureMessage: null,
        }),
      );
      return found ? applyCampaignDetail(found, d) : load(db, campaign.id);
    }
    if (page * LIST_QUERY_PAGE_SIZE >= list.data.total) break;
  }

  const lookups = campaign.unknownLookups + 1;
  const oldEnough =
    Date.now() - (campaign.createAttemptedAt ?? campaign.createdAt).getTime() >= UNKNOWN_MIN_AGE_MS;
  if (!lookupFailed && lookups >= UNKNOWN_LOOKUPS_BEFORE_GIVING_UP && oldEnough) {
    const failed = await db.$transaction((tx) =>
      tryTransition(tx, ALIPAY, campaign, "FAILED", "campaign.alipay_not_found", {
        failureCode: "NOT_CREATED",
        failureMessage: null,
        unknownLookups: lookups,
      }),
    );
    return failed ?? load(db, campaign.id);
  }
  await db.campaign.updateMany({
    where: { id: campaign.id, status: "UNKNOWN" },
    data: {
      unknownLookups: lookups,
      lastSyncedAt: new Date(),
      lastSyncError: lookupFailed ? "lookup incomplete" : null,
    },
  });
  return load(db, campaign.id);
}

/** Pause (READY → PAUSE) or resume (PAUSE → READY) at Alipay, then locally (the other rails: locally only). */
export async function setCampaignPaused(
  alipay: AlipayClient,
  actor: Actor,
  campaignId: string,
  paused: boolean,
): Promise<Campaign> {
  assertCan(actor, "campaign:manage");
  // Defence in depth: an API key's route checked its campaign scope already.
  assertCampaignInScope(actor, campaignId);
  const campaign = await load(db, campaignId);
  const from: CampaignStatus = paused ? "ACTIVE" : "PAUSED";
  if (campaign.status !== from) throw domainError("CONFLICT", "campaigns.errors.notAllowedInStatus");
  const to = paused ? "PAUSED" : "ACTIVE";
  const action = paused ? "campaign.pause" : "campaign.resume";
  // Only Alipay's cash campaign has a status at Alipay; the other rails' payouts stop and start here alone.
  if (campaign.rail !== "CASH_CAMPAIGN")
    return db.$transaction((tx) => transition(tx, actor, campaign, to, action));
  if (!campaign.crowdNo) throw domainError("CONFLICT", "campaigns.errors.notAllowedInStatus");
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
    transition(tx, actor, campaign, to, action, {
      alipayStatus: paused ? "PAUSE" : "READY",
    }),
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
  // Defence in depth: an API key's route checked its campaign scope already.
  assertCampaignInScope(actor, campaignId);
  const campaign = await load(db, campaignId);
  if (!canTransition(campaign.status, "CLOSED"))
    throw domainError("CONFLICT", "campaigns.errors.notAllowedInStatus");
  let alipayStatus = campaign.alipayStatus;
  // Only a cash campaign is paused at Alipay first; the other rails stop sending here alone.
  if (campaign.rail === "CASH_CAMPAIGN" && campaign.crowdNo && campaign.alipayStatus === "READY") {
    const paused = await setCashCampaignStatus(alipay, campaign.crowdNo, "PAUSE");
    if (paused.kind === "ok") alipayStatus = "PAUSE";
  }
  const closed = await db.$transaction((tx) =>
    transition(tx, actor, campaign, "CLOSED", "campaign.close", { closedAt: new Date(), alipayStatus }),
  );
  if (closed.rail !== "FUND_COUPON") return closed;
  // A fund-coupon campaign's unused money sits in its orders at Alipay: returned now, after the close committed
  // (no call inside its transaction). A failure leaves it to the in-flight sweep, which returns it later.
  await refundOnClose(alipay, closed.id).catch((error: unknown) =>
    log.error("fund_coupon.refund_on_close", { campaignId: closed.id, error: (error as Error).message }),
  );
  return load(db, closed.id);
}

/** A create call takes at most the SDK's timeout (a few seconds); older CREATING rows were left by a dead process. */
export const CREATE_STALE_AFTER_MS = 2 * 60 * 1000;
const SWEEP_BATCH = 50;

/**
 * The sweeper for creates left in flight. A process that dies between recording the intent and recording
 * Alipay's answer (before or after sending the create call), or whose result write fails, leaves the campaign
 * in CREATING, which no person can act on. After `staleAfterMs` such a campaign becomes UNKNOWN and is resolved
 * by the same lookup as a create that timed out: found at Alipay and linked, or declared never created.
 */
export async function sweepStaleCreates(
  alipay: AlipayClient,
  options: { staleAfterMs?: number; now?: Date } = {},
): Promise<{ swept: number }> {
  const cutoff = new Date(
    (options.now ?? new Date()).getTime() - (options.staleAfterMs ?? CREATE_STALE_AFTER_MS),
  );
  const stale = await db.campaign.findMany({
    where: { status: "CREATING", createAttemptedAt: { lte: cutoff } },
    orderBy: { createAttemptedAt: "asc" },
    take: SWEEP_BATCH,
  });
  const sweeper = systemActor("in-flight-sweeper");
  for (const campaign of stale) {
    const unknown = await db.$transaction((tx) =>
      tryTransition(tx, sweeper, campaign, "UNKNOWN", "campaign.create_interrupted", {
        failureCode: "interrupted",
        failureMessage: null,
        unknownLookups: 0,
      }),
    );
    if (unknown) await resolveUnknownCampaign(alipay, unknown);
  }
  return { swept: stale.length };
}
