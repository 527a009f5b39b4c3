import { describe, expect, it } from "vitest";
import { decideApproval } from "./policy-rules";

const policy = { autoApproveMaxFen: 500, autoApproveDailyCapFen: 2_000 };

describe("decideApproval", () => {
  it("approves automatically at or below the threshold, and waits above it", () => {
    expect(decideApproval(policy, 499, 0)).toBe("auto");
    expect(decideApproval(policy, 500, 0)).toBe("auto");
    expect(decideApproval(policy, 501, 0)).toBe("approver");
  });

  it("allows reaching the daily cap exactly, not passing it", () => {
    expect(decideApproval(policy, 500, 1_500)).toBe("auto"); // 2 000 = cap
    expect(decideApproval(policy, 500, 1_501)).toBe("approver");
    expect(decideApproval(policy, 1, 1_999)).toBe("auto");
    expect(decideApproval(policy, 1, 2_000)).toBe("approver");
  });

  it("checks the threshold even with the whole cap unused, and the cap even below the threshold", () => {
    expect(decideApproval({ autoApproveMaxFen: 500, autoApproveDailyCapFen: 1_000_000 }, 501, 0)).toBe(
      "approver",
    );
    expect(decideApproval({ autoApproveMaxFen: 500, autoApproveDailyCapFen: 300 }, 400, 0)).toBe("approver");
    expect(decideApproval({ autoApproveMaxFen: 500, autoApproveDailyCapFen: 300 }, 300, 0)).toBe("auto");
  });

  it("a zero policy sends everything to an approver", () => {
    const zero = { autoApproveMaxFen: 0, autoApproveDailyCapFen: 0 };
    for (const amount of [1, 20, 100, 20_000]) expect(decideApproval(zero, amount, 0)).toBe("approver");
    expect(decideApproval({ autoApproveMaxFen: 500, autoApproveDailyCapFen: 0 }, 100, 0)).toBe("approver");
    expect(decideApproval({ autoApproveMaxFen: 0, autoApproveDailyCapFen: 10_000 }, 100, 0)).toBe("approver");
  });
});
