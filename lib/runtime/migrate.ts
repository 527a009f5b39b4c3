/**
 * Applies pending migrations with the real `prisma migrate deploy`, the same command operators run against
 * PostgreSQL by hand.
 *
 * Prisma 6.19.3's WebAssembly schema engine leaves a 10-second timer running after it has finished, so the CLI
 * lingers for ~10 s after printing its result (measured: 11.5 s wall for ~0.2 s of work). We wait for the
 * final status line and then end the process; the migration is already committed by then. Drop the early exit
 * when the CLI exits promptly on its own (see prisma/workarounds.ts for the other Prisma workarounds).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { log } from "../log";

const DONE_LINES = [/All migrations have been successfully applied/, /No pending migrations to apply/];

export async function migrateDeploy(databaseUrl: string, options: { cwd?: string; quiet?: boolean } = {}) {
  const cwd = options.cwd ?? process.cwd();
  const cli = path.join(cwd, "node_modules", "prisma", "build", "index.js");
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "migrate", "deploy"], {
      cwd,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        CHECKPOINT_DISABLE: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let succeeded = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!succeeded && DONE_LINES.some((line) => line.test(output))) {
        succeeded = true;
        child.kill("SIGTERM");
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) => {
      if (succeeded || code === 0) {
        if (!options.quiet) {
          const applied = output.match(
            /The following migration\(s\) have been applied:[\s\S]*?(?=\n\n[A-Z]|$)/,
          );
          if (applied) {
            const names = [...applied[0].matchAll(/└─ ([^/\s]+)\/$/gm)].map((m) => m[1]);
            log.info("database.migrated", { applied: names });
          }
        }
        resolve();
      } else {
        reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`));
      }
    });
  });
}
