import "server-only";
import type { User } from "@/generated/prisma/client";
import { recordAudit, type AnonymousActor } from "@/lib/audit/service";
import { db } from "@/lib/db";
import type { RequestMeta } from "./actor";
import { spendVerificationTime, verifyPassword } from "./password";
import { evaluateThrottle, THROTTLE_LOOKBACK_MS } from "./throttle";

export type LoginResult =
  | { kind: "ok"; user: Pick<User, "id" | "email" | "name" | "role" | "sessionVersion" | "locale"> }
  | { kind: "invalid" }
  | { kind: "locked"; until: Date };

/** Failures that still count for the throttle: recent ones, and for an account only those after its last success. */
async function recentFailures(email: string, ip: string, now: Date) {
  const since = new Date(now.getTime() - THROTTLE_LOOKBACK_MS);
  const lastSuccess = await db.loginAttempt.findFirst({
    where: { email, outcome: "SUCCESS", createdAt: { gte: since } },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  const accountSince = lastSuccess && lastSuccess.createdAt > since ? lastSuccess.createdAt : since;
  const [account, byIp] = await Promise.all([
    db.loginAttempt.findMany({
      where: { email, outcome: "FAILURE", createdAt: { gt: accountSince } },
      select: { createdAt: true },
    }),
    db.loginAttempt.findMany({
      where: { ip, outcome: "FAILURE", createdAt: { gte: since } },
      select: { createdAt: true },
    }),
  ]);
  return { accountFailures: account.map((a) => a.createdAt), ipFailures: byIp.map((a) => a.createdAt) };
}

/** Why a sign-in failed, for the audit log's readers (the person signing in only ever sees "invalid"). */
type FailureReason = "unknown_account" | "wrong_password" | "disabled" | "locked";

/**
 * The login attempt and its audit event, in one transaction. The actor is whoever typed the email: not signed
 * in, so anonymous, named by the email they tried (never the password).
 */
async function recordFailure(
  attempt: { email: string; ip: string; outcome: "FAILURE" | "LOCKED"; userId: string | null; now: Date },
  meta: RequestMeta,
  reason: FailureReason,
): Promise<void> {
  const actor: AnonymousActor = { type: "ANONYMOUS", label: attempt.email, ...meta };
  await db.$transaction(async (tx) => {
    await tx.loginAttempt.create({
      data: {
        email: attempt.email,
        ip: attempt.ip,
        outcome: attempt.outcome,
        userId: attempt.userId,
        createdAt: attempt.now,
      },
    });
    await recordAudit(tx, actor, {
      action: "auth.sign_in_failed",
      entityType: "User",
      entityId: attempt.userId,
      after: { email: attempt.email, reason },
    });
  });
}

export async function currentLockout(email: string, ip: string, now = new Date()): Promise<Date | null> {
  const verdict = evaluateThrottle({ ...(await recentFailures(email, ip, now)), now });
  return verdict.locked ? verdict.until : null;
}

/**
 * Checks a sign-in attempt: refuses it while the account or IP is locked out, verifies the password, and
 * records the attempt and an audit event either way.
 */
export async function attemptLogin(input: {
  email: string;
  password: string;
  meta: RequestMeta;
  now?: Date;
}): Promise<LoginResult> {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const ip = input.meta.ip ?? "unknown";

  const lockedUntil = await currentLockout(email, ip, now);
  if (lockedUntil) {
    // No account lookup while locked: the attempt is refused before anything about the account is read.
    await recordFailure({ email, ip, outcome: "LOCKED", userId: null, now }, input.meta, "locked");
    return { kind: "locked", until: lockedUntil };
  }

  const user = await db.user.findUnique({ where: { email } });
  const passwordMatches = user
    ? await verifyPassword(user.passwordHash, input.password)
    : (await spendVerificationTime(input.password), false);

  if (!user || !passwordMatches || user.disabledAt !== null) {
    const reason: FailureReason = !user
      ? "unknown_account"
      : !passwordMatches
        ? "wrong_password"
        : "disabled";
    await recordFailure({ email, ip, outcome: "FAILURE", userId: user?.id ?? null, now }, input.meta, reason);
    const lockout = await currentLockout(email, ip, now);
    if (lockout) {
      await recordAudit(
        db,
        { type: "SYSTEM", label: "login-throttle", ...input.meta },
        { action: "auth.lockout", entityType: "User", entityId: user?.id ?? null, after: { email, ip } },
      );
      return { kind: "locked", until: lockout };
    }
    return { kind: "invalid" };
  }

  await db.$transaction(async (tx) => {
    await tx.loginAttempt.create({
      data: { email, ip, outcome: "SUCCESS", userId: user.id, createdAt: now },
    });
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
    await recordAudit(
      tx,
      { type: "USER", userId: user.id, email: user.email, name: user.name, role: user.role, ...input.meta },
      { action: "auth.sign_in", entityType: "User", entityId: user.id },
    );
  });
  return {
    kind: "ok",
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      sessionVersion: user.sessionVersion,
      locale: user.locale,
    },
  };
}
