/**
 * The embedded database's PostgreSQL wire-protocol server: many client connections (the web server's pool,
 * pg-boss, worker processes, `prisma migrate deploy`, psql) share ONE PGlite backend, which runs one protocol
 * exchange at a time.
 *
 * It replaces @electric-sql/pglite-socket's server (0.2.17), whose queue schedules single protocol messages and
 * keeps a connection's turn only while a SQL transaction is open. An extended-protocol exchange (Parse, Bind,
 * Describe, Execute, Sync) is not a transaction, so two connections' exchanges interleaved on the shared backend
 * and one bound the other's unnamed statement: "unnamed prepared statement does not exist", or silently wrong
 * rows (upstream: electric-sql/pglite#1046 and the open pull request #977). A failing exchange also left that
 * queue stuck for good. Here a connection's messages are handed to PGlite one whole exchange at a time (up to
 * its Sync, simple Query, Flush or copy end), and the connection keeps its turn while a transaction is open or
 * between a Flush and its Sync. Drop this file for pglite-socket once a release fixes both defects.
 */
import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

const PROTOCOL_3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSSENC_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;

/** Message types after which the client waits for the server: the end of one exchange. */
const EXCHANGE_ENDS = new Set(["S", "Q", "H", "c", "f"]);

type Exchange = { connection: Connection; bytes: Uint8Array; complete: boolean };

/** Hands exchanges to the single backend one at a time, in arrival order, keeping a connection's turn when needed. */
class Scheduler {
  private queue: Exchange[] = [];
  private running = false;
  /** The connection that holds the backend: its transaction is open, or it flushed before its Sync. */
  private owner: Connection | null = null;

  constructor(private readonly db: PGlite) {}

  submit(exchange: Exchange): void {
    this.queue.push(exchange);
    void this.drain();
  }

  /** A closed connection's waiting exchanges are dropped and its open transaction rolled back. */
  async release(connection: Connection): Promise<void> {
    this.queue = this.queue.filter((e) => e.connection !== connection);
    if (this.owner !== connection) return;
    // exec takes PGlite's lock itself (inside runExclusive it would wait for itself).
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    void this.drain();
  }

  private next(): Exchange | undefined {
    if (!this.owner) return this.queue.shift();
    const index = this.queue.findIndex((e) => e.connection === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let exchange = this.next(); exchange; exchange = this.next()) {
        const { connection, bytes, complete } = exchange;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(bytes, { onRawData: (data) => connection.send(data) }),
          );
          this.owner = this.db.isInTransaction() || !complete ? connection : null;
          // It went away while its exchange ran: roll back what it left open, or everyone would wait for it.
          if (connection.isClosed) await this.release(connection);
        } catch (error) {
          // PGlite reports SQL errors in the protocol itself; a throw here means the exchange could not run.
          console.error("[embedded-db] exchange failed:", error instanceof Error ? error.message : error);
          connection.destroy();
          await this.release(connection);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

/** One client connection: splits its byte stream into messages and groups them into exchanges. */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private pending: Buffer[] = [];
  private closed = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly scheduler: Scheduler,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", () => this.close());
    socket.on("close", () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(data: Uint8Array): void {
    if (!this.closed && data.length > 0) this.socket.write(Buffer.from(data));
  }

  destroy(): void {
    this.socket.destroy();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.scheduler.release(this);
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (!this.closed) {
      const message = this.started ? this.takeMessage() : this.takeStartupMessage();
      if (!message) return;
    }
  }

  /** Before the session starts: SSL/GSS requests (declined), a cancel request (unsupported), the startup message. */
  private takeStartupMessage(): Buffer | null {
    if (this.buffer.length < 8) return null;
    const length = this.buffer.readInt32BE(0);
    if (this.buffer.length < length) return null;
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    const code = message.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      this.socket.write("N");
    } else if (code === CANCEL_REQUEST) {
      this.socket.end(); // one backend, nothing to signal
    } else if (code === PROTOCOL_3) {
      this.started = true;
      this.scheduler.submit({ connection: this, bytes: message, complete: true });
    } else {
      this.socket.destroy();
    }
    return message;
  }

  private takeMessage(): Buffer | null {
    if (this.buffer.length < 5) return null;
    const length = 1 + this.buffer.readInt32BE(1);
    if (this.buffer.length < length) return null;
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    const type = String.fromCharCode(message[0] ?? 0);
    if (type === "X") {
      this.socket.end();
      this.close();
      return message;
    }
    this.pending.push(message);
    if (EXCHANGE_ENDS.has(type)) {
      const bytes = Buffer.concat(this.pending);
      this.pending = [];
      // After a Flush the client reads answers and then goes on with the same exchange: keep its turn.
      this.scheduler.submit({ connection: this, bytes, complete: type !== "H" });
    }
    return message;
  }
}

export type WireServer = { port: number; stop: () => Promise<void> };

export async function startWireServer(
  db: PGlite,
  options: { host: string; port: number; maxConnections: number },
): Promise<WireServer> {
  await db.waitReady;
  const scheduler = new Scheduler(db);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    new Connection(socket, scheduler);
  });
  server.maxConnections = options.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address !== "object") throw new Error("embedded database: no TCP address");
  return {
    port: address.port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
