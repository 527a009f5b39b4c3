import { describe, expect, it } from "vitest";
import type { CampaignStatus } from "@/generated/prisma/enums";
import { allowedActions, CAMPAIGN_STATUSES, canTransition, statusFromAlipay, TRANSITIONS } from "./status";

describe("campaign status transitions", () => {
  it("covers every status", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...CAMPAIGN_STATUSES].sort());
  });

  it.each<[CampaignStatus, CampaignStatus, boolean]>([
    ["CREATING", "AWAITING_FUNDING", true],
    ["CREATING", "FAILED", true],
    ["CREATING", "UNKNOWN", true],
    ["CREATING", "ACTIVE", false],
    ["UNKNOWN", "AWAITING_FUNDING", true],
    ["UNKNOWN", "FAILED", true],
    ["UNKNOWN", "CREATING", false], // never re-created blindly
    ["FAILED", "CREATING", true], // resubmitted after correction
    ["AWAITING_FUNDING", "ACTIVE", true],
    ["ACTIVE", "PAUSED", true],
    ["PAUSED", "ACTIVE", true],
    ["ACTIVE", "CLOSED", true],
    ["CLOSED", "ACTIVE", false],
    ["CLOSED", "SETTLED", true],
    ["SETTLED", "ACTIVE", false],
    ["ACTIVE", "AWAITING_FUNDING", false],
  ])("%s → %s: %s", (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it("has no way out of SETTLED", () => {
    expect(TRANSITIONS.SETTLED).toEqual([]);
  });
});

describe("following Alipay's camp_status", () => {
  it.each<[CampaignStatus, string, CampaignStatus | null]>([
    ["AWAITING_FUNDING", "CREATED", null],
    ["AWAITING_FUNDING", "PAID", "ACTIVE"],
    ["AWAITING_FUNDING", "READY", "ACTIVE"],
    ["ACTIVE", "PAUSE", "PAUSED"],
    ["PAUSED", "READY", "ACTIVE"],
    ["ACTIVE", "CLOSED", "CLOSED"],
    ["ACTIVE", "SETTLED", "SETTLED"],
    ["CLOSED", "SETTLE", "SETTLED"], // list.query's spelling
    ["CLOSED", "PAUSE", null], // closed locally stays closed until Alipay settles
    ["CLOSED", "READY", null],
    ["ACTIVE", "READY", null],
    ["SETTLED", "READY", null],
    ["ACTIVE", "SOMETHING_NEW", null],
  ])("local %s + Alipay %s → %s", (local, alipay, expected) => {
    expect(statusFromAlipay(local, alipay)).toBe(expected);
  });
});

describe("actions per status", () => {
  it.each<[CampaignStatus, string[]]>([
    ["AWAITING_FUNDING", ["pay", "refresh", "cancel"]],
    ["ACTIVE", ["refresh", "pause", "close"]],
    ["PAUSED", ["refresh", "resume", "close"]],
    ["FAILED", ["resubmit"]],
    ["UNKNOWN", ["refresh"]],
    ["SETTLED", []],
  ])("%s allows %j", (status, actions) => {
    expect(allowedActions(status, "CASH_CAMPAIGN")).toEqual(actions);
  });

  it.each<[CampaignStatus, string[]]>([
    ["AWAITING_FUNDING", ["cancel"]],
    ["ACTIVE", ["pause", "close"]],
    ["PAUSED", ["resume", "close"]],
    ["CLOSED", []],
  ])("on the other rails, %s allows %j: no Alipay cashier or campaign to look up", (status, actions) => {
    expect(allowedActions(status, "FUND_COUPON")).toEqual(actions);
    expect(allowedActions(status, "TRANSFER")).toEqual(actions);
  });
});
