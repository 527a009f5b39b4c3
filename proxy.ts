/**
 * Runs before every page request. Two conveniences, neither of them security for data:
 * 1. sends visitors without a session cookie to /login (every page, action and route handler still checks
 *    the session and permission itself with requirePermission);
 * 2. sets a per-request nonce Content-Security-Policy, which Next applies to its own inline scripts.
 *
 * It only looks for the cookie and never decodes or re-issues it: Auth.js's proxy wrapper re-sets the session
 * cookie on every request, and a prefetch in flight during sign-out would bring the cookie back
 * (docs/decisions/003-sessions.md).
 */
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";

const PUBLIC_PAGES = ["/login"];

/**
 * Where a form may be posted besides the console: Alipay's gateway, for the page-pay cashier (the signed form is
 * posted there, and Alipay's real gateway redirects on to its cashier on another alipay.com host). The local
 * simulator and any other configured gateway are allowed by their own origin.
 */
function alipayFormTargets(): string {
  const gateway = env.ALIPAY_GATEWAY;
  if (!gateway) return "https://*.alipay.com";
  const origin = new URL(gateway).origin;
  if (origin.endsWith(".alipay.com")) return "https://*.alipay.com";
  if (origin.endsWith(".alipaydev.com")) return "https://*.alipaydev.com";
  return origin;
}

function contentSecurityPolicy(nonce: string): string {
  const dev = env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${alipayFormTargets()}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Auth.js's session cookie, plain or `__Secure-` prefixed (HTTPS), possibly split into `.0`, `.1`… chunks. */
function hasSessionCookie(request: NextRequest): boolean {
  return request.cookies.getAll().some((c) => /^(__Secure-)?authjs\.session-token(\.\d+)?$/.test(c.name));
}

export default function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const isPublic = PUBLIC_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`));
  // Only page visits are redirected: server-action POSTs reach the action, which answers UNAUTHENTICATED itself.
  const isPageVisit = request.method === "GET" || request.method === "HEAD";
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  if (!hasSessionCookie(request) && !isPublic && isPageVisit) {
    const login = new URL("/login", request.nextUrl);
    login.searchParams.set("callbackUrl", `${pathname}${search}`);
    // Every page response carries the policy, redirects included (e2e/security-headers.spec.ts).
    const redirect = NextResponse.redirect(login);
    redirect.headers.set("content-security-policy", csp);
    return redirect;
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Pages and server actions: not /api/… (route handlers check keys or sessions themselves and need no CSP; running
  // the proxy for them halved the machine API's throughput, docs/benchmarks.md), Next's static assets or the icon.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
