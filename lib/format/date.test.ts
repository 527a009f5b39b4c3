import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, startOfDayInZone } from "./date";

describe("formatDateTime", () => {
  it("shows UTC instants in Beijing time", () => {
    expect(formatDateTime("2026-11-21T16:05:09Z", "Asia/Shanghai")).toBe("2026-11-22 00:05");
    expect(formatDateTime("2026-11-21T16:05:09Z", "Asia/Shanghai", { seconds: true })).toBe(
      "2026-11-22 00:05:09",
    );
  });

  it("honours another display zone", () => {
    expect(formatDateTime(new Date("2026-07-01T12:00:00Z"), "Europe/Berlin")).toBe("2026-07-01 14:00");
  });

  it("returns an empty string for an invalid date", () => {
    expect(formatDateTime("not a date", "Asia/Shanghai")).toBe("");
  });

  it("formats the calendar day in the zone", () => {
    expect(formatDate("2026-11-21T16:30:00Z", "Asia/Shanghai")).toBe("2026-11-22");
  });
});

describe("startOfDayInZone", () => {
  it("is midnight in the zone, as a UTC instant", () => {
    expect(startOfDayInZone("2026-11-22", "Asia/Shanghai")?.toISOString()).toBe("2026-11-21T16:00:00.000Z");
    expect(startOfDayInZone("2026-07-01", "Europe/Berlin")?.toISOString()).toBe("2026-06-30T22:00:00.000Z");
  });

  it("rejects text that is not a day", () => {
    expect(startOfDayInZone("22/11/2026", "Asia/Shanghai")).toBeNull();
  });
});
