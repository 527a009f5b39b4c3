/**
 * Workarounds for Prisma 6.19.3 CLI + @prisma/adapter-pg. Everything odd about our Prisma set-up lives here.
 * Drop each one when the upstream fix ships (then delete this file and its import in prisma.config.ts).
 *
 * 1. adapter-pg 6.19.3 cannot deserialise the catalog types `name` (OID 19) and `"char"` (OID 18), which the
 *    migration engine reads while introspecting, so every `prisma migrate ...` fails with
 *    "Column type 'name' could not be deserialized from the database".
 *    Upstream: https://github.com/prisma/prisma/issues/27403 (fixed in adapter-pg 7.x, which maps NAME).
 *    Fix: rewrite those field type ids to `text` (25) in pg query results, CLI only.
 *
 * 2. adapter-pg 6.19.3's own `connectToShadowDb` replays migrations on the MAIN database when configured with a
 *    connection string (its shadow config is `{ ...config, database }` and the string wins), and with discrete
 *    fields drops the shadow database while its pool is still open. `migrate dev` therefore uses an explicit,
 *    pre-created shadow database from SHADOW_DATABASE_URL (see `migrationAdapter`).
 *
 * 3. Prisma 6 still validates `url = env("DATABASE_URL")` in schema.prisma even though the adapter supplies the
 *    connection, and when that fails `prisma generate` falls back to the native query engine and tries to download
 *    it from binaries.prisma.sh (unreachable here). `generate` needs no database, so a placeholder URL is
 *    provided when none is configured; it is never connected to (migrate commands use lib/env.ts, parsed earlier).
 *
 * 4. adapter-pg 6.19.3's `executeScript` splits a migration on every ";" and runs the pieces one by one, which
 *    breaks dollar-quoted function bodies (our append-only audit trigger) and applies a migration non-atomically.
 *    `migrationAdapter` sends the whole script as one simple-protocol query instead: PostgreSQL (and
 *    PGlite) run it as a single implicit transaction. Upstream: adapter-pg `executeScript` in
 *    packages/adapter-pg/src/pg.ts (same code in 7.x at the time of writing).
 */
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

const CATALOG_TYPE_IDS = new Set([18, 19]);
const TEXT_TYPE_ID = 25;

type QueryResultLike = { fields?: Array<{ dataTypeID: number }> };

function rewriteCatalogTypes<T>(result: T): T {
  const results = Array.isArray(result) ? result : [result];
  for (const r of results as QueryResultLike[]) {
    for (const field of r?.fields ?? []) {
      if (CATALOG_TYPE_IDS.has(field.dataTypeID)) field.dataTypeID = TEXT_TYPE_ID;
    }
  }
  return result;
}

/** Workaround 3: lets schema validation resolve env("DATABASE_URL") when no database is configured. */
export function provideSchemaDatasourceUrl(env: Record<string, string | undefined>): void {
  if (!env.DATABASE_URL) env.DATABASE_URL = "postgresql://placeholder@127.0.0.1:1/not-connected";
}

let patched = false;

export function patchPgCatalogTypes(): void {
  if (patched) return;
  patched = true;
  // `pg.Client.prototype.query` has many overloads; the patch forwards whatever it receives untouched.
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function patchedQuery(this: unknown, ...args: unknown[]) {
    const callbackIndex = args.findIndex((a) => typeof a === "function");
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as (err: unknown, res: unknown) => void;
      args[callbackIndex] = (err: unknown, res: unknown) =>
        callback(err, err ? res : rewriteCatalogTypes(res));
      return original.apply(this, args);
    }
    const returned = original.apply(this, args);
    if (returned && typeof (returned as Promise<unknown>).then === "function") {
      return (returned as Promise<unknown>).then(rewriteCatalogTypes);
    }
    return returned;
  };
}

type MigrationAdapterFactory = Pick<PrismaPg, "provider" | "adapterName" | "connect" | "connectToShadowDb">;

/**
 * The migration CLI's adapter: PrismaPg whose shadow database is SHADOW_DATABASE_URL, reset before each use.
 * A plain object with its own function properties, because the CLI copies the factory with object spread
 * (class methods would be lost, and `migrate dev` then reports "shadow DB must be provided through an
 * external factory").
 */
export function migrationAdapter(mainUrl: string, shadowUrl: string | undefined): MigrationAdapterFactory {
  const main = new PrismaPg({ connectionString: mainUrl, allowExitOnIdle: true, idleTimeoutMillis: 100 });
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => wholeScriptExecution(await main.connect()),
    connectToShadowDb: async () => {
      if (!shadowUrl) {
        throw new Error(
          "SHADOW_DATABASE_URL is required for `prisma migrate dev` (see docs/development.md).",
        );
      }
      const client = new pg.Client({ connectionString: shadowUrl });
      await client.connect();
      await client.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
      await client.end();
      return wholeScriptExecution(
        await new PrismaPg({ connectionString: shadowUrl, allowExitOnIdle: true }).connect(),
      );
    },
  };
}

type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;

/** Workaround 4: run a migration script as one multi-statement query (atomic, dollar-quoting safe). */
function wholeScriptExecution(adapter: PgAdapter): PgAdapter {
  adapter.executeScript = async (script: string) => {
    await adapter.underlyingDriver().query(script);
  };
  return adapter;
}
