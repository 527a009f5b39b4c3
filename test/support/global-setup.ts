/**
 * One database for the whole Vitest run, migrated with the real `prisma migrate deploy`:
 * - TEST_DATABASE_URL set (PostgreSQL): a fresh database is created on that server and dropped afterwards;
 * - otherwise: an in-memory embedded PGlite served over the wire protocol, exactly as in demo mode.
 */
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "../../lib/runtime/embedded-database";
import { migrateDeploy } from "../../lib/runtime/migrate";

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `hongbao_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = withDatabase(serverUrl, name);
    await migrateDeploy(url, { quiet: true });
    project.provide("databaseUrl", url);
    project.provide("databaseKind", "postgresql");
    console.log(`[test] PostgreSQL database ${name}`);
    return async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    };
  }
  const database = await startEmbeddedDatabase("memory://", 0);
  await migrateDeploy(database.url, { quiet: true });
  project.provide("databaseUrl", database.url);
  project.provide("databaseKind", "pglite");
  console.log("[test] embedded PGlite database (in memory)");
  return () => database.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: "postgresql" | "pglite";
  }
}
