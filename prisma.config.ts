import "./lib/load-env-files";
import { defineConfig } from "prisma/config";
import { env } from "./lib/env";
import { patchPgCatalogTypes, provideSchemaDatasourceUrl, migrationAdapter } from "./prisma/workarounds";

patchPgCatalogTypes();
provideSchemaDatasourceUrl(process.env);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => {
    if (!env.DATABASE_URL) {
      throw new Error(
        "DATABASE_URL is not set. The Prisma CLI needs a database: `npm run dev` migrates the embedded one " +
          "automatically; for PostgreSQL set DATABASE_URL=postgresql://...",
      );
    }
    return migrationAdapter(env.DATABASE_URL, env.SHADOW_DATABASE_URL);
  },
});
