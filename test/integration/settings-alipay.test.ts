/**
 * The settings page's Alipay card: what an administrator checks against the open platform, from the
 * environment, never a key; refused to anyone without settings:manage.
 */
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { env } from "@/lib/env";
import { alipaySetup } from "@/lib/settings/alipay-setup";
import { insertUser } from "../support/factories";

describe("the Alipay set-up on the settings page", () => {
  it("shows admins the app id, gateway, notify URL, merchant PID and rates, and no key", async () => {
    const admin = await insertUser("admin");
    const view = alipaySetup(admin.actor);
    expect(view).toMatchObject({
      appId: env.ALIPAY_APP_ID ?? null,
      merchantPid: env.ALIPAY_MERCHANT_PID ?? null,
      maxQps: env.ALIPAY_MAX_QPS,
      transferMaxQps: env.ALIPAY_TRANSFER_MAX_QPS,
    });
    // Exactly these fields: a key or secret added to the view would have to be added here on purpose.
    expect(Object.keys(view).sort()).toEqual(
      ["appId", "demo", "gateway", "maxQps", "merchantPid", "notifyUrl", "transferMaxQps"].sort(),
    );
    const shown = JSON.stringify(view);
    for (const secret of [env.ALIPAY_PRIVATE_KEY, env.ALIPAY_PUBLIC_KEY, env.AUTH_SECRET].filter(Boolean))
      expect(shown).not.toContain(String(secret).slice(0, 40));
  });

  it("is refused without settings:manage", async () => {
    for (const role of ["marketer", "approver", "viewer"] as const) {
      const user = await insertUser(role);
      expect(() => alipaySetup(user.actor)).toThrow(DomainError);
    }
  });
});
