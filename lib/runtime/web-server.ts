/**
 * The production web server that `npm start` runs (the launcher starts it in its own process, in place of
 * `next start`): a plain Node HTTP server in front of Next's request handler, so that every request gets one
 * structured log line and an `x-request-id` (lib/runtime/request-log.ts). `next start` has no request log.
 *
 * Behind the handler it is Next's own production server, the same router `next start` uses: proxy.ts, server
 * actions, route handlers and the instrumentation.ts start-up work (run once, during prepare()) are unchanged.
 *
 * Started as `node --import tsx/esm lib/runtime/web-server.ts`: plain Node with tsx's ESM loader for this
 * file and the few it imports, without the react-server condition the launcher runs under (Next loads React
 * itself, and Next's own CommonJS files are left to Node's loader).
 */
import http from "node:http";
import next from "next";
import { env } from "../env";
import { log } from "../log";
import { withRequestLog } from "./request-log";

// How long open requests may take to finish after SIGTERM/SIGINT before the process exits anyway.
const SHUTDOWN_GRACE_MS = 10_000;

const started = Date.now();
const app = next({ dev: false, dir: process.cwd(), port: env.PORT });
try {
  await app.prepare();
} catch (error) {
  // e.g. no production build, or a build from another Next version: say so in the log and stop.
  log.error("server.start-failed", { error });
  process.exit(1);
}
const handle = app.getRequestHandler();

const server = http.createServer(withRequestLog((req, res) => handle(req, res), log));
server.on("error", (error) => {
  log.error("server.error", { error, port: env.PORT });
  process.exit(1);
});
server.listen(env.PORT, () => {
  log.info("server.listening", {
    url: `http://localhost:${env.PORT}`,
    mode: "production",
    readyMs: Date.now() - started,
  });
});

let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) return; // the launcher forwards the signal a terminal already sent to the whole group
  stopping = true;
  log.info("server.stopping", { signal });
  setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
  // Stop accepting connections and let requests in flight finish, then let Next finish its own work.
  server.close(() => {
    void app.close().finally(() => process.exit(0));
  });
  server.closeIdleConnections();
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
