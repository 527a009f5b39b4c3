/**
 * A child process of bench/payout-dispatch.ts, so that the process being measured does not also pay for the
 * other side's CPU: `sim` runs the Alipay simulator (standing in for Alipay, which is remote in production),
 * `pglite` runs the embedded database (in production the launcher runs it in its own process, apart from the web
 * server and its dispatcher). Started with `fork`; talks over IPC:
 *
 *   parent → child  { type: "start", ... }   child → parent  { type: "ready", url }
 *   parent → child  { type: "cpu", id }      child → parent  { type: "cpu", id, usage }  (process.cpuUsage())
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
  | { type: "start"; role: "pglite" };

type Message = ChildStart | { type: "cpu"; id: number } | { type: "stop" };

let stop: (() => Promise<void>) | null = null;

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
        } else {
          const database = await startEmbeddedDatabase("memory://", 0);
          stop = () => database.stop();
          send({ type: "ready", url: database.url });
        }
        return;
      }
      case "cpu":
        send({ type: "cpu", id: message.id, usage: process.cpuUsage() });
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
