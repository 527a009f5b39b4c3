import { db } from "@/lib/db";

/** Liveness and database reachability for load balancers and the launcher. Public; reveals nothing. */
export async function GET() {
  try {
    await db.$queryRaw`SELECT 1`;
    return Response.json({ ok: true });
  } catch {
    return Response.json({ ok: false }, { status: 503 });
  }
}
