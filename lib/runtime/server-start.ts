import "server-only";
import { alipay } from "@/lib/alipay";
import { AlipayKeyError } from "@/lib/alipay/keys";
import { env, isDemoMode } from "@/lib/env";
import { log } from "@/lib/log";
import { startWorker } from "@/lib/jobs/worker";
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

/** Fails the start-up with the variable's name when the Alipay configuration cannot work. */
function checkAlipayConfiguration(): void {
  try {
    alipay();
  } catch (error) {
    const message = error instanceof AlipayKeyError ? error.message : (error as Error).message;
    console.error(`\n✖ Alipay configuration: ${message}\n  See README → Alipay.\n`);
    process.exit(1);
  }
}

/** Start-up work inside the web server process (called from instrumentation.ts). */
export async function onServerStart(): Promise<void> {
  checkAlipayConfiguration();
  if (isDemoMode) {
    const created = await seedDemoAccounts();
    if (created.length > 0) log.info("demo.seeded", { accounts: created.length });
    printDemoCredentials();
  }
  if (env.JOBS_IN_WEB) {
    startWorker().catch((error: unknown) => log.error("jobs.start-failed", { error }));
  }
}
