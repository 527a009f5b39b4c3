/**
 * The only reader of `process.env`. Every variable is declared, validated and documented here and in
 * `.env.example`; `next.config.ts` imports this module so a bad environment fails the build with a message
 * naming the variable.
 *
 * No `import "server-only"` here: next.config.ts and the launcher load this file outside React's server
 * environment, where that import throws. The browser guard below protects secrets instead.
 */
import { z } from "zod";
import { LOCALES } from "./i18n/locales";

if (typeof window !== "undefined") {
  throw new Error("lib/env.ts is server-only: it must never be imported by client components.");
}

/** Treat `VAR=` (empty) as unset, as most .env tooling does. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

const booleanFlag = (defaultValue: boolean) =>
  z
    .preprocess(
      (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
      z.enum(["true", "false", "1", "0"]).optional(),
    )
    .transform((v) => (v === undefined ? defaultValue : v === "true" || v === "1"));

const port = (defaultValue: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().int().min(0).max(65535).default(defaultValue),
  );

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A whole-number setting within [min, max]; empty means the default. */
function intSetting(min: number, max: number, fallback: number) {
  return z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().int().min(min).max(max).default(fallback),
  );
}

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),

  // --- database -------------------------------------------------------------------------------------------
  /** PostgreSQL connection string. Unset: the embedded PGlite database in DATA_DIR is used (demo mode). */
  DATABASE_URL: optional(
    z
      .string()
      .regex(
        /^postgres(ql)?:\/\//,
        "must be a postgresql:// connection string, e.g. postgresql://user:pass@host:5432/db",
      ),
  ),
  /** Connections per process in the Prisma pool. */
  DATABASE_POOL_SIZE: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().int().min(1).max(100).default(10),
  ),
  /** Only for `prisma migrate dev` against PostgreSQL: an empty database the CLI may wipe. */
  SHADOW_DATABASE_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection string"),
  ),
  /** Where embedded-mode state lives: the PGlite database, generated keys and secrets. */
  DATA_DIR: z.string().min(1).default(".data"),
  /** Where the embedded database keeps its files (default DATA_DIR/pglite); `memory://` for a throw-away one. */
  EMBEDDED_DB_PATH: optional(z.string().min(1)),
  /** Port of the embedded database's Postgres wire-protocol server; 0 picks a free port at start. */
  EMBEDDED_DB_PORT: port(0),
  /** Set by the launcher for the processes it starts; not meant to be set by hand. */
  HONGBAO_DEMO: booleanFlag(false),
  /**
   * Tests only: the process kills itself (SIGKILL) when it reaches this named crash point, to prove that every
   * in-flight state is resolved by a sweeper whatever line a process dies at (lib/runtime/crash-point.ts).
   */
  HONGBAO_CRASH_AT: optional(z.string().regex(/^[a-z0-9._-]+$/, "must be a crash point name")),

  // --- web server and sessions ---------------------------------------------------------------------------
  /** HTTP port of the console. */
  PORT: port(3000),
  /** Secret that encrypts session cookies (≥ 32 characters; `openssl rand -base64 32`). Generated in demo mode. */
  AUTH_SECRET: optional(z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)")),
  /** Public base URL of the console, e.g. https://hongbao.example.com (needed behind some proxies). */
  AUTH_URL: optional(z.url("must be an absolute URL such as https://hongbao.example.com")),
  /** Trust the Host / X-Forwarded-Host headers (true for self-hosting behind your own proxy). */
  AUTH_TRUST_HOST: booleanFlag(true),
  /** Session lifetime in hours. */
  SESSION_MAX_AGE_HOURS: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
  ),

  // --- Alipay ----------------------------------------------------------------------------------------------
  // Unset ALIPAY_GATEWAY in demo mode: the launcher starts the local simulator and fills in all of these.
  /** Application id from the Alipay open platform (开放平台 APPID). */
  ALIPAY_APP_ID: optional(
    z.string().regex(/^\d{16}$/, "must be the 16-digit Alipay APPID, e.g. 2021000122671080"),
  ),
  /** The app's RSA2 private key: PEM (one line with \n escapes is fine) or the bare base64 body. */
  ALIPAY_PRIVATE_KEY: optional(z.string().min(100, "does not look like an RSA private key")),
  /** Encoding of ALIPAY_PRIVATE_KEY: PKCS8 (what Alipay's key tool makes, "BEGIN PRIVATE KEY") or PKCS1. */
  ALIPAY_KEY_TYPE: z.enum(["PKCS8", "PKCS1"], "must be PKCS8 or PKCS1").default("PKCS8"),
  /** Alipay's public key (支付宝公钥) that signs responses and notifications; PEM or bare base64. */
  ALIPAY_PUBLIC_KEY: optional(z.string().min(100, "does not look like an RSA public key")),
  /** Certificate mode instead of ALIPAY_PUBLIC_KEY: the three certificates (PEM text or a file path). */
  ALIPAY_APP_CERT: optional(z.string().min(1)),
  ALIPAY_PUBLIC_CERT: optional(z.string().min(1)),
  ALIPAY_ROOT_CERT: optional(z.string().min(1)),
  /** v2 gateway. Production: https://openapi.alipay.com/gateway.do; sandbox: https://openapi-sandbox.dl.alipaydev.com/gateway.do */
  ALIPAY_GATEWAY: optional(z.url("must be a URL such as https://openapi.alipay.com/gateway.do")),
  /** Per-call timeout in milliseconds (the SDK applies it to headers and body separately). */
  ALIPAY_TIMEOUT_MS: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().int().min(500).max(60_000).default(5000),
  ),
  /** Most Alipay calls per second from all processes together (Alipay quotes 10 TPS for B2C red packets). */
  ALIPAY_MAX_QPS: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().int().min(1).max(5000).default(10),
  ),
  /**
   * Most uni.transfer red packets (TRANSFER rail) per second from all processes together, within ALIPAY_MAX_QPS
   * (Alipay allows about 10 TPS for B2C red packets).
   */
  ALIPAY_TRANSFER_MAX_QPS: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().int().min(1).max(5000).default(10),
  ),
  /** Public URL Alipay posts asynchronous notifications to (…/api/alipay/notify). */
  ALIPAY_NOTIFY_URL: optional(z.url("must be an absolute URL reachable by Alipay")),
  /**
   * The merchant's partner id (PID, 2088 + 12 digits) behind ALIPAY_APP_ID: the payer of fund-coupon agreement
   * pay (alipay.fund.coupon.order.agreement.pay requires payer_user_id to be the calling app's PID).
   */
  ALIPAY_MERCHANT_PID: optional(
    z.string().regex(/^2088\d{12}$/, "must be the 16-digit PID, e.g. 2088101000000001"),
  ),

  // --- local Alipay simulator (demo mode and `npm run sim`) --------------------------------------------------
  /** Port of the simulator; 0 picks a free port. */
  SIM_PORT: port(4010),
  /** Keep simulator state in this JSON file so a demo survives restarts (default DATA_DIR/simulator.json). */
  SIM_STATE_FILE: optional(z.string().min(1)),
  /** Faults to inject from the start, as JSON (same shape as POST /__sim/faults). */
  SIM_FAULTS: optional(z.string().min(2)),

  // --- background jobs -----------------------------------------------------------------------------------------
  /** Run the job worker inside the web server (single node). Set false when running `npm run worker` apart. */
  JOBS_IN_WEB: booleanFlag(true),
  /** Payout sends in flight at once per dispatching process (Alipay's latency should be the limit, not this). */
  PAYOUT_CONCURRENCY: intSetting(1, 1024, 64),
  /** How long a worker's claim on a payout lasts (ms); after it a dead worker's payout is resolved by another. */
  PAYOUT_LEASE_MS: intSetting(1000, 3_600_000, 60_000),
  /** First wait before an unknown outcome is tried again with the same key (ms), doubled per attempt. */
  PAYOUT_RETRY_BASE_MS: intSetting(50, 600_000, 5000),
  /** Calls for one payout before it goes to a person (NEEDS_ATTENTION), never with a new key. */
  PAYOUT_MAX_ATTEMPTS: intSetting(1, 100, 12),
  /** How often a dispatcher looks for due payouts and expired leases when nothing nudged it (ms). */
  PAYOUT_POLL_MS: intSetting(50, 60_000, 1000),
  /** How often the webhook relay hands new deliveries to the job queue (ms). */
  WEBHOOK_POLL_MS: intSetting(50, 60_000, 1000),
  /** Wait before a failed webhook attempt is retried (s), doubled per retry, plus up to as much again at random. */
  WEBHOOK_RETRY_BASE_SECONDS: intSetting(1, 3600, 20),
  /** Attempts per webhook delivery, the first included; 13 spread over about a day with the 20 s base. */
  WEBHOOK_MAX_ATTEMPTS: intSetting(1, 30, 13),
  /**
   * How long one webhook attempt may stay running (s) before pg-boss fails its job (and retries it if attempts
   * remain): how soon a delivery held by a process that died is taken up again. At least twice the attempt's
   * 10 s request timeout (the worker refuses to start otherwise); tests use a few seconds with a shorter timeout.
   */
  WEBHOOK_JOB_EXPIRE_SECONDS: intSetting(2, 3600, 60),
  /**
   * How often each job process (npm run worker, or a web server with JOBS_IN_WEB) records its heartbeat (s). A
   * process whose last beat is older than three of these is not counted as live by /api/health.
   */
  WORKER_HEARTBEAT_SECONDS: intSetting(1, 300, 15),
  /** Minutes between background syncs of campaigns with Alipay (1–30). */
  CAMPAIGN_SYNC_MINUTES: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().int().min(1).max(30).default(2),
  ),

  // --- presentation ----------------------------------------------------------------------------------------
  /** Language for people who have not chosen one. */
  DEFAULT_LOCALE: z.enum(LOCALES).default("zh-CN"),
  /** IANA time zone in which dates are shown. */
  DISPLAY_TIME_ZONE: z
    .string()
    .default("Asia/Shanghai")
    .refine(isValidTimeZone, "must be an IANA time zone such as Asia/Shanghai"),
  /**
   * Bearer token that opens /api/metrics to a Prometheus scraper (`Authorization: Bearer …`); unset, only a
   * signed-in user with settings:manage can read it.
   */
  METRICS_TOKEN: optional(z.string().min(32, "must be at least 32 characters (try: openssl rand -hex 32)")),
  /** Minimum level of server log lines. */
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(public readonly problems: Array<{ variable: string; message: string }>) {
    super(
      "Invalid environment configuration:\n" +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n") +
        "\nSee .env.example for every variable and its format.",
    );
    this.name = "EnvError";
  }
}

/** Parses and validates an environment; throws EnvError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "(environment)"),
        message: issue.message,
      })),
    );
  }
  return result.data;
}

/**
 * Rules that only apply to a running server (not to `next build`): a production database needs a real secret.
 * Returns the problems rather than throwing so the launcher can print them all.
 */
export function runtimeProblems(e: Env): Array<{ variable: string; message: string }> {
  const problems: Array<{ variable: string; message: string }> = [];
  // With a gateway configured (or a production database without one, i.e. real Alipay), keys are required.
  if (e.ALIPAY_GATEWAY || e.DATABASE_URL) {
    if (!e.ALIPAY_APP_ID) problems.push({ variable: "ALIPAY_APP_ID", message: "is required to call Alipay" });
    if (!e.ALIPAY_PRIVATE_KEY)
      problems.push({ variable: "ALIPAY_PRIVATE_KEY", message: "is required to call Alipay" });
    const certMode = e.ALIPAY_APP_CERT || e.ALIPAY_PUBLIC_CERT || e.ALIPAY_ROOT_CERT;
    if (certMode) {
      for (const variable of ["ALIPAY_APP_CERT", "ALIPAY_PUBLIC_CERT", "ALIPAY_ROOT_CERT"] as const) {
        if (!e[variable])
          problems.push({ variable, message: "is required in certificate mode (set all three)" });
      }
    } else if (!e.ALIPAY_PUBLIC_KEY) {
      problems.push({
        variable: "ALIPAY_PUBLIC_KEY",
        message:
          "is required: responses and notifications are always verified (or set the three ALIPAY_*_CERT)",
      });
    }
  }
  if (e.DATABASE_URL && !e.AUTH_SECRET) {
    problems.push({
      variable: "AUTH_SECRET",
      message: "is required when DATABASE_URL is set (generate one with: openssl rand -base64 32)",
    });
  }
  return problems;
}

export const env: Env = parseEnv(process.env);

/** Demo mode: no production database configured, so the embedded database and demo accounts are used. */
export const isDemoMode: boolean = env.HONGBAO_DEMO || !env.DATABASE_URL;

/** The launcher starts the local simulator when no database and no gateway are configured. */
export function usesSimulator(e: Env): boolean {
  return !e.DATABASE_URL && !e.ALIPAY_GATEWAY;
}
