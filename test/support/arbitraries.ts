/**
 * Shared fast-check arbitraries and run settings for the property-based ("fuzz") tests in test/integration/fuzz-*.
 * Hostile values are the kinds of input that have broken web services before: control characters and NUL (which
 * PostgreSQL text cannot hold), lone surrogates (which jsonb refuses), emoji and combining marks, formula
 * injection, very long strings, numbers past 2^53, NaN-like and yuan-looking text. Nothing here decides what the
 * code should answer: the tests state the properties.
 *
 * Runs: each property states its CI count; `FUZZ_RUNS=<factor>` multiplies it for a long run by hand, and
 * `FUZZ_SEED=<seed>` (with `FUZZ_PATH=<path>`) replays what a failure printed (docs/development.md).
 */
import fc from "fast-check";

function envNumber(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got ${text}`);
  return value;
}

/**
 * A test's time limit for a property that meets the database, scaled with FUZZ_RUNS. Generous on purpose: a
 * property that outlives Vitest's limit keeps running in the background and disturbs the next test's counts.
 */
export function fuzzTimeout(ms: number): number {
  return Math.round(ms * Math.max(1, envNumber("FUZZ_RUNS") ?? 1));
}

/** fast-check's parameters for a property run `runs` times in CI (times FUZZ_RUNS by hand). */
/** The seed every property runs with by default (any fixed number; changing it is a new exploration). */
const DEFAULT_FUZZ_SEED = 20261202;

export function fuzzParams<T>(runs: number, examples: T[] = []): fc.Parameters<T> {
  const factor = envNumber("FUZZ_RUNS") ?? 1;
  // A fixed seed unless told otherwise: a suite that passes or fails by the dice cannot gate CI. Explore with
  // FUZZ_SEED=random (and FUZZ_RUNS), then keep what it finds as a named example.
  const seed = process.env.FUZZ_SEED === "random" ? undefined : (envNumber("FUZZ_SEED") ?? DEFAULT_FUZZ_SEED);
  const path = process.env.FUZZ_PATH;
  return {
    numRuns: Math.max(1, Math.round(runs * factor)),
    examples,
    ...(seed === undefined ? {} : { seed }),
    ...(path ? { path } : {}),
    // A failure's report names the seed and the shrunk counterexample; verbose lists what was tried.
    verbose: 1,
  };
}

/** Characters that break naive handling: NUL and other controls, lone surrogates, BOM, RTL override, emoji. */
export const NASTY_CHARS = [
  "\u0000",
  "\u0001",
  "\u0007",
  "\u001b",
  "\u007f",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "\uD800",
  "\uDFFF",
  "\uFEFF",
  "\u202E",
  "\u200B",
  "\u00A0",
  "\u3000",
  "😀",
  "👨‍👩‍👧",
  "e\u0301",
  "中",
  "𠀀",
  '"',
  "'",
  ",",
  ";",
  "\\",
  "%",
  "%00",
  "&",
  "=",
  "+",
  "<",
  ">",
] as const;

/** Whole values that are often mishandled in text fields. */
export const NASTY_STRINGS = [
  "",
  " ",
  "   ",
  "null",
  "undefined",
  "NaN",
  "Infinity",
  "-Infinity",
  "true",
  "0",
  "-0",
  "-1",
  "1e3",
  "1E+400",
  "0x10",
  "0.001",
  "1.005",
  "¥1,000",
  "¥-5",
  "−5",
  "1,000.00",
  "９９",
  "=cmd|' /C calc'!A0",
  '=HYPERLINK("http://x")',
  "+1+1",
  "-1+1",
  "@SUM(A1)",
  '\'; DROP TABLE "Payout"; --',
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "${process.exit(1)}",
  "{{7*7}}",
  "%s%s%s%n",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "\uFEFF",
  "2088\u0000000000000001",
  "2088０００００００００００１",
  "2088000000000001\n",
  "__proto__",
  "constructor",
] as const;

/** Any string, biased towards the hostile: nasty constants, nasty characters mixed in, unicode, long runs. */
export function hostileString(options: { maxLength?: number } = {}): fc.Arbitrary<string> {
  const maxLength = options.maxLength ?? 300;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    {
      weight: 3,
      arbitrary: fc
        .array(fc.oneof(fc.constantFrom(...NASTY_CHARS), fc.string({ maxLength: 4 })), { maxLength: 20 })
        .map((parts) => parts.join("")),
    },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom("a", "中", "😀", "\u0000", "9", " "), fc.integer({ min: 1, max: maxLength }))
        .map(([c, n]) => c.repeat(n)),
    },
  );
}

/** Numbers a JSON body can carry that an amount or count field must refuse or bound. */
export function hostileNumber(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constantFrom(
      0,
      -0,
      -1,
      0.5,
      1.005,
      0.001,
      99.999,
      2 ** 31,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 53,
      2 ** 53 + 2,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      1e21,
      1e308,
    ),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
}

/** A hostile JSON value of any type (strings, numbers, booleans, null, arrays, objects). */
export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: hostileString() },
    { weight: 3, arbitrary: hostileNumber() },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(hostileString({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 })) },
  );
}

/** A JSON-shaped value as `fc.anything` would make it, round-tripped through JSON (what a body can carry). */
export function anythingAsJson(): fc.Arbitrary<unknown> {
  return fc.anything({ maxDepth: 2, withNullPrototype: true, withObjectString: true }).map((value) => {
    try {
      const text = JSON.stringify(value);
      return text === undefined ? null : (JSON.parse(text) as unknown);
    } catch {
      return null;
    }
  });
}

export type Mutation =
  | { kind: "replace"; path: string[]; value: unknown }
  | { kind: "delete"; path: string[] }
  | { kind: "extra"; key: string; value: unknown };

/** One change to a valid object: a (nested) field replaced by a hostile value or removed, or an extra field. */
export function mutationOf(paths: readonly (readonly string[])[]): fc.Arbitrary<Mutation> {
  const path = fc.constantFrom(...paths).map((p) => [...p]);
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ kind: fc.constant("replace" as const), path, value: hostileValue() }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), path }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("extra" as const),
        key: fc.oneof(hostileString({ maxLength: 20 }), fc.constantFrom("__proto__", "id", "status")),
        value: hostileValue(),
      }),
    },
  );
}

/** `value` with the mutation applied (a deep copy; the original is untouched). */
export function applyMutation(value: Record<string, unknown>, mutation: Mutation): Record<string, unknown> {
  const copy = structuredClone(value);
  if (mutation.kind === "extra") {
    Object.defineProperty(copy, mutation.key, { value: mutation.value, enumerable: true, writable: true });
    return copy;
  }
  let target: Record<string, unknown> = copy;
  const keys = [...mutation.path];
  const last = keys.pop();
  for (const key of keys) {
    const next = target[key];
    if (typeof next !== "object" || next === null) return copy;
    target = next as Record<string, unknown>;
  }
  if (last === undefined) return copy;
  if (mutation.kind === "delete") delete target[last];
  else target[last] = mutation.value;
  return copy;
}

/** Text that is not a JSON object: garbage, JSON of another type, truncated JSON, form encoding. */
export function nonJsonObjectBody(): fc.Arbitrary<string> {
  return fc.oneof(
    hostileString(),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.jsonValue().map((v) => {
      const text = JSON.stringify({ value: v });
      return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    }),
    fc.constantFrom("outBizNo=a&recipient=b", "<xml/>", "{", "}", "[]", "null", '""', "{'a':1}", "\uFEFF{}"),
  );
}

/** Content types a client may send (or lie about). */
export const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "",
] as const;

/** A 2088… Alipay user id the simulator knows, from a range no other test file uses. */
export function fuzzUserId(base: number): fc.Arbitrary<string> {
  return fc
    .integer({ min: 0, max: 99_999 })
    .map((i) => `2088${String(100_000_000_000 + base + i).slice(-12)}`);
}
