import "server-only";
import { alipay } from "@/lib/alipay";
import { decodeCursor, encodeCursor } from "@/lib/api/cursor";
import { toApiCampaign, type ApiCampaign } from "@/lib/api/resources";
import { ApiError } from "@/lib/api/route";
import type { ApiCampaignList, ApiCampaignListQuery } from "@/lib/api/schemas/campaigns";
import { assertCampaignInScope, assertCan, type Actor } from "@/lib/auth/actor";
import {
  assertMayCreateCampaigns,
  closeCampaign,
  createCampaign,
  setCampaignPaused,
  syncCampaign,
} from "@/lib/campaigns/service";
import { db } from "@/lib/db";
import { domainError, fieldError } from "@/lib/errors";
import type { CampaignInput } from "@/lib/validation/campaigns";
import { afterTimeKey } from "@/lib/validation/keyset";

/**
 * The machine API's campaign services: reads, and changes through the console's own services
 * (lib/campaigns/service.ts) with the process's Alipay client, exactly as the console's actions call them.
 * Every function checks the key's campaign scope itself, whatever its route did first, and so do the
 * campaign services.
 */

/**
 * GET /api/v1/campaigns: newest first, `limit` at a time, by keyset on (createdAt, id) — no OFFSET, no COUNT.
 * A key limited to some campaigns lists only those (a handful: one condition on the primary key).
 */
export async function listApiCampaigns(actor: Actor, query: ApiCampaignListQuery): Promise<ApiCampaignList> {
  assertCan(actor, "campaign:read");
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  if (query.cursor && !after) throw fieldError("VALIDATION", "cursor", "api.validation.cursor");
  const scope = actor.type === "API_KEY" ? actor.campaignIds : null;
  const rows = await db.campaign.findMany({
    where: {
      AND: [
        scope ? { id: { in: [...scope] } } : {},
        query.status ? { status: query.status } : {},
        after ? afterTimeKey(after, "desc") : {},
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    // One more than asked tells whether a next page exists.
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(toApiCampaign),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}

/** GET /api/v1/campaigns/{campaignId}: one outside the key's campaigns is answered as one that does not exist. */
export async function getApiCampaign(actor: Actor, campaignId: string): Promise<ApiCampaign> {
  assertCan(actor, "campaign:read");
  assertCampaignInScope(actor, campaignId);
  const campaign = await db.campaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw domainError("NOT_FOUND");
  return toApiCampaign(campaign);
}

/**
 * POST /api/v1/campaigns: the console's createCampaign. Alipay's refusal is an ALIPAY_UNAVAILABLE naming
 * Alipay's reason (the campaign stays recorded as FAILED, to be corrected and resubmitted in the console, where
 * a person sees it); an unknown outcome returns the UNKNOWN campaign, which the console looks up at Alipay.
 */
export async function createApiCampaign(actor: Actor, input: CampaignInput): Promise<ApiCampaign> {
  assertMayCreateCampaigns(actor);
  const campaign = await createCampaign(alipay(), actor, input);
  if (campaign.status === "FAILED") {
    throw new ApiError(
      "ALIPAY_UNAVAILABLE",
      `Alipay refused the campaign: ${campaign.failureMessage ?? campaign.failureCode ?? "no reason given"}. ` +
        `It is recorded as campaign ${campaign.id} (FAILED) and can be corrected and resubmitted in the console.`,
    );
  }
  return toApiCampaign(campaign);
}

/** What POST /api/v1/campaigns/{campaignId}/<change> does: the console's button of the same name. */
export type CampaignChange = "sync" | "pause" | "resume" | "close";

/** Applies a change (asking Alipay as the console does) and returns the campaign as stored afterwards. */
export async function changeApiCampaign(
  actor: Actor,
  campaignId: string,
  change: CampaignChange,
): Promise<ApiCampaign> {
  assertCampaignInScope(actor, campaignId);
  const client = alipay();
  switch (change) {
    case "sync":
      return toApiCampaign(await syncCampaign(client, actor, campaignId));
    case "pause":
    case "resume":
      return toApiCampaign(await setCampaignPaused(client, actor, campaignId, change === "pause"));
    case "close":
      return toApiCampaign(await closeCampaign(client, actor, campaignId));
  }
}
