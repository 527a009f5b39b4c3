/**
 * `npm run user:create -- --email a@b.c --name "A B" --role admin` creates a console user against DATABASE_URL
 * (how the first admin of a production installation is made). The password is read from the terminal, or from
 * standard input with --password-stdin (for provisioning scripts). Recorded in the audit log as `system:cli`.
 */
import "../lib/load-env-files";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { systemActor } from "../lib/auth/actor";
import { env } from "../lib/env";
import { DomainError } from "../lib/errors";
import { createUser } from "../lib/users/service";
import { createUserSchema } from "../lib/validation/users";

async function readPassword(fromStdin: boolean): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: !fromStdin });
  if (fromStdin) {
    for await (const line of rl) return line;
    return "";
  }
  return new Promise((resolve) => {
    process.stdout.write("Password (input hidden): ");
    const output = rl as unknown as { _writeToOutput: (s: string) => void }; // readline has no public "mute"
    output._writeToOutput = () => {};
    rl.question("", (answer) => {
      rl.close();
      process.stdout.write("\n");
      resolve(answer);
    });
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      name: { type: "string" },
      role: { type: "string", default: "admin" },
      "password-stdin": { type: "boolean", default: false },
    },
  });
  if (!env.DATABASE_URL) {
    console.error(
      "DATABASE_URL is not set. In demo mode, sign in as admin@example.com and use Settings → Users.",
    );
    process.exit(2);
  }
  const password = await readPassword(values["password-stdin"] ?? false);
  const parsed = createUserSchema.safeParse({ ...values, password });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${issue.path.join(".")}: ${issue.message}`);
    process.exit(2);
  }
  try {
    const user = await createUser(systemActor("cli"), parsed.data);
    console.log(`Created ${user.role} ${user.email}`);
  } catch (error) {
    if (error instanceof DomainError) {
      console.error(`Refused: ${error.ref.key}`);
      process.exit(1);
    }
    throw error;
  }
  process.exit(0);
}

await main();
