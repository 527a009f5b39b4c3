/**
 * Child process for the health tests: prints what /api/health would answer (lib/runtime/health.ts) in a process
 * with its own environment, so a test can give it an unreachable database or a broken Alipay key without
 * disturbing its own process. Prints one JSON line and exits.
 */
import { healthReport } from "@/lib/runtime/health";

// No time limit that the machine's load could decide: a refused connection fails at once anyway.
const report = await healthReport({ timeoutMs: 120_000 });
console.log(JSON.stringify(report));
process.exit(0);
