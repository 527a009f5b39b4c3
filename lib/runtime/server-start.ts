import "server-only";
import { env, isDemoMode } from "@/lib/env";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/lib/users/demo-accounts";
import { seedDemoAccounts } from "@/lib/users/seed";

function printDemoCredentials(): void {
  const width = Math.max(...DEMO_ACCOUNTS.map((a) => a.email.length)) + 2;
  const lines = [
    "",
    "  Hongbao Console is running in demo mode (embedded database, local Alipay simulator).",
    `  Open http://localhost:${env.PORT} and sign in with one of these accounts:`,
    "",
    ...DEMO_ACCOUNTS.map((a) => `    ${a.email.padEnd(width)}${a.role}`),
    "",
    `  Password for all of them: ${DEMO_PASSWORD}`,
    "",
  ];
  console.log(lines.join("\n"));
}

/** Start-up work inside the web server process (called from instrumentation.ts). */
export async function onServerStart(): Promise<void> {
  if (isDemoMode) {
    const created = await seedDemoAccounts();
    if (created.length > 0) console.log(`[demo] created ${created.length} demo accounts`);
    printDemoCredentials();
  }
}
