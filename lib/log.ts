/**
 * The server's log: one JSON object per line on stdout — `{"time":…,"level":…,"event":…, …fields}` — so an
 * operator can filter it with jq or ship it to any log store without a parser. Levels below LOG_LEVEL are
 * dropped.
 *
 * Call sites never pass keys, secrets, passwords, cookies or payloads. As a second line of defence every
 * line is redacted on the way out: fields whose name says "secret" and strings that look like a PEM block, a
 * bearer token, a password in a URL or a long random token are replaced by "[redacted]".
 *
 * No `import "server-only"`: the launcher and the production web-server process load this file outside React's
 * server environment, where that import throws (as for lib/env.ts, whose browser guard applies here too).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { env } from "./env";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export type Logger = {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** Whether a line at this level would be written (to skip building expensive fields). */
  enabled(level: LogLevel): boolean;
};

export const REDACTED = "[redacted]";

// Field names that only ever hold something secret. `sign` and `biz_content` are Alipay's signature and
// request payload; `key` alone is not here because idempotency keys are worth logging.
const SECRET_FIELD =
  /pass(word|wd|phrase)?$|secret|token|authori[sz]ation|cookie|private.?key|api.?key|credential|^sign(ature)?$|biz.?content/i;

const SECRET_TEXT: ReadonlyArray<[RegExp, string | ((match: string) => string)]> = [
  // PEM blocks (keys, certificates), also when cut off before their END line.
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g, REDACTED],
  // HTTP credentials: "Bearer abc…", "Basic dXNl…".
  [/\b(Bearer|Basic|Digest)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // A password inside a URL: postgresql://user:secret@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi, `$1:${REDACTED}@`],
  // "password=…", "secret: …" inside free text such as an error message.
  [/\b((?:pass(?:word)?|secret|token|private_?key|api_?key)\s*[=:]\s*)[^\s,;&]+/gi, `$1${REDACTED}`],
  // A bare base64 key body or a random token: long, and mixing upper case, lower case and digits, which
  // hex trace ids, paths and words do not.
  [
    /[A-Za-z0-9+/_-]{40,}={0,2}/g,
    (match) => (/[A-Z]/.test(match) && /[a-z]/.test(match) && /\d/.test(match) ? REDACTED : match),
  ],
];

/** Replaces whatever in `text` looks like a key, a secret or a credential. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_TEXT) {
    out =
      typeof replacement === "string"
        ? out.replace(pattern, replacement)
        : out.replace(pattern, (match) => replacement(match));
  }
  return out;
}

const MAX_DEPTH = 6;

/** A JSON-safe copy of `value` with secret-looking fields and text redacted. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return value.toString();
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: redactText(value.message),
      ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
      ...(value.stack ? { stack: redactText(value.stack) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen) ?? null);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (SECRET_FIELD.test(key)) {
      out[key] = REDACTED;
      continue;
    }
    const clean = redact(item, depth + 1, seen);
    if (clean !== undefined) out[key] = clean;
  }
  return out;
}

export type LoggerOptions = {
  level: LogLevel;
  /** Receives each finished line without its newline; stdout by default. */
  write?: (line: string) => void;
  now?: () => Date;
};

function writeStdout(line: string): void {
  try {
    process.stdout.write(`${line}\n`);
  } catch {
    // A closed stdout (EPIPE) must not take the server down with it.
  }
}

// On globalThis: Next bundles this file into several server chunks (instrumentation, routes) and the production
// web server loads it once more outside the bundle; every copy must see the context the request log set.
const globalForLog = globalThis as unknown as { hongbaoLogContext?: AsyncLocalStorage<LogFields> };
const logContext = (globalForLog.hongbaoLogContext ??= new AsyncLocalStorage<LogFields>());

/**
 * Runs `fn` with `fields` added to every line logged inside it, including by code that knows nothing of them
 * (the `alipay.call` line of a payout's send gets its `payoutId`; every line of a request its `requestId`).
 * Nested contexts add to the outer one.
 */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...fields }, fn);
}

/** The fields withLogContext set around the current call (empty outside one). */
export function currentLogContext(): LogFields {
  return logContext.getStore() ?? {};
}

export function createLogger({ level, write = writeStdout, now = () => new Date() }: LoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const enabled = (at: LogLevel) => LOG_LEVELS.indexOf(at) >= threshold;
  const emit = (at: LogLevel, event: string, fields: LogFields = {}) => {
    if (!enabled(at)) return;
    const entry: Record<string, unknown> = { time: now().toISOString(), level: at, event };
    const context = logContext.getStore();
    const clean = redact(context ? { ...context, ...fields } : fields) as Record<string, unknown>;
    // The three envelope fields always mean what they say, whatever a caller passes.
    for (const [key, value] of Object.entries(clean)) if (!Object.hasOwn(entry, key)) entry[key] = value;
    write(JSON.stringify(entry));
  };
  return {
    debug: (event, fields) => emit("debug", event, fields),
    info: (event, fields) => emit("info", event, fields),
    warn: (event, fields) => emit("warn", event, fields),
    error: (event, fields) => emit("error", event, fields),
    enabled,
  };
}

/** The process's logger, at LOG_LEVEL. */
export const log: Logger = createLogger({ level: env.LOG_LEVEL });
