/**
 * Batches end to end against a real database and the simulator over HTTP through the real SDK: a GBK file
 * checked and submitted through the request path's set form, decided as a whole (maker-checker), sent by the
 * dispatcher, paused, cancelled and retried; the budget and the ledger agree at the end.
 */
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlipayClient } from "@/lib/alipay/client";
import { getBatchDetail } from "@/lib/batches/queries";
import {
  cancelBatch,
  decideBatch,
  pauseBatch,
  previewBatch,
  resumeBatch,
  submitBatch,
} from "@/lib/batches/service";
import { recomputeBudget } from "@/lib/budget/service";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { decidePayouts } from "@/lib/payouts/decisions";
import { claimDuePayouts } from "@/lib/payouts/dispatch/claim";
import { listPayouts } from "@/lib/payouts/queries";
import { requestPayout } from "@/lib/payouts/request";
import { payoutListQuerySchema } from "@/lib/validation/payouts";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import {
  activeCampaign,
  ledgerFor,
  payoutRequest,
  testDispatcher,
  userId,
  waitUntilNone,
} from "../support/payouts";

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let approver: Awaited<ReturnType<typeof insertUser>>;
let admin: Awaited<ReturnType<typeof insertUser>>;

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 600 });
  [marketer, approver, admin] = await Promise.all([
    insertUser("marketer"),
    insertUser("approver"),
    insertUser("admin"),
  ]);
});
afterAll(() => alipay.sim.stop());

/** Recipients of this file: 3_100_000 + i, apart from every other test file's. */
const BASE = 3_100_000;

function csvFile(lines: string[], encoding: "gbk" | "utf-8" = "gbk", name = "名单.csv") {
  const text = ["收款人类型,收款人,场景,备注,业务单号", ...lines].join("\r\n");
  const bytes = encoding === "gbk" ? iconv.encode(text, "gbk") : new TextEncoder().encode(text);
  return { name, bytes: new Uint8Array(bytes) };
}

function rowsFor(from: number, count: number, prefix: string): string[] {
  return Array.from(
    { length: count },
    (_, i) => `用户ID,${userId(BASE + from + i)},积分兑换,感谢参与,${prefix}_${from + i}`,
  );
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("a 20-row GBK file with 2 bad rows", () => {
  it("previews 18 valid rows and 2 errors naming row and column, submits 18, and they are paid once approved", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 10_000,
      packetCount: 100,
    });
    const lines = rowsFor(0, 20, `gbk${Date.now()}`);
    lines[4] = `用户ID,2088123,积分兑换,感谢参与,bad_id_${Date.now()}`; // row 6: not 2088 + 12 digits
    lines[11] = `外星人,${userId(BASE + 999)},积分兑换,感谢参与,bad_type_${Date.now()}`; // row 13: unknown type
    const file = csvFile(lines);

    const preview = await previewBatch(marketer.actor, { campaignId: campaign.id, file });
    expect(preview.encoding).toBe("gb18030");
    expect(preview.summary).toMatchObject({ rows: 20, validRows: 18, invalidRows: 2, amountFen: 18 * 100 });
    expect(preview.problems.map((p) => [p.row, p.column])).toEqual([
      [6, "identity"],
      [13, "identityType"],
    ]);
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(0);

    const batch = await submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows: 18 });
    expect(batch).toMatchObject({ status: "PENDING_APPROVAL", rowCount: 18, amountFen: 1_800 });
    const rows = await db.payout.findMany({ where: { batchId: batch.id } });
    expect(rows).toHaveLength(18);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(["PENDING_APPROVAL"]));
    expect(
      rows.every((r) => r.source === "BATCH" && r.amountFen === 100 && r.scene === "POINTS_REDEMPTION"),
    ).toBe(true);
    const held = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(held.reservedFen).toBe(1_800);
    expect(
      await db.auditEvent.count({
        where: { action: "payout.request", entityId: { in: rows.map((r) => r.id) } },
      }),
    ).toBe(18);

    // Nothing of a pending batch is sent.
    expect(
      (await claimDuePayouts("nobody", 100, 1_000)).filter((c) => c.campaignId === campaign.id),
    ).toHaveLength(0);
    // Maker-checker: the uploader cannot decide it.
    expect(
      (await refusal(decideBatch(marketer.actor, { batchId: batch.id, decision: "approve", reason: null })))
        .code,
    ).toBe("FORBIDDEN");

    await decideBatch(approver.actor, { batchId: batch.id, decision: "approve", reason: null });
    const dispatcher = testDispatcher(client);
    dispatcher.start();
    try {
      await waitUntilNone(campaign.id, ["APPROVED", "SENDING", "UNKNOWN"]);
    } finally {
      await dispatcher.stop();
    }
    const detail = await getBatchDetail(marketer.actor, batch.id);
    expect(detail.counts).toEqual({ SUCCEEDED: 18 });
    expect(detail.phase).toBe("FINISHED");
    expect(detail.paidFen).toBe(1_800);
    // The batch page's "see the rows" link: the history filtered to exactly this batch's rows.
    const history = await listPayouts(
      marketer.actor,
      payoutListQuerySchema("Asia/Shanghai").parse({ batch: batch.id, pageSize: "50" }),
    );
    expect(history.total).toBe(18);
    expect(new Set(history.rows.map((r) => r.id))).toEqual(new Set(rows.map((r) => r.id)));
    const ledger = await ledgerFor(alipay, campaign.crowdNo ?? "");
    expect(ledger).toHaveLength(18);
    const budget = await recomputeBudget(db, campaign.id);
    expect(budget).toMatchObject({ reservedFen: 0, spentFen: 1_800 });
  });
});

describe("cancelling and pausing", () => {
  it("a paused batch sends nothing new; cancel releases every row not yet sent", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 10_000,
      packetCount: 100,
    });
    const file = csvFile(rowsFor(100, 30, `cx${Date.now()}`), "utf-8");
    const batch = await submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows: 30 });
    await decideBatch(approver.actor, { batchId: batch.id, decision: "approve", reason: null });
    await pauseBatch(marketer.actor, batch.id);
    expect(
      (await claimDuePayouts("nobody", 100, 1_000)).filter((c) => c.campaignId === campaign.id),
    ).toHaveLength(0);
    await resumeBatch(marketer.actor, batch.id);
    const claimed = (await claimDuePayouts("w-test", 5, 60_000)).filter((c) => c.campaignId === campaign.id);
    expect(claimed.length).toBeGreaterThan(0);
    const { canceled } = await cancelBatch(marketer.actor, batch.id);
    expect(canceled).toBe(30 - claimed.length);
    const figures = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(figures.reservedFen).toBe(claimed.length * 100);
  });

  it("a single send is claimed before a batch's rows", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 10_000,
      packetCount: 100,
    });
    const file = csvFile(rowsFor(200, 20, `fair${Date.now()}`), "utf-8");
    const batch = await submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows: 20 });
    await decideBatch(approver.actor, { batchId: batch.id, decision: "approve", reason: null });
    const single = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: userId(BASE + 299) }),
    );
    expect(single.payout.status).toBe("APPROVED");
    const claimed = await claimDuePayouts("w-fair", 1, 60_000);
    expect(claimed.map((c) => c.id)).toEqual([single.payout.id]);
  });
});

describe("maker-checker", () => {
  it("an admin, who may both upload and approve, decides neither their own batch nor its rows one by one", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 10_000,
      packetCount: 100,
    });
    const file = csvFile(rowsFor(300, 3, `own${Date.now()}`), "utf-8");
    const batch = await submitBatch(admin.actor, { campaignId: campaign.id, file, expectedValidRows: 3 });
    for (const decision of ["approve", "reject"] as const) {
      const refused = await refusal(decideBatch(admin.actor, { batchId: batch.id, decision, reason: null }));
      expect([refused.code, refused.ref.key]).toEqual(["FORBIDDEN", "batches.errors.ownRequest"]);
    }
    const rows = await db.payout.findMany({ where: { batchId: batch.id }, select: { id: true } });
    const oneByOne = await decidePayouts(admin.actor, {
      payoutIds: rows.map((r) => r.id),
      decision: "approve",
      reason: null,
    });
    expect(oneByOne.done).toEqual([]);
    expect(new Set(oneByOne.refused.map((r) => r.reason))).toEqual(new Set(["payouts.errors.ownRequest"]));
    const untouched = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(untouched).toMatchObject({ status: "PENDING_APPROVAL", decidedById: null });
    expect(await db.payout.count({ where: { batchId: batch.id, status: { not: "PENDING_APPROVAL" } } })).toBe(
      0,
    );

    // Someone else may.
    await decideBatch(approver.actor, { batchId: batch.id, decision: "reject", reason: "not mine to send" });
    expect(await db.batch.findUniqueOrThrow({ where: { id: batch.id } })).toMatchObject({
      status: "REJECTED",
      decidedById: approver.user.id,
    });
  });
});
