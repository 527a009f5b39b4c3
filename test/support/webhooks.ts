/**
 * A real HTTP receiver for webhook tests (node:http on a free port): records every request with its headers and
 * raw body, and answers as each path's script says (a status per call, then the last one again).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedWebhook = {
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  at: number;
};

export async function startWebhookReceiver(scripts: Record<string, number[]> = {}) {
  const received: ReceivedWebhook[] = [];
  const calls = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({
        path,
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      });
      const n = calls.get(path) ?? 0;
      calls.set(path, n + 1);
      const script = scripts[path] ?? [200];
      const status = script[Math.min(n, script.length - 1)] ?? 200;
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status < 300 ? "ok" : `failing on purpose (call ${n + 1})`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    /** Requests to `path` so far. */
    to: (path: string) => received.filter((r) => r.path === path),
    async waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!(await predicate())) {
        if (Date.now() > deadline) throw new Error(`timed out; received ${received.length} requests`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
