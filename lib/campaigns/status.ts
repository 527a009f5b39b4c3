/**
 * Campaign status rules: which local transitions exist, what Alipay's camp_status means locally, and which
 * actions each status allows. Pure; every status change in the service is a guarded update along this table.
 */
import { CAMPAIGN_STATUSES, type CampaignRail, type CampaignStatus } from "@/lib/enums";
import { ACTION_PERMISSIONS, type Permission } from "@/lib/auth/permissions";

export { CAMPAIGN_STATUSES };

export const TRANSITIONS: Readonly<Record<CampaignStatus, readonly CampaignStatus[]>> = {
  DRAFT: ["CREATING"],
  CREATING: ["AWAITING_FUNDING", "FAILED", "UNKNOWN"],
  // Looked up with list.query: found (in whatever state it has reached) or known not to exist.
  UNKNOWN: ["AWAITING_FUNDING", "ACTIVE", "PAUSED", "CLOSED", "SETTLED", "FAILED"],
  FAILED: ["CREATING"],
  AWAITING_FUNDING: ["ACTIVE", "PAUSED", "CLOSED", "SETTLED"],
  ACTIVE: ["PAUSED", "CLOSED", "SETTLED"],
  PAUSED: ["ACTIVE", "CLOSED", "SETTLED"],
  CLOSED: ["SETTLED"],
  SETTLED: [],
};

export function canTransition(from: CampaignStatus, to: CampaignStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * The local status that Alipay's camp_status implies, given the local one. A campaign closed locally stays
 * CLOSED until Alipay settles it (Alipay itself ends it only at its end time). Returns null for "no change".
 */
export function statusFromAlipay(local: CampaignStatus, alipayStatus: string): CampaignStatus | null {
  const implied: CampaignStatus | null =
    alipayStatus === "CREATED"
      ? "AWAITING_FUNDING"
      : alipayStatus === "PAID" || alipayStatus === "READY"
        ? "ACTIVE"
        : alipayStatus === "PAUSE"
          ? "PAUSED"
          : alipayStatus === "CLOSED"
            ? "CLOSED"
            : alipayStatus === "SETTLED" || alipayStatus === "SETTLE"
              ? "SETTLED"
              : null;
  if (!implied || implied === local) return null;
  if (local === "CLOSED" && implied !== "SETTLED") return null;
  return canTransition(local, implied) ? implied : null;
}

/** Statuses the background sync keeps up to date with Alipay. */
export const SYNCED_STATUSES: readonly CampaignStatus[] = [
  "AWAITING_FUNDING",
  "ACTIVE",
  "PAUSED",
  "CLOSED",
  "UNKNOWN",
];

export type CampaignAction = "pay" | "refresh" | "pause" | "resume" | "close" | "cancel" | "resubmit";

/** The permission each action needs: the one its server action is declared with (ACTION_PERMISSIONS). */
export const ACTION_PERMISSION: Readonly<Record<CampaignAction, Permission>> = {
  pay: ACTION_PERMISSIONS.refreshCampaign,
  refresh: ACTION_PERMISSIONS.refreshCampaign,
  pause: ACTION_PERMISSIONS.pauseCampaign,
  resume: ACTION_PERMISSIONS.resumeCampaign,
  close: ACTION_PERMISSIONS.closeCampaign,
  cancel: ACTION_PERMISSIONS.closeCampaign,
  resubmit: ACTION_PERMISSIONS.resubmitCampaign,
};

/**
 * What can be done to a campaign in a status (the UI shows these; the server checks the same table). Before
 * its budget is paid, ending a campaign is "cancel": no money is involved and nothing will be refunded.
 */
export function allowedActions(status: CampaignStatus, rail: CampaignRail): CampaignAction[] {
  // Paying at Alipay's campaign cashier and syncing with Alipay are the cash campaign's; the other rails are
  // funded (or not) on their own page and have no Alipay campaign to look up.
  if (rail !== "CASH_CAMPAIGN")
    return campaignActions(status).filter((action) => action !== "pay" && action !== "refresh");
  return campaignActions(status);
}

function campaignActions(status: CampaignStatus): CampaignAction[] {
  switch (status) {
    case "AWAITING_FUNDING":
      return ["pay", "refresh", "cancel"];
    case "ACTIVE":
      return ["refresh", "pause", "close"];
    case "PAUSED":
      return ["refresh", "resume", "close"];
    case "CLOSED":
    case "UNKNOWN":
      return ["refresh"];
    case "FAILED":
      return ["resubmit"];
    default:
      return [];
  }
}
