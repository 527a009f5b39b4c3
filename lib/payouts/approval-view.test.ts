import { describe, expect, it } from "vitest";
import { translator } from "@/lib/i18n/messages";
import { describeDecisionOutcome } from "./approval-view";

const en = translator("en");

describe("describeDecisionOutcome", () => {
  it("counts what was decided", () => {
    expect(describeDecisionOutcome({ done: ["a", "b", "c"], refused: [] }, "approve", en)).toBe("3 approved");
    expect(describeDecisionOutcome({ done: ["a"], refused: [] }, "reject", en)).toBe("1 rejected");
  });

  it("adds what was skipped, grouped by reason in the order first met", () => {
    const text = describeDecisionOutcome(
      {
        done: ["a", "b", "c"],
        refused: [
          { id: "d", reason: "payouts.errors.ownRequest" },
          { id: "e", reason: "payouts.errors.notPending" },
          { id: "f", reason: "payouts.errors.ownRequest" },
        ],
      },
      "approve",
      en,
    );
    expect(text).toBe(
      `3 approved; 2 skipped: ${en("payouts.errors.ownRequest")}; 1 skipped: ${en("payouts.errors.notPending")}`,
    );
  });

  it("speaks the reader's language", () => {
    const zh = translator("zh-CN");
    expect(
      describeDecisionOutcome(
        { done: [], refused: [{ id: "d", reason: "payouts.errors.ownRequest" }] },
        "approve",
        zh,
      ),
    ).toBe(`已通过 0 笔；跳过 1 笔：${zh("payouts.errors.ownRequest")}`);
  });
});
