/**
 * Loads `.env*` files into the environment for processes that Next.js does not start itself (the launcher,
 * the Prisma CLI, tests), using Next's own loader so the precedence rules are identical everywhere.
 * Import it first, before `lib/env.ts`.
 */
import nextEnv from "@next/env";

nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production", {
  info: () => {},
  error: console.error,
});
