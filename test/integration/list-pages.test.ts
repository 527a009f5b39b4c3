/** Server-side lists asked for a page past their end show the last page (and say so), never an empty table. */
import { describe, expect, it } from "vitest";
import { listCampaigns } from "@/lib/campaigns/queries";
import { db } from "@/lib/db";
import { listUsers } from "@/lib/users/service";
import { campaignListQuerySchema } from "@/lib/validation/campaigns";
import { usersListQuerySchema } from "@/lib/validation/users";
import { insertUser, uniqueEmail } from "../support/factories";

const ROWS = 12; // two pages of 10

describe("a page past the end of a list", () => {
  it("shows the last page of users", async () => {
    const { actor } = await insertUser("admin");
    const tag = uniqueEmail("pages").split("@")[0] ?? "pages";
    const emails: string[] = [];
    for (let i = 0; i < ROWS; i++) {
      const email = `${tag}-${String(i).padStart(2, "0")}@test.example`;
      emails.push(email);
      await insertUser("viewer", { email });
    }
    const query = (page: string) =>
      usersListQuerySchema.parse({ q: tag, pageSize: "10", page, sort: "email.asc" });

    const pastEnd = await listUsers(actor, query("9"));
    expect(pastEnd.page).toBe(2);
    expect(pastEnd.total).toBe(ROWS);
    expect(pastEnd.rows.map((r) => r.email)).toEqual(emails.slice(10));
    // A page inside the list is left alone.
    const first = await listUsers(actor, query("1"));
    expect(first.page).toBe(1);
    expect(first.rows.map((r) => r.email)).toEqual(emails.slice(0, 10));
  });

  it("shows the last page of campaigns, and page 1 of an empty result", async () => {
    const { user, actor } = await insertUser("marketer");
    const tag = `pages-${crypto.randomUUID().slice(0, 8)}`;
    const names = Array.from({ length: ROWS }, (_, i) => `${tag} ${String(i).padStart(2, "0")}`);
    await db.campaign.createMany({
      data: names.map((name) => ({
        name,
        prizeMessage: "Thanks",
        prizeType: "FIXED" as const,
        rail: "TRANSFER" as const,
        maxPacketFen: 100,
        status: "ACTIVE" as const,
        budgetFen: 10_000,
        packetCount: 100,
        endsAt: new Date(Date.now() + 24 * 60 * 60 * 1000),
        defaultScene: "MANUAL" as const,
        createdById: user.id,
      })),
    });
    const query = (q: Record<string, string>) =>
      campaignListQuerySchema().parse({ pageSize: "10", sort: "name.asc", ...q });

    const pastEnd = await listCampaigns(actor, query({ q: tag, page: "9" }), "Asia/Shanghai");
    expect(pastEnd.page).toBe(2);
    expect(pastEnd.total).toBe(ROWS);
    expect(pastEnd.rows.map((r) => r.name)).toEqual(names.slice(10));

    const none = await listCampaigns(actor, query({ q: `${tag}-nothing`, page: "3" }), "Asia/Shanghai");
    expect(none).toEqual({ rows: [], total: 0, page: 1 });
  });
});
