import net from "node:net";

/** Asks the OS for a free TCP port on 127.0.0.1 (0 = any). Returns `preferred` unchanged when it is not 0. */
export async function resolvePort(preferred: number): Promise<number> {
  if (preferred !== 0) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
