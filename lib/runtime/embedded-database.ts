/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) served over the Postgres wire protocol
 * (./pglite-wire-server.ts), so Prisma's pg adapter, `prisma migrate deploy` and pg-boss use it exactly like
 * PostgreSQL.
 *
 * It runs in the launcher process, not in the web server, so the synchronous WebAssembly work never blocks
 * request handling. PGlite executes one statement at a time; an open transaction blocks every other
 * connection until it ends (see docs/decisions/001-embedded-pglite.md).
 */
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { startWireServer } from "./pglite-wire-server";

export type EmbeddedDatabase = {
  url: string;
  port: number;
  stop: () => Promise<void>;
};

/** Enough for the web pool, pg-boss, the migration CLI and a psql session at once. */
const MAX_CONNECTIONS = 100;

/**
 * @param dataDir a directory for a durable database, or `memory://` for a throw-away one (tests)
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  preferredPort: number,
): Promise<EmbeddedDatabase> {
  if (dataDir !== "memory://") fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = await startWireServer(db, {
    host: "127.0.0.1",
    port: preferredPort, // 0: the OS picks a free one
    maxConnections: MAX_CONNECTIONS,
  });
  const port = server.port;
  let stopped = false;
  return {
    // PGlite ignores user and password; the database is always `postgres`. No TLS on loopback.
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}
