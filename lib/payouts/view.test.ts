import { describe, expect, it } from "vitest";
import { PAYOUT_STATUSES } from "@/lib/enums";
import { payoutListQuerySchema } from "@/lib/validation/payouts";
import {
  canCancelPayout,
  canRetryPayout,
  displayAmountFen,
  hasPayoutFilters,
  payoutsCsvFilename,
  payoutTotalsKey,
  unknownReasonOf,
} from "./view";

const schema = payoutListQuerySchema("Asia/Shanghai");

describe("displayAmountFen", () => {
  it("is what Alipay paid once known, else what is held", () => {
    expect(displayAmountFen({ amountFen: 500, awardedFen: null })).toBe(500);
    expect(displayAmountFen({ amountFen: 500, awardedFen: 123 })).toBe(123);
  });
});

describe("which buttons a status offers", () => {
  it("retries a curable failure or a payout needing attention, nothing else", () => {
    const retryable = PAYOUT_STATUSES.filter((status) => canRetryPayout({ status, failureRetryable: true }));
    expect(retryable).toEqual(["FAILED", "NEEDS_ATTENTION"]);
    expect(canRetryPayout({ status: "FAILED", failureRetryable: false })).toBe(false);
    expect(canRetryPayout({ status: "FAILED", failureRetryable: null })).toBe(false);
    expect(canRetryPayout({ status: "NEEDS_ATTENTION", failureRetryable: null })).toBe(true);
  });

  it("cancels only what has not been sent", () => {
    expect(PAYOUT_STATUSES.filter((status) => canCancelPayout({ status }))).toEqual([
      "PENDING_APPROVAL",
      "APPROVED",
    ]);
  });
});

describe("unknownReasonOf", () => {
  it("reads the kind of an unknown outcome from the recorded reason", () => {
    expect(unknownReasonOf("timeout: socket hang up")).toBe("timeout");
    expect(unknownReasonOf("system-error")).toBe("system-error");
    expect(unknownReasonOf("unexpected-code: 40004")).toBe("unexpected-code");
  });

  it("is null for nothing or a reason it does not describe", () => {
    expect(unknownReasonOf(null)).toBeNull();
    expect(unknownReasonOf("")).toBeNull();
    expect(unknownReasonOf("cosmic rays")).toBeNull();
    expect(unknownReasonOf("toString")).toBeNull();
  });
});

describe("hasPayoutFilters", () => {
  it("is false for the plain history, whatever its page and sort", () => {
    expect(hasPayoutFilters(schema.parse({}))).toBe(false);
    expect(hasPayoutFilters(schema.parse({ page: "3", pageSize: "50", sort: "amountFen.asc" }))).toBe(false);
    // Malformed filters are dropped by the schema, so they filter nothing.
    expect(hasPayoutFilters(schema.parse({ status: "NOPE", from: "yesterday" }))).toBe(false);
  });

  it("is true for any filter or search", () => {
    for (const query of [
      { status: "FAILED" },
      { campaign: "c1" },
      { scene: "MANUAL" },
      { source: "API" },
      { from: "2026-03-01" },
      { to: "2026-03-01" },
      { recipient: "2088100000000001" },
      { outBizNo: "order_1" },
      { batch: "b1" },
      { q: "order_1" },
    ]) {
      expect(hasPayoutFilters(schema.parse(query)), JSON.stringify(query)).toBe(true);
    }
  });
});

describe("payoutTotalsKey", () => {
  it("changes with the filters, not with the page or sort", () => {
    const base = payoutTotalsKey(schema.parse({ status: "FAILED" }));
    expect(payoutTotalsKey(schema.parse({ status: "FAILED", page: "4", sort: "status.asc" }))).toBe(base);
    expect(payoutTotalsKey(schema.parse({ status: "SUCCEEDED" }))).not.toBe(base);
    expect(payoutTotalsKey(schema.parse({ status: "FAILED", from: "2026-03-01" }))).not.toBe(base);
  });
});

describe("payoutsCsvFilename", () => {
  it("is stamped in the display time zone", () => {
    expect(payoutsCsvFilename(new Date("2026-11-21T12:15:00Z"), "Asia/Shanghai")).toBe(
      "payouts-20261121-2015.csv",
    );
    expect(payoutsCsvFilename(new Date("2026-11-21T16:05:00Z"), "Asia/Shanghai")).toBe(
      "payouts-20261122-0005.csv",
    );
  });
});
