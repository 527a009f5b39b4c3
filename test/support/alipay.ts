/**
 * A real simulator on a free port and AlipayClients pointed at it through the real alipay-sdk over HTTP.
 * Each test file starts its own, so fault injection in one cannot disturb another.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { AlipayClient, type AlipayClientConfig } from "@/lib/alipay/client";
import { generateKeyPair, startSimulator, type Simulator, type SimulatorOptions } from "@/lib/alipay-sim";

export const TEST_APP_ID = "2021000000000042";

export type TestAlipay = {
  sim: Simulator;
  keys: { app: ReturnType<typeof generateKeyPair>; alipay: ReturnType<typeof generateKeyPair> };
  client(overrides?: Partial<AlipayClientConfig>): AlipayClient;
  admin<T = unknown>(path: string, body?: unknown): Promise<T>;
};

export async function startTestAlipay(options: Partial<SimulatorOptions> = {}): Promise<TestAlipay> {
  const keys = { app: generateKeyPair(), alipay: generateKeyPair() };
  const sim = await startSimulator({
    port: 0,
    apps: [{ appId: TEST_APP_ID, publicKey: keys.app.publicKey }],
    alipayPrivateKey: keys.alipay.privateKey,
    ...options,
  });
  return {
    sim,
    keys,
    client: (overrides = {}) =>
      new AlipayClient({
        appId: TEST_APP_ID,
        privateKey: keys.app.privateKey,
        keyType: "PKCS8",
        alipayPublicKey: keys.alipay.publicKey,
        gateway: sim.gatewayUrl,
        timeoutMs: 3000,
        maxQps: 1000,
        ...overrides,
      }),
    admin: async <T>(path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${sim.url}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok)
        throw new Error(`simulator ${path}: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
}

/** A tiny HTTP endpoint standing in for the console's notify URL: records form posts, answers `success`. */
export async function startReceiver(answer = "success") {
  const received: Array<Record<string, string>> = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push(Object.fromEntries(new URLSearchParams(body)));
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    received,
    async waitFor(count: number, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} notifications, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
