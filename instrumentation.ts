/** Next.js start-up hook: runs once when a server process starts. */
export async function register() {
  // NEXT_RUNTIME is Next's own build-time constant (not configuration), so it is read here rather than via
  // lib/env.ts: the comparison lets the bundler drop the Node-only import from the edge build.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { onServerStart } = await import("./lib/runtime/server-start");
    await onServerStart();
  }
}
