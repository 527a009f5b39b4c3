/** Child process of bench/support/production-server.ts: the embedded database over the wire protocol. */
async function serve(dir: string): Promise<void> {
  const { startEmbeddedDatabase } = await import("../../lib/runtime/embedded-database");
  const database = await startEmbeddedDatabase(dir, 0);
  process.send?.({ type: "ready", url: database.url });
  process.on("message", (message) => {
    if ((message as { type?: string }).type === "stop") void database.stop().then(() => process.exit(0));
  });
  process.on("disconnect", () => void database.stop().then(() => process.exit(0)));
}

const dir = process.argv.find((a) => a.startsWith("--dir="))?.slice(6);
if (!dir) throw new Error("--dir= is required");
await serve(dir);
export {};
