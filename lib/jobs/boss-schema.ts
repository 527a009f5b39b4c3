import "server-only";

/**
 * The PostgreSQL schema pg-boss keeps its tables in. Named once because the webhook sweep reads pg-boss's job
 * tables directly (lib/webhooks/sweep.ts), one join for all deliveries rather than a lookup per delivery.
 */
export const JOBS_SCHEMA = "pgboss";
