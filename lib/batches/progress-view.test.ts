import { describe, expect, it } from "vitest";
import { translate } from "@/lib/i18n/messages";
import { batchControls, etaMessage, isBatchLive, progressSegments, shownCounts } from "./progress-view";

describe("progressSegments", () => {
  it("groups the statuses by outcome and leaves out empty parts and queued rows", () => {
    expect(
      progressSegments({
        SUCCEEDED: 5,
        FAILED: 1,
        CANCELED: 2,
        REJECTED: 1,
        SENDING: 1,
        UNKNOWN: 2,
        APPROVED: 9,
      }),
    ).toEqual([
      { kind: "succeeded", count: 5 },
      { kind: "failed", count: 1 },
      { kind: "stopped", count: 3 },
      { kind: "inFlight", count: 3 },
    ]);
    expect(progressSegments({ PENDING_APPROVAL: 10 })).toEqual([]);
  });
});

describe("shownCounts", () => {
  it("always says paid and failed, and other statuses only when present", () => {
    expect(shownCounts({ PENDING_APPROVAL: 3 })).toEqual([
      { status: "SUCCEEDED", count: 0 },
      { status: "FAILED", count: 0 },
      { status: "PENDING_APPROVAL", count: 3 },
    ]);
    expect(shownCounts({ CANCELED: 1, SUCCEEDED: 2, NEEDS_ATTENTION: 1 }).map((c) => c.status)).toEqual([
      "SUCCEEDED",
      "FAILED",
      "NEEDS_ATTENTION",
      "CANCELED",
    ]);
  });
});

describe("etaMessage", () => {
  const en = (seconds: number) => {
    const ref = etaMessage(seconds);
    return translate("en", ref.key, ref.params);
  };

  it("says under a minute, minutes, then hours and minutes", () => {
    expect(en(0)).toBe("less than a minute left");
    expect(en(59)).toBe("less than a minute left");
    expect(en(60)).toBe("about 1 min left");
    expect(en(170)).toBe("about 3 min left");
    expect(en(59 * 60)).toBe("about 59 min left");
    expect(en(3600)).toBe("about 1 h left");
    expect(en(2 * 3600 + 5 * 60)).toBe("about 2 h 5 min left");
  });

  it("has Chinese for every form", () => {
    for (const seconds of [10, 180, 7200, 7500]) {
      const ref = etaMessage(seconds);
      expect(translate("zh-CN", ref.key, ref.params)).not.toMatch(/[{}]/);
    }
  });
});

describe("isBatchLive", () => {
  it("refreshes while waiting or sending, and while a paused batch still has rows being sent", () => {
    expect(isBatchLive("PENDING_APPROVAL", { PENDING_APPROVAL: 3 })).toBe(true);
    expect(isBatchLive("SENDING", { APPROVED: 3 })).toBe(true);
    expect(isBatchLive("PAUSED", { APPROVED: 3, SENDING: 1 })).toBe(true);
    expect(isBatchLive("PAUSED", { APPROVED: 3, UNKNOWN: 1 })).toBe(true);
    expect(isBatchLive("PAUSED", { APPROVED: 3 })).toBe(false);
  });

  it("stops once the batch has ended", () => {
    expect(isBatchLive("FINISHED", { SUCCEEDED: 3 })).toBe(false);
    expect(isBatchLive("REJECTED", { REJECTED: 3 })).toBe(false);
    expect(isBatchLive("CANCELED", { CANCELED: 2, SENDING: 1 })).toBe(false);
  });
});

describe("batchControls", () => {
  it("offers what each phase allows", () => {
    expect(batchControls({ phase: "PENDING_APPROVAL", retryableFailed: 0 })).toEqual({
      pause: false,
      resume: false,
      cancel: true,
      retry: false,
    });
    expect(batchControls({ phase: "SENDING", retryableFailed: 2 })).toEqual({
      pause: true,
      resume: false,
      cancel: true,
      retry: false,
    });
    expect(batchControls({ phase: "PAUSED", retryableFailed: 0 })).toEqual({
      pause: false,
      resume: true,
      cancel: true,
      retry: false,
    });
    expect(batchControls({ phase: "FINISHED", retryableFailed: 2 })).toEqual({
      pause: false,
      resume: false,
      cancel: false,
      retry: true,
    });
    expect(batchControls({ phase: "FINISHED", retryableFailed: 0 }).retry).toBe(false);
    for (const phase of ["REJECTED", "CANCELED"] as const) {
      expect(Object.values(batchControls({ phase, retryableFailed: 3 })).some(Boolean)).toBe(false);
    }
  });
});
