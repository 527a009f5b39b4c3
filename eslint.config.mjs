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
