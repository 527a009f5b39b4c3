import "server-only";
import { headers } from "next/headers";
import { env } from "@/lib/env";

/** The console's public origin: AUTH_URL when configured, otherwise what the browser used to reach us. */
export async function requestOrigin(): Promise<string> {
  if (env.AUTH_URL) return new URL(env.AUTH_URL).origin;
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? `localhost:${env.PORT}`;
  const proto = h.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}
