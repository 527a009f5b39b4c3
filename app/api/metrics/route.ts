import { env } from "@/lib/env";
import { defineRoute } from "@/lib/http/route";
import { metrics } from "@/lib/metrics/collect";
import { EXPOSITION_CONTENT_TYPE, renderExposition } from "@/lib/metrics/exposition";

/**
 * Prometheus metrics in the text exposition format (docs/operations.md → Metrics): for a scraper bearing
 * METRICS_TOKEN, or a signed-in user with settings:manage. Figures are recomputed at most every 15 s.
 */
export const GET = defineRoute(
  "/api/metrics",
  async () =>
    new Response(renderExposition(await metrics()), {
      headers: { "content-type": EXPOSITION_CONTENT_TYPE, "cache-control": "no-store" },
    }),
  { bearerToken: env.METRICS_TOKEN },
);
