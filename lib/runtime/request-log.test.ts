/**
 * The request log around a plain Node handler on a real HTTP server (the production server puts Next's handler
 * in its place: lib/runtime/web-server.ts).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../log";
import { describeTarget, withRequestLog, type RequestListener } from "./request-log";

type Entry = Record<string, unknown>;
const lines: string[] = [];
const entries = () => lines.map((line) => JSON.parse(line) as Entry);
const logger = createLogger({ level: "debug", write: (line) => lines.push(line) });

const handler: RequestListener = async (req, res) => {
  const url = req.url ?? "/";
  if (url.startsWith("/boom")) throw new Error("handler failed");
  if (url.startsWith("/missing")) res.statusCode = 404;
  // What server code would read with headers(): the same id that is logged and returned.
  res.setHeader("x-seen-request-id", String(req.headers["x-request-id"]));
  res.end("hello");
};

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer(withRequestLog(handler, logger));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  lines.length = 0;
});

/** The log line is written when the response closes, which may be just after the client has read it. */
async function logged(count: number): Promise<Entry[]> {
  for (let i = 0; i < 100 && lines.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  return entries();
}

describe("withRequestLog", () => {
  it("logs one line per request with method, path, query keys, status, latency and the request id", async () => {
    const response = await fetch(`${base}/campaigns?status=ACTIVE&q=secret-name&q=again`);
    expect(await response.text()).toBe("hello");
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("x-seen-request-id")).toBe(id);

    const [entry, ...rest] = await logged(1);
    expect(rest).toHaveLength(0);
    expect(entry).toMatchObject({
      level: "info",
      event: "http.request",
      method: "GET",
      path: "/campaigns",
      query: ["status", "q"],
      status: 200,
      requestId: id,
    });
    expect(typeof entry?.latencyMs).toBe("number");
    expect(entry?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(lines[0]).not.toContain("secret-name");
    expect(lines[0]).not.toContain("ACTIVE");
  });

  it("keeps a well-formed request id from the proxy in front and replaces a malformed one", async () => {
    const kept = await fetch(`${base}/x`, { headers: { "x-request-id": "nginx-4f2a9c" } });
    expect(kept.headers.get("x-request-id")).toBe("nginx-4f2a9c");
    const replaced = await fetch(`${base}/x`, { headers: { "x-request-id": 'bad id"}' } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const logs = await logged(2);
    expect(logs.map((e) => e.requestId)).toEqual(["nginx-4f2a9c", replaced.headers.get("x-request-id")]);
  });

  it("logs the status the handler chose, and static assets and prefetches at debug level only", async () => {
    await (await fetch(`${base}/missing`, { method: "POST", body: "x" })).text();
    await (await fetch(`${base}/_next/static/chunks/app.js`)).text();
    await (await fetch(`${base}/campaigns?_rsc=1`, { headers: { "next-router-prefetch": "1" } })).text();
    const logs = await logged(3);
    expect(logs.map((e) => [e.level, e.method, e.path, e.status])).toEqual([
      ["info", "POST", "/missing", 404],
      ["debug", "GET", "/_next/static/chunks/app.js", 200],
      ["debug", "GET", "/campaigns", 200],
    ]);
  });

  it("answers 500 when the handler throws, and logs the error and the request", async () => {
    const response = await fetch(`${base}/boom`);
    expect(response.status).toBe(500);
    const logs = await logged(2);
    expect(logs.map((e) => [e.event, e.level])).toEqual([
      ["http.error", "error"],
      ["http.request", "error"],
    ]);
    expect(logs[0]?.error).toMatchObject({ message: "handler failed" });
    expect(logs[1]).toMatchObject({ status: 500, path: "/boom" });
  });
});

describe("describeTarget", () => {
  it("drops query values and fragments", () => {
    expect(describeTarget("/campaigns/funded?crowdNo=2088&crowdNo=1#x")).toEqual({
      path: "/campaigns/funded",
      queryKeys: ["crowdNo"],
    });
    expect(describeTarget("/")).toEqual({ path: "/", queryKeys: [] });
    expect(describeTarget(undefined)).toEqual({ path: "/", queryKeys: [] });
  });
});
