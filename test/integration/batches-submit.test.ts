/**
 * Submitting a batch at the service boundary, against a real database: all or nothing when the campaign
 * changed since the preview (a reference taken, the budget spent, the row count the uploader saw), a batch and a
 * single request racing for one recipient of a once-per-person campaign, and files that are not what they
 * should be — refused with a message about the file or a row, never a 500, and formulas in cells neutralised in
 * the invalid-rows download.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Campaign } from "@/generated/prisma/client";
import type { AlipayClient } from "@/lib/alipay/client";
import { invalidRowsCsv } from "@/lib/batches/invalid-rows-csv";
import { MAX_FILE_BYTES, MAX_ROWS } from "@/lib/batches/limits";
import { checkBatchFile, previewBatch, submitBatch, type BatchFile } from "@/lib/batches/service";
import { problemsOf } from "@/lib/batches/validate";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { requestPayoutSet } from "@/lib/payouts/request-many";
import { requestPayout } from "@/lib/payouts/request";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import {
  BATCH_HEADER,
  batchFile,
  batchLine,
  batchLines,
  parseCsv,
  refusal,
  streamText,
  uniquePrefix,
} from "../support/batches";
import { insertUser } from "../support/factories";
import { activeCampaign, payoutRequest, userId } from "../support/payouts";

/** Recipients of this file: 3_300_000 + i, apart from every other test file's. */
const BASE = 3_300_000;

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 3000 });
  marketer = await insertUser("marketer");
});
afterAll(() => alipay.sim.stop());

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** How long after the batch's submission the single request starts, by round. */
const DELAYS_MS = [0, 5, 10, 20, 40, 0, 2, 15];

/** What the campaign has: its batches, payouts and held budget. */
async function campaignState(campaignId: string) {
  const [batches, payouts, campaign] = await Promise.all([
    db.batch.count({ where: { campaignId } }),
    db.payout.count({ where: { campaignId } }),
    db.campaign.findUniqueOrThrow({ where: { id: campaignId } }),
  ]);
  return { batches, payouts, reservedFen: campaign.reservedFen };
}

function expectConflictOnFile(error: DomainError, key: string) {
  expect(error.code).toBe("CONFLICT");
  expect(error.ref.key).toBe(key);
  expect(error.fieldErrors?.file?.map((ref) => ref.key)).toEqual([key]);
}

describe("all or nothing", () => {
  it("a reference taken by a single payout between preview and submit: CONFLICT on the file, nothing of the batch written", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 10_000,
      packetCount: 100,
    });
    const prefix = uniquePrefix("taken");
    const file = batchFile(batchLines(BASE, 10, prefix));
    const preview = await previewBatch(marketer.actor, { campaignId: campaign.id, file });
    expect(preview.summary.validRows).toBe(10);

    // Another request uses row 6's reference meanwhile (for someone else: the key is what collides).
    const single = await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, {
        identity: userId(BASE + 50),
        outBizNo: `${prefix}_${BASE + 4}`,
        approval: "approver",
      }),
    );
    expect(single.payout.status).toBe("PENDING_APPROVAL");
    const before = await campaignState(campaign.id);
    expect(before).toEqual({ batches: 0, payouts: 1, reservedFen: 100 });

    const error = await refusal(
      submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows: 10 }),
    );
    expectConflictOnFile(error, "batches.errors.changedSincePreview");
    expect(error.ref.params).toEqual({ expected: 10, valid: 9 });
    expect(await campaignState(campaign.id)).toEqual(before);
    expect(
      await db.auditEvent.count({
        where: { action: "batch.submit", after: { path: ["campaignId"], equals: campaign.id } },
      }),
    ).toBe(0);
  });

  it("a reference taken after the file was checked (the race window): the set form refuses the whole set in its transaction", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 10_000,
      packetCount: 100,
    });
    const prefix = uniquePrefix("window");
    const taken = `${prefix}_${BASE + 104}`;
    await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: userId(BASE + 150), outBizNo: taken, approval: "approver" }),
    );
    const before = await campaignState(campaign.id);

    // What submitBatch's transaction does once the file's checks are behind it, with a key taken meanwhile.
    const rows = Array.from({ length: 10 }, (_, i) => ({
      identityType: "USER_ID" as const,
      identity: userId(BASE + 100 + i),
      scene: "POINTS_REDEMPTION" as const,
      memo: null,
      outBizNo: `${prefix}_${BASE + 100 + i}`,
    }));
    let batchId = "";
    const error = await refusal(
      db.$transaction(async (tx) => {
        const [fresh] = await tx.$queryRaw<Campaign[]>`SELECT * FROM "Campaign" WHERE id = ${campaign.id}`;
        if (!fresh) throw new Error("campaign vanished");
        const created = await tx.batch.create({
          data: {
            campaignId: campaign.id,
            fileName: "window.csv",
            encoding: "utf-8",
            rowCount: rows.length,
            amountFen: rows.length * 100,
            status: "PENDING_APPROVAL",
            requestedByType: "USER",
            requestedById: marketer.user.id,
            requestedByLabel: marketer.user.email,
          },
        });
        batchId = created.id;
        await requestPayoutSet(tx, marketer.actor, fresh, rows, created.id, new Date());
      }),
    );
    expectConflictOnFile(error, "batches.errors.outBizNoTaken");
    expect(batchId).not.toBe("");
    expect(await db.batch.findUnique({ where: { id: batchId } })).toBeNull();
    expect(await db.payout.count({ where: { batchId } })).toBe(0);
    expect(await campaignState(campaign.id)).toEqual(before);
    expect(
      await db.auditEvent.count({
        where: { action: "payout.request", after: { path: ["batchId"], equals: batchId } },
      }),
    ).toBe(0);
  });

  it("the budget spent since the preview, or a row count other than the uploader saw: CONFLICT, nothing written", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000,
      packetCount: 10,
    });
    const file = batchFile(batchLines(BASE + 200, 10, uniquePrefix("budget")));
    expect((await previewBatch(marketer.actor, { campaignId: campaign.id, file })).summary).toMatchObject({
      validRows: 10,
      budgetLeftFen: 0,
    });

    const wrongCount = await refusal(
      submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows: 11 }),
    );
    expectConflictOnFile(wrongCount, "batches.errors.changedSincePreview");
    expect(await campaignState(campaign.id)).toEqual({ batches: 0, payouts: 0, reservedFen: 0 });

    await requestPayout(
      marketer.actor,
      payoutRequest(campaign.id, { identity: userId(BASE + 250), approval: "approver" }),
    );
    const spent = await refusal(
      submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows: 10 }),
    );
    expectConflictOnFile(spent, "batches.errors.changedSincePreview");
    expect(spent.ref.params).toEqual({ expected: 10, valid: 9 });
    expect(await campaignState(campaign.id)).toEqual({ batches: 0, payouts: 1, reservedFen: 100 });

    // The file as it now is (9 rows fit) goes through.
    const batch = await submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows: 9 });
    expect(batch.rowCount).toBe(9);
    expect(await campaignState(campaign.id)).toEqual({ batches: 1, payouts: 10, reservedFen: 1_000 });
  });
});

describe("a batch and a single request racing for one recipient", () => {
  it("on a once-per-person campaign exactly one of them gets the recipient, never both (8 rounds)", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 10_000,
      packetCount: 100,
      frequencyLifetime: 1,
    });
    const outcomes: string[] = [];
    for (let round = 0; round < DELAYS_MS.length; round += 1) {
      const first = BASE + 300 + round * 10;
      const contested = userId(first);
      const file = batchFile(batchLines(first, 5, uniquePrefix(`race${round}`)));
      const [batch, single] = await Promise.all([
        submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows: 5 }).then(
          (b) => b,
          (e: unknown) => e,
        ),
        // The single starts 0–40 ms after the batch, so that the race goes either way over the rounds.
        sleep(DELAYS_MS[round] ?? 0)
          .then(() =>
            requestPayout(
              marketer.actor,
              payoutRequest(campaign.id, { identity: contested, approval: "approver" }),
            ),
          )
          .then(
            (r) => r,
            (e: unknown) => e,
          ),
      ]);
      const batchWon = !(batch instanceof Error);
      const singleWon = !(single instanceof Error);
      expect(batchWon !== singleWon, `round ${round}: batch ${String(batch)}, single ${String(single)}`).toBe(
        true,
      );
      const loser = batchWon ? single : batch;
      expect(loser).toBeInstanceOf(DomainError);
      expect((loser as DomainError).code).toBe("CONFLICT");
      if (batchWon)
        expect((loser as DomainError).fieldErrors?.identity?.[0]?.key).toBe("payouts.errors.frequencyLimit");
      else
        expect(["batches.errors.changedSincePreview", "batches.errors.frequencyChanged"]).toContain(
          (loser as DomainError).ref.key,
        );
      outcomes.push(batchWon ? "batch" : `single (batch: ${(loser as DomainError).ref.key})`);

      const held = await db.payout.count({
        where: {
          campaignId: campaign.id,
          identity: contested,
          status: { notIn: ["REJECTED", "CANCELED", "FAILED"] },
        },
      });
      expect(held).toBe(1);
    }
    const payouts = await db.payout.groupBy({
      by: ["identity"],
      where: { campaignId: campaign.id },
      _count: true,
    });
    expect(payouts.every((p) => p._count === 1)).toBe(true);
    const campaignNow = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(campaignNow.reservedFen).toBe(payouts.length * 100);
    console.log(`[batches-submit] race winners by round: ${outcomes.join(", ")}`);
  });
});

describe("files that are not what they should be", () => {
  const TEXT = new TextEncoder();
  const concat = (...parts: Array<Uint8Array | number[]>) => {
    const bytes = parts.flatMap((p) => [...p]);
    return new Uint8Array(bytes);
  };
  const good = TEXT.encode(`${BATCH_HEADER}\r\n${batchLine(BASE + 400, "bad")}`);
  const cases: Array<[string, () => BatchFile, string]> = [
    [
      "a binary file",
      () => ({ name: "photo.csv", bytes: Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256) }),
      "batches.file.binary",
    ],
    [
      "an .xlsx workbook (a ZIP) renamed .csv",
      () => ({ name: "名单.csv", bytes: concat([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], good) }),
      "batches.file.workbook",
    ],
    [
      "an .xls workbook (OLE2)",
      () => ({ name: "名单.xls", bytes: concat([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], good) }),
      "batches.file.workbook",
    ],
    [
      "Excel's UTF-16 'Unicode text'",
      () => ({
        name: "名单.txt",
        bytes: concat([0xff, 0xfe], new Uint8Array(Buffer.from(`${BATCH_HEADER}\r\n`, "utf16le"))),
      }),
      "batches.file.utf16",
    ],
    [
      "bytes that are neither UTF-8 nor GB18030",
      () => ({ name: "名单.csv", bytes: concat(good, TEXT.encode("\r\n用户ID,"), [0x81, 0x20, 0xff, 0x0a]) }),
      "batches.file.badEncoding",
    ],
    [
      "a UTF-8 BOM followed by broken bytes",
      () => ({ name: "名单.csv", bytes: concat([0xef, 0xbb, 0xbf], good, [0xc3, 0x28]) }),
      "batches.file.badEncoding",
    ],
    [
      "a memo over 1,000 characters",
      () => batchFile([`用户ID,${userId(BASE + 401)},积分兑换,${"长".repeat(1_001)},ref_long`]),
      "batches.file.fieldTooLong",
    ],
    [
      "a quote left open",
      () => batchFile([`用户ID,${userId(BASE + 402)},积分兑换,"感谢参与,ref_quote`]),
      "batches.file.quoteNotClosed",
    ],
    [
      "more than 10 MiB",
      () => ({ name: "huge.csv", bytes: new Uint8Array(MAX_FILE_BYTES + 1).fill(0x41) }),
      "batches.file.tooLarge",
    ],
    [
      "more rows than a batch may hold",
      () => batchFile(batchLines(BASE + 500, MAX_ROWS + 1, "many")),
      "batches.file.tooManyRows",
    ],
    [
      "a header without the recipient column",
      () => batchFile(["用户ID"], { header: "收款人类型,备注" }),
      "batches.file.missingColumns",
    ],
    ["an empty file", () => ({ name: "empty.csv", bytes: new Uint8Array(0) }), "batches.file.empty"],
  ];

  it.each(cases)(
    "%s: VALIDATION naming the file (preview and submit alike), nothing written",
    async (_, make, key) => {
      const campaign = await sharedCampaign();
      const file = make();
      for (const attempt of [
        () => previewBatch(marketer.actor, { campaignId: campaign.id, file }),
        () => submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows: 1 }),
      ]) {
        const error = await refusal(attempt());
        expect(error.code).toBe("VALIDATION");
        expect(error.ref.key).toBe(key);
        expect(error.fieldErrors?.file?.map((ref) => ref.key)).toEqual([key]);
      }
      expect(await campaignState(campaign.id)).toEqual({ batches: 0, payouts: 0, reservedFen: 0 });
    },
  );

  it("formula cells are row problems or plain memos, and the invalid-rows download neutralises them ('=…)", async () => {
    const campaign = await sharedCampaign();
    const formula = `=cmd|' /C calc'!A0`;
    const hyperlink = `=HYPERLINK("http://evil.example","click")`;
    const file = batchFile([
      `用户ID,${userId(BASE + 410)},积分兑换,${formula},ref_formula_ok`, // row 2: a memo is text: valid
      `用户ID,"${hyperlink.replaceAll('"', '""')}",积分兑换,${formula},ref_formula_bad`, // row 3: not a user id
      `+SUM(1),${userId(BASE + 411)},@evil,-2+3,ref_formula_type`, // row 4: unknown type and scene
    ]);
    const preview = await previewBatch(marketer.actor, { campaignId: campaign.id, file });
    expect(preview.summary).toMatchObject({ rows: 3, validRows: 1, invalidRows: 2 });
    expect(preview.problems.map((p) => [p.row, p.column])).toEqual([
      [3, "identity"],
      [4, "identityType"],
      [4, "scene"],
    ]);

    const checked = await checkBatchFile(marketer.actor, { campaignId: campaign.id, file });
    const text = await streamText(invalidRowsCsv(checked.file, problemsOf(checked.outcomes), "en"));
    expect(text.startsWith("\uFEFF")).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...BATCH_HEADER.split(","), "original_row", "reason"]);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.slice(0, 6)).toEqual([
      "用户ID",
      `'${hyperlink}`,
      "积分兑换",
      `'${formula}`,
      "ref_formula_bad",
      "3",
    ]);
    expect(rows[1]!.slice(0, 6)).toEqual([
      "'+SUM(1)",
      userId(BASE + 411),
      "'@evil",
      "'-2+3",
      "ref_formula_type",
      "4",
    ]);
    // Every cell a spreadsheet would evaluate starts with the quote.
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    // Uploaded again unchanged, the download reads as the rows did (the quotes undone, the added columns ignored).
    const again = await previewBatch(marketer.actor, {
      campaignId: campaign.id,
      file: { name: "invalid-rows.csv", bytes: new TextEncoder().encode(text) },
    });
    expect(again.problems.map((p) => [p.row, p.column, p.key])).toEqual([
      [2, "identity", preview.problems[0]!.key],
      [3, "identityType", preview.problems[1]!.key],
      [3, "scene", preview.problems[2]!.key],
    ]);
    expect(await campaignState(campaign.id)).toEqual({ batches: 0, payouts: 0, reservedFen: 0 });
  });
});

let shared: Promise<{ id: string }> | undefined;
/** One campaign for the refusals: none of them may write anything to it. */
function sharedCampaign(): Promise<{ id: string }> {
  shared ??= activeCampaign(alipay, client, marketer.actor, { budgetFen: 10_000, packetCount: 100 });
  return shared;
}
