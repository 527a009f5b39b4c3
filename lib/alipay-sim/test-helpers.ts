/**
 * Shared set-up for the simulator's own tests: real keys, a real simulator on a free port, the real alipay-sdk,
 * and a tiny HTTP receiver standing in for the console's notify endpoints. Nothing here mocks anything.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { AlipaySdk } from "alipay-sdk";
import { generateKeyPair } from "./keys";
import { startSimulator, type Simulator, type SimulatorOptions } from "./server";
import type { LedgerEntry } from "./store";

export const APP_ID = "2021000000000001";

export type TestKeys = {
  app: ReturnType<typeof generateKeyPair>;
  alipay: ReturnType<typeof generateKeyPair>;
};

export function makeKeys(): TestKeys {
  return { app: generateKeyPair(), alipay: generateKeyPair() };
}

/** Beijing wall-clock time written independently of lib/alipay-sim/time.ts: shift by 8 h, print as UTC. */
export function beijing(ms: number = Date.now()): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace("T", " ").slice(0, 19);
}

/** The SDK's business answers: strings mostly, a few numbers and arrays (camelCased by the SDK). */
export type SdkResult = Record<string, unknown> & {
  code: string;
  msg: string;
  subCode?: string;
  subMsg?: string;
};

export type TestBed = {
  sim: Simulator;
  sdk: AlipaySdk;
  keys: TestKeys;
  /**
   * sdk.exec with validateSign, stamping `timestamp` in Beijing time: the SDK would use the process's zone (UTC
   * here), which the gateway rightly rejects. A caller-supplied `timestamp` overrides the SDK's own.
   */
  exec(
    method: string,
    bizContent: Record<string, unknown>,
    extra?: Record<string, unknown>,
  ): Promise<SdkResult>;
  admin<T = unknown>(path: string, body?: unknown): Promise<{ status: number; data: T }>;
  ledger(): LedgerEntry[];
};

export async function startTestBed(
  keys: TestKeys,
  options: Partial<SimulatorOptions> = {},
  sdkOptions: { timeout?: number } = {},
): Promise<TestBed> {
  const sim = await startSimulator({
    port: 0,
    apps: [{ appId: APP_ID, publicKey: keys.app.publicKey }],
    alipayPrivateKey: keys.alipay.privateKey,
    notifyRetryDelaysMs: [20, 20, 20],
    ...options,
  });
  const sdk = new AlipaySdk({
    appId: APP_ID,
    privateKey: keys.app.privateKey,
    keyType: "PKCS8",
    alipayPublicKey: keys.alipay.publicKey,
    gateway: sim.gatewayUrl,
    ...sdkOptions,
  });
  return {
    sim,
    sdk,
    keys,
    async exec(method, bizContent, extra = {}) {
      const result = await sdk.exec(
        method,
        { timestamp: beijing(), bizContent, ...extra },
        { validateSign: true },
      );
      return result as unknown as SdkResult;
    },
    async admin<T>(path: string, body?: unknown) {
      const response = await fetch(`${sim.url}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, data: (await response.json()) as T };
    },
    ledger: () => sim.ledger(),
  };
}

export type Received = { fields: Record<string, string>; raw: string };

/** A stand-in for the console's notify endpoint / 应用网关: records every POST and answers as told. */
export async function startReceiver(
  answer: (attempt: number, fields: Record<string, string>) => string = () => "success",
) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const fields = Object.fromEntries(new URLSearchParams(raw));
      received.push({ fields, raw });
      res.end(answer(received.length, fields));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls until `check` returns a value (for asynchronous notifications); the deadline is a hang guard, not a metric. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  deadlineMs = 10_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - start > deadlineMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function sumFen(entries: LedgerEntry[]): number {
  return entries.reduce((total, entry) => total + entry.amountFen, 0);
}
