import "server-only";
import { systemActor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "./demo-accounts";

/** Creates the demo accounts that do not exist yet (idempotent; demo mode only). Returns the emails created. */
export async function seedDemoAccounts(): Promise<string[]> {
  const existing = new Set(
    (
      await db.user.findMany({
        where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } },
        select: { email: true },
      })
    ).map((u) => u.email),
  );
  const missing = DEMO_ACCOUNTS.filter((account) => !existing.has(account.email));
  if (missing.length === 0) return [];
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const actor = systemActor("demo-seed");
  await db.$transaction(async (tx) => {
    for (const account of missing) {
      const user = await tx.user.create({ data: { ...account, passwordHash } });
      await recordAudit(tx, actor, {
        action: "user.create",
        entityType: "User",
        entityId: user.id,
        after: { email: user.email, name: user.name, role: user.role, active: true },
      });
    }
  });
  return missing.map((a) => a.email);
}
