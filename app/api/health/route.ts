import { defineRoute } from "@/lib/http/route";
import { healthReport } from "@/lib/runtime/health";

/**
 * Health for load balancers, monitors and the launcher: 200 when the database answers, a job process has beaten
 * recently and the Alipay configuration passed its self-check; 503 naming the failing checks otherwise
 * (docs/operations.md → Health). Public; reveals nothing sensitive.
 */
export const GET = defineRoute("/api/health", async () => {
  const report = await healthReport();
  return Response.json(report, {
    status: report.ok ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
});
