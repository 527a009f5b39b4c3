/**
 * One `http.request` log line per request served by the production web server (lib/runtime/web-server.ts):
 * method, path, query keys, status, latency and a request id, which is also sent back as `x-request-id`.
 *
 * Query values are never logged (a filter, a return URL or a crowd number can carry something private); their
 * names are enough to tell requests apart. Next's static assets and the client router's prefetches (every
 * sidebar link is prefetched on every page) are logged at debug level only: they are many and say nothing about
 * what anyone did.
 */
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { withLogContext, type Logger } from "../log";

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export const REQUEST_ID_HEADER = "x-request-id";

// An id set by the reverse proxy in front (nginx's $request_id, a load balancer's) is kept so its access log
// and ours can be joined; anything else is replaced by a fresh one.
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const QUIET_PATHS = [/^\/_next\/static\//, /^\/_next\/image(\/|$)/, /^\/favicon\.ico$/];
// How Next's client router marks a prefetch (next/dist/client/components/app-router-headers).
const PREFETCH_HEADERS = ["next-router-prefetch", "next-router-segment-prefetch"];
const MAX_PATH_LENGTH = 512;
const MAX_QUERY_KEYS = 20;

/** The path of a request target and the distinct names of its query parameters (never their values). */
export function describeTarget(url: string | undefined): { path: string; queryKeys: string[] } {
  const target = (url ?? "/").split("#", 1)[0] ?? "/";
  const mark = target.indexOf("?");
  const path = (mark < 0 ? target : target.slice(0, mark)).slice(0, MAX_PATH_LENGTH) || "/";
  if (mark < 0) return { path, queryKeys: [] };
  const keys = new Set<string>();
  for (const key of new URLSearchParams(target.slice(mark + 1)).keys()) {
    if (keys.size >= MAX_QUERY_KEYS) break;
    keys.add(key.slice(0, 64));
  }
  return { path, queryKeys: [...keys] };
}

function requestId(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === "string" && ACCEPTED_REQUEST_ID.test(given) ? given : crypto.randomUUID();
}

/**
 * Wraps a request listener so that every request is logged once, when its response is finished or the client
 * goes away. A listener that throws answers 500 (or drops a response already under way) and logs the error.
 */
export function withRequestLog(listener: RequestListener, logger: Logger): RequestListener {
  return async (req, res) => {
    const started = performance.now();
    const id = requestId(req);
    // Server code can read the same id with headers(), and a server action that redirects passes it on to
    // the request Next makes to itself for the target page, so both lines carry it. The response header is
    // set before Next starts the response, after which headers can no longer be added.
    req.headers[REQUEST_ID_HEADER] = id;
    res.setHeader(REQUEST_ID_HEADER, id);

    const { path, queryKeys } = describeTarget(req.url);
    const quiet =
      QUIET_PATHS.some((pattern) => pattern.test(path)) ||
      PREFETCH_HEADERS.some((header) => req.headers[header] !== undefined);
    res.once("close", () => {
      const status = res.statusCode;
      const level = status >= 500 ? "error" : quiet ? "debug" : "info";
      logger[level]("http.request", {
        method: req.method ?? "GET",
        path,
        ...(queryKeys.length > 0 ? { query: queryKeys } : {}),
        status,
        latencyMs: Math.round(performance.now() - started),
        requestId: id,
        // The client went away before the whole response was sent.
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });

    try {
      // Every line logged while handling the request carries its id (e.g. `payout.moved` of a payout it asks for).
      await withLogContext({ requestId: id }, () => listener(req, res));
    } catch (error) {
      logger.error("http.error", { requestId: id, method: req.method, path, error });
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader("content-type", "text/plain; charset=utf-8");
        res.end("Internal Server Error");
      } else {
        res.destroy();
      }
    }
  };
}
