/**
 * The chaos suite's webhook endpoint: a tiny HTTP server standing in for the company's backend. It verifies each
 * delivery's signature on the raw body, answers 500 to a share of them (the console must retry), and records
 * which event ids it accepted with a 2xx, so the checks can match them against the console's delivery rows.
 */
import http from "node:http";
import { verifyWebhook } from "../../lib/webhooks/signing";

export type Receiver = {
  url: string;
  /** Event ids answered 2xx (a redelivery of an accepted event is counted in `duplicates`). */
  accepted: Set<string>;
  stats: { requests: number; answered500: number; badSignature: number; duplicates: number };
  setSecret(secret: string): void;
  close(): Promise<void>;
};

export async function startReceiver(port: number, failRate: number, random: () => number): Promise<Receiver> {
  let secret = "";
  const accepted = new Set<string>();
  const stats = { requests: 0, answered500: 0, badSignature: 0, duplicates: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      stats.requests += 1;
      const raw = Buffer.concat(chunks);
      const verdict = verifyWebhook(secret, req.headers, raw);
      if (!verdict.ok) {
        stats.badSignature += 1;
        res.writeHead(400).end(verdict.reason);
        return;
      }
      if (random() < failRate) {
        stats.answered500 += 1;
        res.writeHead(500).end("chaos: try again");
        return;
      }
      if (accepted.has(verdict.id)) stats.duplicates += 1;
      accepted.add(verdict.id);
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${port}/hongbao-webhooks`,
    accepted,
    stats,
    setSecret: (value) => (secret = value),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
