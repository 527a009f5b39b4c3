import "server-only";
import { Prisma, type User } from "@/generated/prisma/client";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import { domainError, fieldError } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/locales";
import { findPage, type ListPage } from "@/lib/validation/list-query";
import type { UserRow } from "./types";
import type {
  ChangeRoleInput,
  CreateUserInput,
  SetUserActiveInput,
  UsersListQuery,
} from "@/lib/validation/users";

function toRow(user: User): UserRow {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.disabledAt === null,
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}

/** What the audit log keeps about a user: never the password hash or session version. */
function snapshot(user: User) {
  return { email: user.email, name: user.name, role: user.role, active: user.disabledAt === null };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export async function createUser(actor: Actor, input: CreateUserInput): Promise<UserRow> {
  assertCan(actor, "user:manage");
  const passwordHash = await hashPassword(input.password); // slow: outside the transaction
  try {
    const user = await db.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { email: input.email, name: input.name, role: input.role, passwordHash },
      });
      await recordAudit(tx, actor, {
        action: "user.create",
        entityType: "User",
        entityId: created.id,
        after: snapshot(created),
      });
      return created;
    });
    return toRow(user);
  } catch (error) {
    if (isUniqueViolation(error)) throw fieldError("CONFLICT", "email", "errors.emailTaken");
    throw error;
  }
}

/**
 * Serialises changes that could remove the last active admin: concurrent demotions would otherwise each see
 * the other admin still active and both commit.
 */
async function lockActiveAdmins(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "User" WHERE role = 'admin' AND "disabledAt" IS NULL FOR UPDATE`;
}

async function assertAnActiveAdminRemains(tx: Tx): Promise<void> {
  const admins = await tx.user.count({ where: { role: "admin", disabledAt: null } });
  if (admins === 0) throw domainError("CONFLICT", "errors.lastAdmin");
}

function assertNotSelf(actor: Actor, userId: string): void {
  if (actor.type === "USER" && actor.userId === userId)
    throw domainError("FORBIDDEN", "errors.cannotChangeSelf");
}

/** Takes effect on the target's next request: permissions are read from the database on every request. */
export async function changeUserRole(actor: Actor, input: ChangeRoleInput): Promise<UserRow> {
  assertCan(actor, "user:manage");
  assertNotSelf(actor, input.userId);
  const user = await db.$transaction(async (tx) => {
    await lockActiveAdmins(tx);
    const before = await tx.user.findUnique({ where: { id: input.userId } });
    if (!before) throw domainError("NOT_FOUND");
    if (before.role === input.role) return before;
    const updated = await tx.user.update({ where: { id: input.userId }, data: { role: input.role } });
    await assertAnActiveAdminRemains(tx);
    await recordAudit(tx, actor, {
      action: "user.role_change",
      entityType: "User",
      entityId: updated.id,
      before: snapshot(before),
      after: snapshot(updated),
    });
    return updated;
  });
  return toRow(user);
}

/**
 * Disabling bumps the session version, so every session the user holds is refused on its next request;
 * enabling bumps it again, so the user signs in afresh.
 */
export async function setUserActive(actor: Actor, input: SetUserActiveInput): Promise<UserRow> {
  assertCan(actor, "user:manage");
  assertNotSelf(actor, input.userId);
  const user = await db.$transaction(async (tx) => {
    await lockActiveAdmins(tx);
    const before = await tx.user.findUnique({ where: { id: input.userId } });
    if (!before) throw domainError("NOT_FOUND");
    const isActive = before.disabledAt === null;
    if (isActive === input.active) return before;
    // Guarded on the state we read: a concurrent change makes this a conflict rather than a double bump.
    const changed = await tx.user.updateMany({
      where: { id: input.userId, disabledAt: isActive ? null : { not: null } },
      data: { disabledAt: input.active ? null : new Date(), sessionVersion: { increment: 1 } },
    });
    if (changed.count !== 1) throw domainError("CONFLICT");
    if (!input.active) await assertAnActiveAdminRemains(tx);
    const updated = await tx.user.findUniqueOrThrow({ where: { id: input.userId } });
    await recordAudit(tx, actor, {
      action: input.active ? "user.enable" : "user.disable",
      entityType: "User",
      entityId: updated.id,
      before: snapshot(before),
      after: snapshot(updated),
    });
    return updated;
  });
  return toRow(user);
}

export async function listUsers(actor: Actor, query: UsersListQuery): Promise<ListPage<UserRow>> {
  assertCan(actor, "user:manage");
  const where: Prisma.UserWhereInput = {
    ...(query.role ? { role: query.role } : {}),
    ...(query.status === "active" ? { disabledAt: null } : {}),
    ...(query.status === "disabled" ? { disabledAt: { not: null } } : {}),
    ...(query.q
      ? {
          OR: [
            { email: { contains: query.q, mode: "insensitive" } },
            { name: { contains: query.q, mode: "insensitive" } },
          ],
        }
      : {}),
  };
  const { rows, total, page } = await findPage(query, {
    rows: (window) =>
      db.user.findMany({
        where,
        orderBy: [
          query.sort.field === "lastLoginAt"
            ? { lastLoginAt: { sort: query.sort.direction, nulls: "last" } }
            : { [query.sort.field]: query.sort.direction },
          { id: "asc" },
        ],
        ...window,
      }),
    count: () => db.user.count({ where }),
  });
  return { rows: rows.map(toRow), total, page };
}

/**
 * Remembers a signed-in person's language choice. A preference, not a change to audit: no event is written
 * (the audit log is for what people do to the product's data).
 */
export async function setUserLocale(actor: Actor, locale: Locale): Promise<void> {
  if (actor.type !== "USER") return;
  await db.user.updateMany({ where: { id: actor.userId }, data: { locale } });
}
