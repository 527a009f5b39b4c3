import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { translator } from "@/lib/i18n/messages";
import { auditActionLabel, auditActorText, auditEntityTypeLabel } from "./labels";

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Files that write audit events, and every action and entity type literal in them. */
const writers = [...sourceFiles("lib"), ...sourceFiles("app")]
  .filter((file) => !file.startsWith(path.join("lib", "i18n")))
  .map((file) => fs.readFileSync(file, "utf8"))
  .filter((text) => /\brecord(Audit|Refusal)\(/.test(text));
const recordedActions = new Set(
  writers.flatMap((text) =>
    [
      ...text.matchAll(
        /"((?:auth|authz|user|campaign|payout|batch|apikey|api_key|settings|webhook)\.[a-z_]+)"/g,
      ),
    ].map((m) => m[1] ?? ""),
  ),
);
const recordedEntityTypes = new Set(
  writers.flatMap((text) => [...text.matchAll(/entityType: "([A-Z][A-Za-z]*)"/g)].map((m) => m[1] ?? "")),
);

describe("audit labels", () => {
  const zh = translator("zh-CN");
  const en = translator("en");

  it("finds the actions and entity types the code records", () => {
    for (const action of [
      "user.create",
      "auth.sign_in",
      "auth.sign_in_failed",
      "authz.denied",
      "campaign.pause",
    ])
      expect(recordedActions).toContain(action);
    for (const type of ["User", "Campaign", "Action", "Page"]) expect(recordedEntityTypes).toContain(type);
  });

  it("has a Chinese and an English name for every action the code records", () => {
    for (const action of recordedActions) {
      expect(auditActionLabel(zh, action), action).not.toBe(action);
      expect(auditActionLabel(en, action), action).not.toBe(action);
    }
  });

  it("has a Chinese and an English name for every entity type the code records", () => {
    for (const type of recordedEntityTypes) {
      expect(auditEntityTypeLabel(zh, type), type).not.toBe(type);
      expect(auditEntityTypeLabel(en, type).length, type).toBeGreaterThan(0);
    }
    expect(auditEntityTypeLabel(zh, "Campaign")).toBe("活动");
    expect(auditEntityTypeLabel(en, "Page")).toBe("Page");
  });

  it("names actions in the reader's language", () => {
    expect(auditActionLabel(zh, "auth.sign_in_failed")).toBe("登录失败");
    expect(auditActionLabel(en, "auth.sign_in_failed")).toBe("Sign-in failed");
  });

  it("shows an unknown action or entity type as recorded", () => {
    expect(auditActionLabel(en, "payout.something_new")).toBe("payout.something_new");
    expect(auditActionLabel(en, "constructor")).toBe("constructor");
    expect(auditEntityTypeLabel(zh, "Widget")).toBe("Widget");
  });

  it("marks system and anonymous actors, and shows users by email", () => {
    expect(auditActorText(en, { actorType: "USER", actorLabel: "a@example.com" })).toBe("a@example.com");
    expect(auditActorText(en, { actorType: "SYSTEM", actorLabel: "budget-check" })).toBe(
      "System · budget-check",
    );
    expect(auditActorText(zh, { actorType: "ANONYMOUS", actorLabel: "x@example.com" })).toBe(
      "未登录 · x@example.com",
    );
  });
});
