/**
 * Campaign status rules: which local transitions exist, what Alipay's camp_status means locally, and which
 * actions each status allows. Pure; every status change in the service is a guarded update along this table.
 */
import type { CampaignStatus } from "@/generated/prisma/enums";
import type { Permission } from "@/lib/auth/permissions";

export const CAMPAIGN_STATUSES = [
  "DRAFT",
  "CREATING",
  "AWAITING_FUNDING",
  "ACTIVE",
  "PAUSED",
  "CLOSED",
  "SETTLED",
  "FAILED",
  "UNKNOWN",
] as const satisfies readonly CampaignStatus[];

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

export type CampaignAction = "pay" | "refresh" | "pause" | "resume" | "close" | "resubmit";

/** The permission each action needs (the same ones its server action requires). */
export const ACTION_PERMISSION: Readonly<Record<CampaignAction, Permission>> = {
  pay: "campaign:fund",
  refresh: "campaign:fund",
  pause: "campaign:manage",
  resume: "campaign:manage",
  close: "campaign:manage",
  resubmit: "campaign:create",
};

/** What can be done to a campaign in a status (the UI shows these; the server checks the same table). */
export function allowedActions(status: CampaignStatus): CampaignAction[] {
  switch (status) {
    case "AWAITING_FUNDING":
      return ["pay", "refresh", "close"];
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
