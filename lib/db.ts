import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/lib/env";

export type Db = PrismaClient;
/** The client handed to a `db.$transaction(async (tx) => ...)` callback. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
/** Either the root client or a transaction client: services that only write through it accept both. */
export type DbOrTx = Db | Tx;

function createClient(): PrismaClient {
  if (!env.DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is not set. Start the console with `npm run dev` or `npm start`, which provide the embedded " +
        "database, or set DATABASE_URL=postgresql://... (see README).",
    );
  }
  const adapter = new PrismaPg({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE });
  return new PrismaClient({ adapter });
}

// One client per process, kept across hot reloads in development (each reload would otherwise open a new pool).
const globalForDb = globalThis as unknown as { hongbaoPrisma?: PrismaClient };

function client(): PrismaClient {
  globalForDb.hongbaoPrisma ??= createClient();
  return globalForDb.hongbaoPrisma;
}

/**
 * The Prisma client, created on first use so that importing this module (e.g. while `next build` collects
 * page data) needs no database.
 */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const real = client();
    const value = Reflect.get(real, property, real);
    return typeof value === "function" ? value.bind(real) : value;
  },
});

/**
 * Options for short transactions that may queue behind many others (a burst of payout requests, a dispatcher
 * recording 64 answers): wait for a connection rather than fail after Prisma's 2-second default. None of them
 * holds its connection for long, so the queue drains; a caller still gets an error if the database is stuck.
 */
export const QUEUED_TRANSACTION = { maxWait: 20_000, timeout: 20_000 } as const;
