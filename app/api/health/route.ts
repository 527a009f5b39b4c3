import { defineRoute } from "@/lib/http/route";
import { databaseReachable } from "@/lib/runtime/health";

/** Liveness and database reachability for load balancers and the launcher. Public; reveals nothing. */
export const GET = defineRoute("/api/health", async () =>
  (await databaseReachable()) ? Response.json({ ok: true }) : Response.json({ ok: false }, { status: 503 }),
);
