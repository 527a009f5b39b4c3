import { describe, expect, it } from "vitest";
import { PAYOUT_STATUSES, type PayoutStatus } from "@/lib/enums";
import {
  assertTransition,
  canTransition,
  COUNTED_STATUSES,
  isCancellable,
  isTerminal,
  PAYOUT_TRANSITIONS,
  RESERVING_STATUSES,
  TERMINAL_STATUSES,
} from "./transitions";

/** DESIGN.md §3's moves, written out here independently of the table under test. */
const ALLOWED = new Set([
  "PENDING_APPROVAL>APPROVED",
  "PENDING_APPROVAL>REJECTED",
  "PENDING_APPROVAL>CANCELED",
  "APPROVED>CANCELED",
  "APPROVED>SENDING",
  "APPROVED>FAILED",
  "UNKNOWN>SENDING",
  "UNKNOWN>NEEDS_ATTENTION",
  "SENDING>SUCCEEDED",
  "SENDING>FAILED",
  "SENDING>UNKNOWN",
  "SENDING>APPROVED",
  "SENDING>NEEDS_ATTENTION",
  "NEEDS_ATTENTION>UNKNOWN",
  "FAILED>APPROVED",
]);

const PAIRS = PAYOUT_STATUSES.flatMap((from) => PAYOUT_STATUSES.map((to) => [from, to] as const));

describe("payout transitions", () => {
  it("covers every status of the schema", () => {
    expect(PAYOUT_STATUSES).toHaveLength(9);
    for (const move of PAYOUT_TRANSITIONS) {
      expect(PAYOUT_STATUSES).toContain(move.from);
      expect(PAYOUT_STATUSES).toContain(move.to);
    }
  });

  it.each(PAIRS)("%s → %s is allowed exactly when the design lists it", (from, to) => {
    const allowed = ALLOWED.has(`${from}>${to}`);
    expect(canTransition(from, to)).toBe(allowed);
    if (allowed) expect(() => assertTransition(from, to)).not.toThrow();
    else expect(() => assertTransition(from, to)).toThrow(`payout transition ${from} → ${to} is not allowed`);
  });

  it("allows exactly the listed moves and nothing is its own successor", () => {
    expect(PAIRS.filter(([from, to]) => canTransition(from, to))).toHaveLength(ALLOWED.size);
    for (const status of PAYOUT_STATUSES) expect(canTransition(status, status)).toBe(false);
  });

  it("nothing leaves SUCCEEDED, REJECTED or CANCELED; FAILED only back to APPROVED by a retry", () => {
    for (const to of PAYOUT_STATUSES) {
      expect(canTransition("SUCCEEDED", to)).toBe(false);
      expect(canTransition("REJECTED", to)).toBe(false);
      expect(canTransition("CANCELED", to)).toBe(false);
    }
    expect(PAYOUT_STATUSES.filter((to) => canTransition("FAILED", to))).toEqual(["APPROVED"]);
    expect(PAYOUT_TRANSITIONS.filter((m) => m.from === "FAILED").map((m) => m.event)).toEqual(["retry"]);
  });

  it("only an unsent payout (pending or approved) is cancellable", () => {
    const cancellable = PAYOUT_STATUSES.filter((s) => isCancellable(s));
    expect(cancellable).toEqual(["PENDING_APPROVAL", "APPROVED"]);
  });

  it("names every move's event, and SENDING → UNKNOWN both for an unknown answer and an expired lease", () => {
    expect(
      PAYOUT_TRANSITIONS.filter((m) => m.from === "SENDING" && m.to === "UNKNOWN").map((m) => m.event),
    ).toEqual(["unknown", "lease_expired"]);
    expect(PAYOUT_TRANSITIONS.filter((m) => m.to === "SENDING").map((m) => m.event)).toEqual([
      "claim",
      "claim",
    ]);
  });
});

describe("status groups", () => {
  it("reserving and terminal statuses are disjoint and, with nothing else, cover every status", () => {
    const reserving = new Set<PayoutStatus>(RESERVING_STATUSES);
    const terminal = new Set<PayoutStatus>(TERMINAL_STATUSES);
    expect([...reserving].filter((s) => terminal.has(s))).toEqual([]);
    expect(new Set([...reserving, ...terminal])).toEqual(new Set(PAYOUT_STATUSES));
  });

  it("holds budget while the money may still go out", () => {
    expect(new Set(RESERVING_STATUSES)).toEqual(
      new Set(["PENDING_APPROVAL", "APPROVED", "SENDING", "UNKNOWN", "NEEDS_ATTENTION"]),
    );
    expect(new Set(TERMINAL_STATUSES)).toEqual(new Set(["SUCCEEDED", "FAILED", "REJECTED", "CANCELED"]));
  });

  it("isTerminal agrees with TERMINAL_STATUSES; in-flight statuses are not terminal", () => {
    for (const status of PAYOUT_STATUSES) expect(isTerminal(status)).toBe(TERMINAL_STATUSES.includes(status));
    expect(isTerminal("UNKNOWN")).toBe(false);
    expect(isTerminal("SENDING")).toBe(false);
    expect(isTerminal("NEEDS_ATTENTION")).toBe(false);
  });

  it("counts towards frequency every payout that may still be or was paid, and no other", () => {
    expect(new Set(COUNTED_STATUSES)).toEqual(new Set([...RESERVING_STATUSES, "SUCCEEDED"]));
    for (const status of ["FAILED", "REJECTED", "CANCELED"] as const)
      expect(COUNTED_STATUSES).not.toContain(status);
  });

  it("a reserving status can always move on (nothing holds budget forever)", () => {
    for (const status of RESERVING_STATUSES)
      expect(PAYOUT_STATUSES.some((to) => canTransition(status, to))).toBe(true);
  });
});
