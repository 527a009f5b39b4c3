/**
 * Child process for the cross-process rate-limit test: one "web process" serving the payout request route
 * (POST /api/v1/campaigns/{campaignId}/payouts) over node:http, by calling the route module's exported handler
 * with a WHATWG Request as Next does. Prints `{"port":…}` once listening; stops by itself after <maxMs> so a
 * failed test cannot leave it running.
 * Usage: api-server-child.ts [maxMs]
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { POST } from "@/app/api/v1/campaigns/[campaignId]/payouts/route";

const maxMs = Number(process.argv[2] ?? 60_000);
const ROUTE = /^\/api\/v1\/campaigns\/([^/]+)\/payouts$/;

const server = http.createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const match = ROUTE.exec(url.pathname);
    if (req.method !== "POST" || !match?.[1]) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
        headers.append(name, v);
    }
    const response = await POST(new Request(url, { method: "POST", headers, body: Buffer.concat(chunks) }), {
      params: Promise.resolve({ campaignId: decodeURIComponent(match[1]) }),
    });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  })().catch((error: unknown) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});

server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port, pid: process.pid }));
});
setTimeout(() => {
  server.close();
  process.exit(3);
}, maxMs).unref();
