/**
 * A child process of bench/payout-dispatch.ts, so that the process being measured does not also pay for the
 * other side's CPU: `sim` runs the Alipay simulator (standing in for Alipay, which is remote in production),
 * `pglite` runs the embedded database (in production the launcher runs it in its own process, apart from the web
 * server and its dispatcher), `dispatcher` runs the console's dispatcher (`dispatcherFromEnv()`) as one worker
 * process of several (`--processes`). Started with `fork`; talks over IPC:
 *
 *   parent → child  { type: "start", ... }   child → parent  { type: "ready", url }
 *   parent → child  { type: "go" }           a dispatcher child starts dispatching (it is loaded and connected)
 *   parent → child  { type: "cpu", id }      child → parent  { type: "cpu", id, usage, inFlight }
 *                                            (process.cpuUsage(); a dispatcher's calls in flight, mean of samples
 *                                            every 10 ms since the last "cpu")
 *   parent → child  { type: "stop" }         the child stops what it runs and exits
 */
import { startSimulator, type FaultConfig } from "../lib/alipay-sim";
import { startEmbeddedDatabase } from "../lib/runtime/embedded-database";

export type ChildStart =
  | {
      type: "start";
      role: "sim";
      appId: string;
      appPublicKey: string;
      alipayPrivateKey: string;
      faults: FaultConfig;
    }
  | { type: "start"; role: "pglite" }
  /** `env`: the console's variables (DATABASE_URL, ALIPAY_*, PAYOUT_*), set before lib/env.ts is imported. */
  | { type: "start"; role: "dispatcher"; env: Record<string, string> };

type Message = ChildStart | { type: "cpu"; id: number } | { type: "go" } | { type: "stop" };

let stop: (() => Promise<void>) | null = null;
let go: (() => void) | null = null;
let inFlightSum = 0;
let inFlightSamples = 0;

function send(message: unknown): void {
  process.send?.(message);
}

process.on("message", (raw) => {
  const message = raw as Message;
  void (async () => {
    switch (message.type) {
      case "start": {
        if (message.role === "sim") {
          const sim = await startSimulator({
            port: 0,
            apps: [{ appId: message.appId, publicKey: message.appPublicKey }],
            alipayPrivateKey: message.alipayPrivateKey,
            faults: message.faults,
          });
          stop = () => sim.stop();
          send({ type: "ready", url: sim.url });
        } else if (message.role === "dispatcher") {
          Object.assign(process.env, message.env);
          const { db } = await import("../lib/db");
          const { dispatcherFromEnv } = await import("../lib/payouts/dispatch");
          await db.$queryRaw`SELECT 1`; // connected before "go", so start-up is not timed
          const dispatcher = dispatcherFromEnv();
          // Read-only, for the figures (the same private field the parent samples in its own process).
          const inFlight = (dispatcher as unknown as { inFlight: Set<unknown> }).inFlight;
          let sampler: NodeJS.Timeout | undefined;
          go = () => {
            dispatcher.start();
            sampler = setInterval(() => {
              inFlightSum += inFlight.size;
              inFlightSamples += 1;
            }, 10);
          };
          stop = async () => {
            clearInterval(sampler);
            await dispatcher.stop();
            await db.$disconnect();
          };
          send({ type: "ready", url: "" });
        } else {
          const database = await startEmbeddedDatabase("memory://", 0);
          stop = () => database.stop();
          send({ type: "ready", url: database.url });
        }
        return;
      }
      case "cpu": {
        const inFlight = inFlightSamples > 0 ? inFlightSum / inFlightSamples : null;
        inFlightSum = 0;
        inFlightSamples = 0;
        send({ type: "cpu", id: message.id, usage: process.cpuUsage(), inFlight });
        return;
      }
      case "go":
        go?.();
        return;
      case "stop":
        await stop?.();
        process.exit(0);
    }
  })().catch((error: unknown) => {
    console.error(`[bench child] ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  });
});

// The parent went away without saying stop: do not linger.
process.on("disconnect", () => process.exit(0));
