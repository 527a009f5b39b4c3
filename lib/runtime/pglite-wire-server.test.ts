/**
 * The embedded database's wire server under the load a console puts on it: a pool of connections sending
 * parameterised queries while others hold transactions, clients that vanish mid-transaction, and SQL errors.
 */
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWireServer, type WireServer } from "./pglite-wire-server";

let db: PGlite;
let server: WireServer;
let url: string;

beforeAll(async () => {
  db = await PGlite.create("memory://");
  server = await startWireServer(db, { host: "127.0.0.1", port: 0, maxConnections: 50 });
  url = `postgresql://postgres:postgres@127.0.0.1:${server.port}/postgres?sslmode=disable`;
  await db.exec(
    "CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL); INSERT INTO counter VALUES (1, 0);",
  );
});

afterAll(async () => {
  await server.stop();
  await db.close();
});

async function client(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

describe("the embedded database's wire server", () => {
  it("never mixes one connection's parameterised exchange with another's, even beside open transactions", async () => {
    const readers = await Promise.all(Array.from({ length: 6 }, client));
    const writers = await Promise.all(Array.from({ length: 2 }, client));
    const wrong: string[] = [];
    const read = async (c: pg.Client, r: number) => {
      for (let i = 0; i < 150; i++) {
        const value = r * 1000 + i;
        // Different statement shapes per reader: a bind against another's statement fails or answers wrongly.
        const result =
          r % 2 === 0
            ? await c.query("SELECT $1::int + 1 AS v", [value])
            : await c.query("SELECT $1::text AS t, $2::int * 2 AS v", [`r${r}`, value]);
        const expected = r % 2 === 0 ? value + 1 : value * 2;
        if (result.rows[0]?.v !== expected) wrong.push(`${r}/${i}: ${JSON.stringify(result.rows[0])}`);
      }
    };
    const write = async (c: pg.Client) => {
      for (let i = 0; i < 40; i++) {
        await c.query("BEGIN");
        await c.query("UPDATE counter SET n = n + $1 WHERE id = $2", [1, 1]);
        await c.query("SELECT n FROM counter WHERE id = $1", [1]);
        await c.query("COMMIT");
      }
    };
    await Promise.all([...readers.map(read), ...writers.map(write)]);
    expect(wrong).toEqual([]);
    expect((await readers[0]!.query("SELECT n FROM counter WHERE id = 1")).rows[0].n).toBe(80);
    await Promise.all([...readers, ...writers].map((c) => c.end()));
  });

  it("rolls back the transaction of a client that disappears, and the others carry on", async () => {
    const leaving = await client();
    leaving.on("error", () => undefined); // its connection is cut on purpose
    const staying = await client();
    await leaving.query("BEGIN");
    await leaving.query("UPDATE counter SET n = -1 WHERE id = 1");
    const waiting = staying.query("SELECT n FROM counter WHERE id = 1"); // waits for the open transaction
    (leaving as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const { rows } = await waiting;
    expect(rows[0].n).not.toBe(-1);
    await staying.end();
  });

  it("keeps serving after an exchange that fails", async () => {
    const c = await client();
    await expect(c.query("SELECT * FROM no_such_table WHERE id = $1", [1])).rejects.toThrow(/no_such_table/);
    await expect(c.query("SELEC 1")).rejects.toThrow(/syntax/);
    const other = await client();
    expect((await other.query("SELECT $1::int AS v", [7])).rows[0].v).toBe(7);
    expect((await c.query("SELECT 1 AS v")).rows[0].v).toBe(1);
    await Promise.all([c.end(), other.end()]);
  });
});
