import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DICTIONARIES, LOCALES } from "@/lib/i18n/messages";
import { retryOptions, retryWindowSeconds } from "./relay";
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES } from "./events";

const trigger = fs.readFileSync(
  path.join(process.cwd(), "prisma/migrations/20261201190000_machine_api/migration.sql"),
  "utf8",
);

describe("webhook event types", () => {
  it("are exactly the types the database trigger writes", () => {
    const body = trigger.slice(trigger.indexOf("CREATE FUNCTION hongbao_webhook_event"));
    const written = new Set([...body.matchAll(/'((?:payout|campaign)\.[a-z_]+)'/g)].map((m) => m[1]));
    // `campaign.budget_low` is both the audit action the trigger reacts to and the event it writes.
    expect([...written].sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });

  it("each have a description in every language", () => {
    for (const type of WEBHOOK_EVENT_TYPES) {
      for (const locale of LOCALES) {
        expect(DICTIONARIES[locale][WEBHOOK_EVENT_DESCRIPTIONS[type]], `${locale} ${type}`).toBeTruthy();
      }
    }
  });
});

describe("the retry schedule", () => {
  it("maps attempts to pg-boss's retries with exponential backoff", () => {
    expect(retryOptions({ baseSeconds: 20, maxAttempts: 13 })).toEqual({
      retryLimit: 12,
      retryDelay: 20,
      retryBackoff: true,
    });
    expect(retryOptions({ baseSeconds: 1, maxAttempts: 1 }).retryLimit).toBe(0);
  });

  it("spreads the default 13 attempts over about a day (23 h before pg-boss's random extra)", () => {
    expect(retryWindowSeconds({ baseSeconds: 20, maxAttempts: 13 })).toBe(20 * (2 ** 12 - 1));
    expect(retryWindowSeconds({ baseSeconds: 20, maxAttempts: 13 }) / 3600).toBeCloseTo(22.75, 2);
    expect(retryWindowSeconds({ baseSeconds: 1, maxAttempts: 3 })).toBe(3);
  });
});
