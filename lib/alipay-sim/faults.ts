/**
 * Fault injection for gateway calls. Decisions come from a seedable PRNG so a test that sets `seed` sees the same
 * sequence of faults on every run.
 */
import { randomInt } from "node:crypto";
import { performance } from "node:perf_hooks";

export type FaultRule = {
  /** Glob over the `method` parameter: `*` matches anything, `?` one character; several globs comma-separated. */
  methods: string;
  /** Delay before processing: fixed, or uniformly drawn from [min, max]. */
  latencyMs?: number | { min: number; max: number };
  /** Processed, but the answer is held back for timeoutDelayMs: the client times out without knowing the outcome. */
  timeoutRate?: number;
  /** Default 15000. */
  timeoutDelayMs?: number;
  /** Answer `20000 aop.unknow-error` WITHOUT processing. */
  unknownRate?: number;
  /** Destroy the socket without answering. urllib retries once on socket errors, so a POST may arrive twice. */
  dropRate?: number;
  /** false (default): processed, then dropped (the dangerous case). true: dropped before processing. */
  dropBeforeProcessing?: boolean;
  /** Processed, valid body, but `sign` does not verify. */
  badSignatureRate?: number;
  /** HTTP 500 with an HTML body, WITHOUT processing. */
  http500Rate?: number;
  /** More than this many accepted requests per rolling second for this rule → `40005 isv.app-call-limited`. */
  rateLimitQps?: number;
};

export type FaultConfig = {
  /** PRNG seed; omit for a random one. Setting a config restarts the sequence. */
  seed?: number;
  /** The first rule whose `methods` matches a request applies; later rules are not consulted. */
  rules: FaultRule[];
};

export type FaultDecision = {
  rule: number | null;
  latencyMs: number;
  rateLimited: boolean;
  http500: boolean;
  unknown: boolean;
  dropBeforeProcessing: boolean;
  dropAfterProcessing: boolean;
  timeoutDelayMs: number | null;
  badSignature: boolean;
};

export const NO_FAULT: FaultDecision = {
  rule: null,
  latencyMs: 0,
  rateLimited: false,
  http500: false,
  unknown: false,
  dropBeforeProcessing: false,
  dropAfterProcessing: false,
  timeoutDelayMs: null,
  badSignature: false,
};

export class FaultConfigError extends Error {}

const RULE_KEYS = new Set([
  "methods",
  "latencyMs",
  "timeoutRate",
  "timeoutDelayMs",
  "unknownRate",
  "dropRate",
  "dropBeforeProcessing",
  "badSignatureRate",
  "http500Rate",
  "rateLimitQps",
]);
const RATE_KEYS = ["timeoutRate", "unknownRate", "dropRate", "badSignatureRate", "http500Rate"] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates untrusted JSON (from POST /__sim/faults) strictly: a typo in a key would silently inject nothing. */
export function parseFaultConfig(input: unknown): FaultConfig {
  if (!isRecord(input)) throw new FaultConfigError("fault config must be an object { seed?, rules: [] }");
  for (const key of Object.keys(input)) {
    if (key !== "seed" && key !== "rules") throw new FaultConfigError(`unknown fault config key "${key}"`);
  }
  const { seed, rules } = input;
  if (seed !== undefined && !Number.isSafeInteger(seed))
    throw new FaultConfigError("seed must be an integer");
  if (!Array.isArray(rules)) throw new FaultConfigError("rules must be an array");
  const parsed = rules.map((rule: unknown, index): FaultRule => {
    const where = `rules[${index}]`;
    if (!isRecord(rule)) throw new FaultConfigError(`${where} must be an object`);
    for (const key of Object.keys(rule)) {
      if (!RULE_KEYS.has(key)) throw new FaultConfigError(`${where}: unknown key "${key}"`);
    }
    if (typeof rule.methods !== "string" || rule.methods.trim() === "") {
      throw new FaultConfigError(
        `${where}.methods must be a non-empty glob such as "alipay.fund.trans.*" or "*"`,
      );
    }
    for (const key of RATE_KEYS) {
      const value = rule[key];
      if (value !== undefined && (typeof value !== "number" || !(value >= 0 && value <= 1))) {
        throw new FaultConfigError(`${where}.${key} must be a probability between 0 and 1`);
      }
    }
    const latency = rule.latencyMs;
    if (latency !== undefined) {
      const ok =
        (typeof latency === "number" && latency >= 0) ||
        (isRecord(latency) &&
          typeof latency.min === "number" &&
          typeof latency.max === "number" &&
          latency.min >= 0 &&
          latency.max >= latency.min &&
          Object.keys(latency).every((key) => key === "min" || key === "max"));
      if (!ok)
        throw new FaultConfigError(`${where}.latencyMs must be a number ≥ 0 or { min, max } with min ≤ max`);
    }
    if (
      rule.timeoutDelayMs !== undefined &&
      !(typeof rule.timeoutDelayMs === "number" && rule.timeoutDelayMs >= 0)
    ) {
      throw new FaultConfigError(`${where}.timeoutDelayMs must be a number ≥ 0`);
    }
    if (
      rule.rateLimitQps !== undefined &&
      !(
        typeof rule.rateLimitQps === "number" &&
        Number.isInteger(rule.rateLimitQps) &&
        rule.rateLimitQps >= 1
      )
    ) {
      throw new FaultConfigError(`${where}.rateLimitQps must be an integer ≥ 1`);
    }
    if (rule.dropBeforeProcessing !== undefined && typeof rule.dropBeforeProcessing !== "boolean") {
      throw new FaultConfigError(`${where}.dropBeforeProcessing must be a boolean`);
    }
    return rule as FaultRule;
  });
  return seed === undefined ? { rules: parsed } : { seed: seed as number, rules: parsed };
}

function globToRegExp(glob: string): RegExp {
  const alternatives = glob
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) =>
      part
        .split("")
        .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join(""),
    );
  return new RegExp(`^(?:${alternatives.join("|")})$`);
}

/** mulberry32: tiny, fast, good enough for fault dice, and fully determined by its 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultEngine {
  private config: FaultConfig = { rules: [] };
  private matchers: RegExp[] = [];
  private random: () => number = Math.random;
  /** Accepted-request instants (monotonic ms) per rule, for rateLimitQps. */
  private windows: number[][] = [];

  constructor(config: FaultConfig | undefined) {
    this.set(config ?? { rules: [] });
  }

  set(config: FaultConfig): void {
    const parsed = parseFaultConfig(config);
    this.config = parsed;
    this.matchers = parsed.rules.map((rule) => globToRegExp(rule.methods));
    this.random = mulberry32(parsed.seed ?? randomInt(0, 2 ** 31));
    this.windows = parsed.rules.map(() => []);
  }

  get(): FaultConfig {
    return structuredClone(this.config);
  }

  /**
   * Rolls every die in a fixed order whether or not its rate is configured, so the fault sequence for a seed
   * depends only on the number of matching requests.
   */
  decide(method: string): FaultDecision {
    const index = this.matchers.findIndex((matcher) => matcher.test(method));
    const rule = index === -1 ? undefined : this.config.rules[index];
    if (!rule) return NO_FAULT;
    const roll = () => this.random();
    const hit = (rate: number | undefined) => {
      const value = roll();
      return rate !== undefined && value < rate;
    };
    const latencyRoll = roll();
    const latency = rule.latencyMs;
    const latencyMs =
      latency === undefined
        ? 0
        : typeof latency === "number"
          ? latency
          : latency.min + Math.floor(latencyRoll * (latency.max - latency.min + 1));
    const http500 = hit(rule.http500Rate);
    const unknown = hit(rule.unknownRate);
    const drop = hit(rule.dropRate);
    const timeout = hit(rule.timeoutRate);
    const badSignature = hit(rule.badSignatureRate);

    let rateLimited = false;
    if (rule.rateLimitQps !== undefined) {
      const now = performance.now();
      const window = (this.windows[index] ?? []).filter((at) => now - at < 1000);
      rateLimited = window.length >= rule.rateLimitQps;
      if (!rateLimited) window.push(now);
      this.windows[index] = window;
    }
    return {
      rule: index,
      latencyMs,
      rateLimited,
      http500,
      unknown,
      dropBeforeProcessing: drop && rule.dropBeforeProcessing === true,
      dropAfterProcessing: drop && rule.dropBeforeProcessing !== true,
      timeoutDelayMs: timeout ? (rule.timeoutDelayMs ?? 15_000) : null,
      badSignature,
    };
  }
}
