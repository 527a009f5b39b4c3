import "server-only";
import { headers } from "next/headers";
import type { RequestMeta } from "./actor";

/**
 * The client's IP is the LAST X-Forwarded-For entry: Next.js sets the header from the socket when it is
 * absent, and a reverse proxy that appends ($proxy_add_x_forwarded_for) puts the address it saw last.
 * Entries further left are whatever the client claimed. Run the console behind a proxy that sets the
 * header (docs/operations.md); without one, a client can choose its own per-IP throttle bucket.
 */
export function metaFromHeaders(h: Headers): RequestMeta {
  const forwarded = h.get("x-forwarded-for");
  const ip = forwarded ? (forwarded.split(",").pop()?.trim() ?? null) : (h.get("x-real-ip") ?? null);
  return { ip: ip || null, userAgent: h.get("user-agent") };
}

export async function currentRequestMeta(): Promise<RequestMeta> {
  return metaFromHeaders(await headers());
}
