import { describe, expect, it } from "vitest";
import { checkAccess } from "@/lib/auth/access";
import { DomainError } from "@/lib/errors";
import { changeUserRole, setUserActive } from "@/lib/users/service";
import { insertUser, TEST_META } from "../support/factories";

async function refusal(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe("checkAccess (what requirePermission runs on every request)", () => {
  it("lets an active user with the permission through, as an actor", async () => {
    const { user, claims } = await insertUser("marketer");
    const actor = await checkAccess(claims, "campaign:create", TEST_META);
    expect(actor).toMatchObject({ type: "USER", userId: user.id, role: "marketer", ip: TEST_META.ip });
  });

  it("refuses a permission the role lacks", async () => {
    const { claims } = await insertUser("viewer");
    expect(await refusal(checkAccess(claims, "campaign:create", TEST_META))).toBe("FORBIDDEN");
  });

  it("refuses anonymous callers and unknown users", async () => {
    expect(await refusal(checkAccess(null, "dashboard:read", TEST_META))).toBe("UNAUTHENTICATED");
    expect(
      await refusal(checkAccess({ userId: "ghost", sessionVersion: 1 }, "dashboard:read", TEST_META)),
    ).toBe("UNAUTHENTICATED");
  });

  it("refuses a disabled user's existing session, and keeps refusing it after re-enabling", async () => {
    const { actor: admin } = await insertUser("admin");
    const { user, claims } = await insertUser("marketer");
    expect(await refusal(checkAccess(claims, "dashboard:read", TEST_META))).toBeNull();

    await setUserActive(admin, { userId: user.id, active: false });
    expect(await refusal(checkAccess(claims, "dashboard:read", TEST_META))).toBe("UNAUTHENTICATED");

    const enabled = await setUserActive(admin, { userId: user.id, active: true });
    expect(enabled.active).toBe(true);
    // The old session predates the disable: the user must sign in again (which yields the new version).
    expect(await refusal(checkAccess(claims, "dashboard:read", TEST_META))).toBe("UNAUTHENTICATED");
    expect(
      await refusal(
        checkAccess(
          { userId: user.id, sessionVersion: claims.sessionVersion + 2 },
          "dashboard:read",
          TEST_META,
        ),
      ),
    ).toBeNull();
  });

  it("applies a role change on the next request, without signing out", async () => {
    const { actor: admin } = await insertUser("admin");
    const { user, claims } = await insertUser("viewer");
    expect(await refusal(checkAccess(claims, "payout:approve", TEST_META))).toBe("FORBIDDEN");
    await changeUserRole(admin, { userId: user.id, role: "approver" });
    expect(await refusal(checkAccess(claims, "payout:approve", TEST_META))).toBeNull();
    await changeUserRole(admin, { userId: user.id, role: "viewer" });
    expect(await refusal(checkAccess(claims, "payout:approve", TEST_META))).toBe("FORBIDDEN");
  });
});
