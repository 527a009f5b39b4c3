/** Test data built through the real services and database (no mocks). */
import crypto from "node:crypto";
import type { UserActor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/permissions";
import { db } from "@/lib/db";

export const TEST_PASSWORD = "test-password-123";
let passwordHash: Promise<string> | undefined;

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}@test.example`;
}

export const TEST_META = { ip: "203.0.113.7", userAgent: "vitest" };

/** Inserts a user directly (fixture set-up, not the behaviour under test) and returns it with its actor. */
export async function insertUser(role: Role, overrides: { email?: string; disabled?: boolean } = {}) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const user = await db.user.create({
    data: {
      email: overrides.email ?? uniqueEmail(role),
      name: `Test ${role}`,
      role,
      passwordHash: await passwordHash,
      disabledAt: overrides.disabled ? new Date() : null,
    },
  });
  const actor: UserActor = {
    type: "USER",
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    ...TEST_META,
  };
  return { user, actor, claims: { userId: user.id, sessionVersion: user.sessionVersion } };
}

export async function auditEventsFor(entityId: string) {
  return db.auditEvent.findMany({ where: { entityId }, orderBy: { createdAt: "asc" } });
}
