import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [
      ".next/**",
      "generated/**",
      "node_modules/**",
      ".data/**",
      ".scratch/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through lib/env.ts." },
      ],
      "no-restricted-syntax": [
        "error",
        {
          // A query on the outer client inside `db.$transaction(async (tx) => …)` waits for the transaction
          // that waits for it (the embedded database runs one connection at a time). Helpers called inside a
          // transaction take the client as a parameter, so passing `db` there is caught too.
          selector: "CallExpression[callee.property.name='$transaction'] > :function Identifier[name='db']",
          message: "Inside a transaction use only its client (tx), never the outer `db`.",
        },
      ],
    },
  },
  {
    // The layer rule (DESIGN.md §1): routes and UI go through services; only lib/ talks to the database and Alipay.
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@/lib/db", message: "Pages and components call a service in lib/<domain>/ instead." },
            {
              name: "@/lib/alipay",
              message: "Pages and components call a service in lib/<domain>/ instead.",
            },
          ],
          patterns: [
            {
              group: ["@/lib/alipay/*", "@/lib/alipay-sim", "@/lib/alipay-sim/*"],
              message: "Alipay's wire format stays in lib/.",
            },
            {
              group: [
                "@/generated/prisma/client",
                "@/generated/prisma/models",
                "@/generated/prisma/internal/*",
              ],
              message:
                "Use the service's view types; only enums (@/generated/prisma/enums) may be imported here.",
            },
          ],
        },
      ],
    },
  },
  {
    // The places allowed to touch process.env: the env module itself, the loader of .env files, the Prisma
    // workaround that provides a placeholder URL, Next's start-up hook, and test/CI harnesses.
    files: [
      "lib/env.ts",
      "lib/load-env-files.ts",
      "prisma.config.ts",
      "instrumentation.ts",
      "lib/runtime/**",
      "vitest.config.ts",
      "playwright.config.ts",
      "test/**",
      "e2e/**",
      "bench/**",
      "scripts/**",
    ],
    rules: { "no-restricted-properties": "off" },
  },
];

export default config;
