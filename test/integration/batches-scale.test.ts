/**
 * A batch at the size limit (MAX_ROWS = 50,000 rows) through the real services and database: previewed,
 * submitted as ONE transaction through the request path's set form, and rejected as a whole. Times are printed
 * for the record (docs/benchmarks.md, "Batches", has the measured figures); nothing asserts a timing.
 */
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AlipayClient } from "@/lib/alipay/client";
import { MAX_ROWS } from "@/lib/batches/limits";
import { decideBatch, previewBatch, submitBatch } from "@/lib/batches/service";
import { recomputeBudget } from "@/lib/budget/service";
import { db } from "@/lib/db";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { batchFile, batchLines, statusCounts, uniquePrefix } from "../support/batches";
import { insertUser } from "../support/factories";
import { activeCampaign } from "../support/payouts";

/** Recipients of this file: 3_200_000 + i (i < 50,000), apart from every other test file's. */
const BASE = 3_200_000;
const ROWS = 50_000;

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let approver: Awaited<ReturnType<typeof insertUser>>;

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 3000 });
  [marketer, approver] = await Promise.all([insertUser("marketer"), insertUser("approver")]);
});
afterAll(() => alipay.sim.stop());

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: Math.round(performance.now() - started) };
}

describe("a 50,000-row file", () => {
  it("is previewed and submitted whole: 50,000 payouts of the batch, their budget held, one request event each; a rejection releases it all", async () => {
    expect(ROWS).toBe(MAX_ROWS);
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 5_000_000,
      packetCount: 50_000,
      frequencyLifetime: 1,
    });
    const file = batchFile(batchLines(BASE, ROWS, uniquePrefix("big")), { encoding: "utf-8" });

    const preview = await timed(() => previewBatch(marketer.actor, { campaignId: campaign.id, file }));
    expect(preview.result.encoding).toBe("utf-8");
    expect(preview.result.summary).toEqual({
      rows: ROWS,
      validRows: ROWS,
      invalidRows: 0,
      amountFen: 5_000_000,
      budgetLeftFen: 0,
    });
    expect(preview.result.problemCount).toBe(0);
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(0);

    const submit = await timed(() =>
      submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows: ROWS }),
    );
    const batch = submit.result;
    expect(batch).toMatchObject({ status: "PENDING_APPROVAL", rowCount: ROWS, amountFen: 5_000_000 });

    const [rows] = await db.$queryRaw<{ n: number; refs: number; recipients: number; held: number }[]>`
      SELECT COUNT(*)::int AS n, COUNT(DISTINCT "outBizNo")::int AS refs, COUNT(DISTINCT identity)::int AS recipients,
             COALESCE(SUM("amountFen"), 0)::int AS held
        FROM "Payout" WHERE "batchId" = ${batch.id}`;
    expect(rows).toEqual({ n: ROWS, refs: ROWS, recipients: ROWS, held: 5_000_000 });
    expect(await statusCounts({ campaignId: campaign.id })).toEqual({ PENDING_APPROVAL: ROWS });
    expect(await db.payout.count({ where: { batchId: batch.id, source: "BATCH", amountFen: 100 } })).toBe(
      ROWS,
    );
    const figures = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(figures.reservedFen).toBe(ROWS * 100);
    expect(await recomputeBudget(db, campaign.id)).toMatchObject({ reservedFen: ROWS * 100, spentFen: 0 });
    const [audited] = await db.$queryRaw<{ events: number; payouts: number }[]>`
      SELECT COUNT(*)::int AS events, COUNT(DISTINCT a."entityId")::int AS payouts
        FROM "AuditEvent" a JOIN "Payout" p ON p.id = a."entityId"
       WHERE p."batchId" = ${batch.id} AND a.action = 'payout.request'`;
    expect(audited).toEqual({ events: ROWS, payouts: ROWS });
    expect(await db.auditEvent.count({ where: { action: "batch.submit", entityId: batch.id } })).toBe(1);

    // Rejected as a whole: one statement releases every row's reservation (and keeps the table free of 50,000
    // payouts waiting for an approver, which other files' approval pages would list).
    const reject = await timed(() =>
      decideBatch(approver.actor, { batchId: batch.id, decision: "reject", reason: "scale test" }),
    );
    expect(await statusCounts({ batchId: batch.id })).toEqual({ REJECTED: ROWS });
    const released = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(released.reservedFen).toBe(0);
    expect(await recomputeBudget(db, campaign.id)).toMatchObject({ reservedFen: 0, spentFen: 0 });

    const kb = Math.round(file.bytes.byteLength / 1024);
    console.log(
      `[batches-scale] ${inject("databaseKind")}: ${ROWS} rows (${kb} KiB UTF-8): preview ${preview.ms} ms, ` +
        `submit ${submit.ms} ms, reject ${reject.ms} ms`,
    );
  }, 180_000);
});
