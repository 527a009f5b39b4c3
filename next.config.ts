import type { NextConfig } from "next";
// Validates the environment at build and start: a bad value fails here with the variable's name.
import "./lib/env";

const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/**
 * Route handlers answer JSON, CSV or text, which loads nothing and is never framed. Pages get their nonce policy
 * from proxy.ts, which does not run for /api (docs/benchmarks.md).
 */
const apiContentSecurityPolicy = {
  key: "Content-Security-Policy",
  value: "default-src 'none'; frame-ancestors 'none'",
};

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Native and WebAssembly packages are loaded from node_modules at run time rather than bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg-boss"],
  experimental: {
    // forbidden() renders app/forbidden.tsx with HTTP 403.
    authInterrupts: true,
    // Batch files (up to 10 MiB, lib/batches/limits.ts) are uploaded to server actions as multipart form data;
    // the proxy buffers request bodies too, so both limits leave room for the form's own bytes.
    serverActions: { bodySizeLimit: "11mb" },
    proxyClientMaxBodySize: "11mb",
  },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [apiContentSecurityPolicy] },
    ];
  },
};

export default nextConfig;
