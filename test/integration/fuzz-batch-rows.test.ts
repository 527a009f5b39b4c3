/**
 * Property-based tests of batch files: the decoder, the CSV parser and the row checks (lib/batches/*) on random
 * rows of hostile cells — formula injection, BOM, GBK bytes, quotes and line breaks inside cells, amounts in
 * every spelling, empty lines, extra and missing columns, duplicate recipients and references — and the preview
 * and submission services (lib/batches/service.ts) on such files against the real database. Nothing throws but a
 * refusal naming the file; every bad row is reported with its row number and column; the invalid-rows download
 * reads back as the rows it came from; a preview writes nothing, and a submission writes exactly the valid rows
 * (the batch, its payouts, the held budget and its audit event) or nothing at all.
 */
import fc from "fast-check";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AlipayClient } from "@/lib/alipay/client";
import { BATCH_FIELDS, parseIdentityType, parseScene } from "@/lib/batches/columns";
import { decodeBatchFile } from "@/lib/batches/decode";
import { invalidRowsCsv } from "@/lib/batches/invalid-rows-csv";
import { MAX_FIELD_CHARS } from "@/lib/batches/limits";
import { parseBatchCsv, type ParsedRow } from "@/lib/batches/parse";
import { previewBatch, submitBatch, type BatchFile } from "@/lib/batches/service";
import { problemsOf, validateBatch, type BatchContext } from "@/lib/batches/validate";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { isMessageKey, translate } from "@/lib/i18n/messages";
import { LOCALES } from "@/lib/i18n/locales";
import { identityProblem, MEMO_MAX, OUT_BIZ_NO_PATTERN } from "@/lib/validation/payouts";
import { fuzzParams, fuzzTimeout, fuzzUserId, hostileString } from "../support/arbitraries";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { BATCH_HEADER, parseCsv, streamText } from "../support/batches";
import { insertUser } from "../support/factories";
import { activeCampaign } from "../support/payouts";

// Per property, scaled with FUZZ_RUNS: well above what one takes on a loaded machine (see fuzzTimeout).
vi.setConfig({ testTimeout: fuzzTimeout(180_000) });

/** Recipients of this file: 5_500_000 + i, apart from every other test file's. */
const USERS = 5_500_000;
/** The template's columns in BATCH_HEADER's order. */
const COLUMNS = ["identityType", "identity", "scene", "memo", "outBizNo"] as const;

// ---------------------------------------------------------------------------------------------------------------
// Generators: one record is the cells of a line, in BATCH_HEADER's order, possibly cut short or with extra cells.

let seq = 0;
const uniqueRef = () => {
  seq += 1;
  return `fzb_${Date.now().toString(36)}_${seq}`;
};

const amountText = fc.constantFrom("1e3", "¥1,000", "0.001", "-5", "1,000.00", "NaN", "¥", "9".repeat(30));

function cellFor(column: (typeof COLUMNS)[number]): fc.Arbitrary<string> {
  switch (column) {
    case "identityType":
      return fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom("用户ID", "USER_ID", " user_id ", "ＵＩＤ") },
        { weight: 1, arbitrary: fc.constantFrom("OpenID", "登录账号", "") },
        { weight: 2, arbitrary: hostileString({ maxLength: 40 }) },
      );
    case "identity":
      return fc.oneof(
        { weight: 6, arbitrary: fuzzUserId(USERS) },
        {
          weight: 1,
          arbitrary: fc.constantFrom("2088100005500001", "2.08812E+15", "13800138000", "a@b.cn", ""),
        },
        { weight: 2, arbitrary: hostileString({ maxLength: 140 }) },
      );
    case "scene":
      return fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom("", "积分兑换", "POINTS_REDEMPTION", "邀请") },
        { weight: 1, arbitrary: hostileString({ maxLength: 30 }) },
      );
    case "memo":
      return fc.oneof(
        { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
        {
          weight: 1,
          arbitrary: fc.constantFrom("=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "'=1+1", "\t=1"),
        },
        { weight: 1, arbitrary: amountText },
        { weight: 1, arbitrary: fc.constant("备".repeat(MEMO_MAX + 1)) },
        { weight: 2, arbitrary: hostileString({ maxLength: 100 }) },
      );
    case "outBizNo":
      return fc.oneof(
        { weight: 3, arbitrary: fc.constant(null).map(uniqueRef) },
        { weight: 2, arbitrary: fc.constantFrom("", "dup_1", "dup_2") },
        { weight: 2, arbitrary: hostileString({ maxLength: 70 }) },
      );
  }
}

const recordArb: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(...COLUMNS.map(cellFor)) },
  // Missing columns (the line cut short) and extra cells past the header.
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.tuple(...COLUMNS.map(cellFor)), fc.integer({ min: 0, max: 4 }))
      .map(([cells, n]) => cells.slice(0, n)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.tuple(...COLUMNS.map(cellFor)),
        fc.array(fc.oneof(amountText, hostileString()), { maxLength: 3 }),
      )
      .map(([cells, extra]) => [...cells, ...extra]),
  },
  // Empty lines and lines of empty cells, as spreadsheets save emptied rows.
  { weight: 1, arbitrary: fc.constantFrom([""], ["", "", "", "", ""], ["  ", "\t"]).map((r) => [...r]) },
);

/** A cell as a spreadsheet writes it: quoted (quotes doubled) when it holds a delimiter, quote or line break. */
function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

type FileCase = {
  records: string[][];
  header: string;
  lineEnd: string;
  bom: boolean;
  encoding: "utf-8" | "gbk";
};

const fileCase: fc.Arbitrary<FileCase> = fc.record({
  records: fc.array(recordArb, { minLength: 1, maxLength: 12 }),
  header: fc.constantFrom(BATCH_HEADER, `${BATCH_HEADER},金额`, `${BATCH_HEADER},amount,`),
  lineEnd: fc.constantFrom("\r\n", "\n", "\r"),
  bom: fc.boolean(),
  encoding: fc.constantFrom<"utf-8" | "gbk">("utf-8", "utf-8", "gbk"),
});

function textOf(c: FileCase): string {
  return [c.header, ...c.records.map((r) => r.map(quote).join(","))].join(c.lineEnd);
}

function bytesOf(c: FileCase): Uint8Array {
  const text = textOf(c);
  if (c.encoding === "gbk") return new Uint8Array(iconv.encode(text, "gbk"));
  const body = new TextEncoder().encode(text);
  return c.bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...body]) : body;
}

/**
 * What the parser keeps of a cell: as UTF-8 carries it (a lone surrogate becomes U+FFFD), a neutralising quote
 * before a formula character dropped, trimmed.
 */
function expectedCell(cell: string | undefined): string {
  const carried = new TextDecoder().decode(new TextEncoder().encode(cell ?? ""));
  return carried
    .trimStart()
    .replace(/^'(?=[=+\-@\t\r])/, "")
    .trim();
}

const isBlank = (record: readonly string[]) => record.every((cell) => cell.trim() === "");

/** Every message a problem or a file refusal carries reads in every language, with its parameters filled. */
function expectReadable(key: string, params?: Record<string, string | number>): void {
  expect(isMessageKey(key), key).toBe(true);
  for (const locale of LOCALES) {
    const text = translate(locale, key as Parameters<typeof translate>[1], params);
    expect(text, `${locale} ${key}`).not.toMatch(/\{\w+\}/);
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe("decoding and parsing (pure)", () => {
  it("random bytes never throw: text, or a refusal the uploader can read", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fileCase.map(bytesOf),
          fc
            .tuple(fileCase.map(bytesOf), fc.uint8Array({ maxLength: 8 }), fc.nat())
            .map(([bytes, noise, at]) => {
              const i = bytes.length === 0 ? 0 : at % bytes.length;
              return new Uint8Array([...bytes.slice(0, i), ...noise, ...bytes.slice(i)]);
            }),
        ),
        (bytes) => {
          const decoded = decodeBatchFile(bytes);
          if (!decoded.ok) return expectReadable(decoded.error.key, decoded.error.params);
          const parsed = parseBatchCsv(decoded.text);
          if (!parsed.ok) return expectReadable(parsed.error.key, parsed.error.params);
          for (const row of parsed.rows)
            expect(Object.keys(row.cells).sort()).toEqual([...BATCH_FIELDS].sort());
        },
      ),
      fuzzParams(200),
    );
  });

  it("rows keep the number a spreadsheet shows and the cells as written, whatever the quoting and line ends", () => {
    fc.assert(
      fc.property(fileCase, (c) => {
        const decoded = decodeBatchFile(bytesOf(c));
        // GBK cannot hold every character (iconv writes "?"), and many control characters make it "binary".
        if (!decoded.ok || c.encoding === "gbk") return;
        const parsed = parseBatchCsv(decoded.text);
        if (c.records.every(isBlank)) {
          expect(parsed).toEqual({ ok: false, error: { key: "batches.file.noRows" } });
          return;
        }
        expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
        if (!parsed.ok) return;
        const expected = c.records.flatMap((record, i) =>
          isBlank(record) ? [] : [{ row: i + 2, cells: COLUMNS.map((_, j) => expectedCell(record[j])) }],
        );
        expect(parsed.rows.map((r) => ({ row: r.row, cells: COLUMNS.map((col) => r.cells[col]) }))).toEqual(
          expected,
        );
        expect(parsed.rows.every((r) => r.cells.name === "")).toBe(true);
        // An unknown column is ignored and said so.
        expect(parsed.warnings.length).toBe(c.header.includes("金额") || c.header.includes("amount") ? 1 : 0);
      }),
      fuzzParams<[FileCase]>(200, [
        // Regressions and classics: a quoted line break, a BOM inside a cell, a neutralised formula.
        [
          {
            records: [["用户ID", "2088100005500001", "", 'a "quoted"\r\nline', "r_1"]],
            header: BATCH_HEADER,
            lineEnd: "\n",
            bom: true,
            encoding: "utf-8",
          },
        ],
        [
          {
            records: [
              ["\uFEFF用户ID", "2088100005500001", "", "'=1+1", ""],
              [""],
              ["用户ID", "2088100005500002"],
            ],
            header: BATCH_HEADER,
            lineEnd: "\r",
            bom: false,
            encoding: "utf-8",
          },
        ],
      ]),
    );
  });

  it("a cell past the size limit ends the parse with a message naming its row and column", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), (column, before) => {
        const good = ["用户ID", "2088100005500001", "", "", ""];
        const bad = [...good];
        bad[column] = "x".repeat(MAX_FIELD_CHARS + 1);
        const parsed = parseBatchCsv(
          [BATCH_HEADER, ...Array<string>(before).fill(good.join(",")), bad.join(",")].join("\n"),
        );
        expect(parsed).toMatchObject({
          ok: false,
          error: { key: "batches.file.fieldTooLong", params: { row: before + 2 } },
        });
      }),
      fuzzParams(50),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

const contextArb: fc.Arbitrary<BatchContext> = fc.record({
  packetFen: fc.constantFrom(100, 250),
  availableFen: fc.integer({ min: 0, max: 3_000 }),
  lifetimeLimit: fc.integer({ min: 1, max: 3 }),
  existingOutBizNos: fc.constant(new Set(["dup_2"])),
  requireName: fc.boolean(),
});

describe("row checks (pure)", () => {
  it("every bad row is reported with its row number and a column of the file; good rows obey every rule", async () => {
    await fc.assert(
      fc.asyncProperty(fileCase, contextArb, async (c, context) => {
        const parsed = parseBatchCsv(textOf(c));
        if (!parsed.ok) return;
        const outcomes = validateBatch(parsed.rows, context);
        expect(outcomes.map((o) => o.row)).toEqual(parsed.rows.map((r) => r.row));
        const byRow = new Map<number, ParsedRow>(parsed.rows.map((r) => [r.row, r]));
        for (const outcome of outcomes) {
          const { cells } = byRow.get(outcome.row) as ParsedRow;
          if (!outcome.ok) {
            expect(outcome.problems.length).toBeGreaterThan(0);
            for (const p of outcome.problems) {
              expect(p.row).toBe(outcome.row);
              if (p.column !== null) expect(BATCH_FIELDS).toContain(p.column);
              expectReadable(p.key, p.params);
            }
            continue;
          }
          // What an accepted row must be, stated without the validator's code.
          const type = parseIdentityType(cells.identityType);
          expect(type).not.toBeNull();
          expect(identityProblem(type ?? "USER_ID", cells.identity)).toBeNull();
          expect(cells.memo.length).toBeLessThanOrEqual(MEMO_MAX);
          expect(cells.outBizNo === "" || OUT_BIZ_NO_PATTERN.test(cells.outBizNo)).toBe(true);
          expect(cells.scene === "" || parseScene(cells.scene) !== null).toBe(true);
          expect(context.existingOutBizNos?.has(cells.outBizNo)).toBe(false);
        }
        const good = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
        // No reference twice, no recipient past the limit, no more packets than the budget covers.
        const refs = good.map((g) => g.outBizNo).filter((r) => r !== null);
        expect(new Set(refs).size).toBe(refs.length);
        const perRecipient = new Map<string, number>();
        for (const g of good)
          perRecipient.set(
            `${g.identityType}:${g.identity}`,
            (perRecipient.get(`${g.identityType}:${g.identity}`) ?? 0) + 1,
          );
        for (const count of perRecipient.values()) expect(count).toBeLessThanOrEqual(context.lifetimeLimit);
        expect(good.length * context.packetFen).toBeLessThanOrEqual(context.availableFen);
        // A reference used by two rows refuses both, each on the reference column.
        for (const row of parsed.rows) {
          const ref = row.cells.outBizNo;
          if (!OUT_BIZ_NO_PATTERN.test(ref)) continue;
          if (parsed.rows.filter((r) => r.cells.outBizNo === ref).length < 2) continue;
          const outcome = outcomes.find((o) => o.row === row.row);
          expect(outcome?.ok).toBe(false);
          if (outcome && !outcome.ok)
            expect(outcome.problems.some((p) => p.column === "outBizNo")).toBe(true);
        }

        // The invalid-rows download: no cell a spreadsheet would run, and it reads back as the rows it lists.
        const problems = problemsOf(outcomes);
        const download = await streamText(invalidRowsCsv(parsed, problems, "en"));
        for (const record of parseCsv(download))
          for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        const invalid = outcomes.filter((o) => !o.ok).map((o) => byRow.get(o.row) as ParsedRow);
        const reread = parseBatchCsv(download);
        if (invalid.length === 0) return;
        expect(reread.ok).toBe(true);
        if (reread.ok) expect(reread.rows.map((r) => r.cells)).toEqual(invalid.map((r) => r.cells));
      }),
      fuzzParams<[FileCase, BatchContext]>(200, [
        // Regression (seed 29732851): a memo "\t=1" was read as "=1", written to the download as "'\t=1" and
        // read back as "\t=1" — the fixed file did not upload as it was.
        [
          {
            records: [["用户ID", "2088100005500001", "", "\t=1", ""]],
            header: BATCH_HEADER,
            lineEnd: "\r\n",
            bom: false,
            encoding: "utf-8",
          },
          {
            packetFen: 100,
            availableFen: 0,
            lifetimeLimit: 1,
            existingOutBizNos: new Set(["dup_2"]),
            requireName: false,
          },
        ],
        // Regression: a scene cell of only a tab was read as "", written as "'\t" and read back as "'".
        [
          {
            records: [["用户ID", "2088100005500000", "\t", "", ""]],
            header: BATCH_HEADER,
            lineEnd: "\r\n",
            bom: false,
            encoding: "utf-8",
          },
          {
            packetFen: 100,
            availableFen: 0,
            lifetimeLimit: 1,
            existingOutBizNos: new Set(["dup_2"]),
            requireName: false,
          },
        ],
      ]),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 3000 });
  marketer = await insertUser("marketer");
});
afterAll(() => alipay.sim.stop());

async function state(campaignId: string) {
  const [batches, payouts, audit, campaign] = await Promise.all([
    db.batch.count({ where: { campaignId } }),
    db.payout.count({ where: { campaignId } }),
    db.auditEvent.count({ where: { actorId: marketer.user.id } }),
    db.campaign.findUniqueOrThrow({
      where: { id: campaignId },
      select: { reservedFen: true, spentFen: true, budgetFen: true, refundedFen: true },
    }),
  ]);
  return { batches, payouts, audit, campaign };
}

/** The service's refusal, or the value: anything else thrown fails the property. */
async function settle<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: DomainError }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error };
    throw error;
  }
}

describe("preview and submission (database)", () => {
  it("preview writes nothing; submission writes exactly the valid rows with its event, or nothing", async () => {
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 1_000_000,
      packetCount: 10_000,
      frequencyLifetime: 2,
    });
    await fc.assert(
      fc.asyncProperty(fileCase, fc.integer({ min: -1, max: 1 }), async (c, offBy) => {
        const file: BatchFile = { name: "名单.csv", bytes: bytesOf(c) };
        const before = await state(campaign.id);
        const preview = await settle(previewBatch(marketer.actor, { campaignId: campaign.id, file }));
        expect(await state(campaign.id)).toEqual(before);
        if (!preview.ok) {
          // A file-level refusal names the file.
          expect(preview.error.code).toBe("VALIDATION");
          expect(Object.keys(preview.error.fieldErrors ?? {})).toEqual(["file"]);
          return;
        }
        const { summary } = preview.value;
        for (const p of preview.value.problems) expect(p.row).toBeGreaterThanOrEqual(2);
        expect(preview.value.problemCount).toBeGreaterThanOrEqual(summary.invalidRows);

        // The uploader confirms the count they saw (or, off by one, a count the file no longer has).
        const expectedValidRows = summary.validRows + offBy;
        const submitted = await settle(
          submitBatch(marketer.actor, { campaignId: campaign.id, file, expectedValidRows }),
        );
        const after = await state(campaign.id);
        if (!submitted.ok) {
          expect(["VALIDATION", "CONFLICT"]).toContain(submitted.error.code);
          expect(after).toEqual(before);
          return;
        }
        expect(offBy).toBe(0);
        const batch = submitted.value;
        expect(batch.rowCount).toBe(summary.validRows);
        const payouts = await db.payout.findMany({
          where: { batchId: batch.id },
          select: { identity: true, outBizNo: true, status: true },
        });
        expect(payouts).toHaveLength(summary.validRows);
        expect(payouts.every((p) => p.status === "PENDING_APPROVAL")).toBe(true);
        expect(after.payouts).toBe(before.payouts + summary.validRows);
        expect(after.batches).toBe(before.batches + 1);
        expect(after.campaign.reservedFen).toBe(before.campaign.reservedFen + batch.amountFen);
        const events = await db.auditEvent.findMany({ where: { entityId: batch.id } });
        expect(events.map((e) => e.action)).toEqual(["batch.submit"]);
        // Nothing of a refused row was saved: each payout is one of the rows the preview accepted.
        const decoded = decodeBatchFile(file.bytes);
        const parsed = decoded.ok ? parseBatchCsv(decoded.text) : null;
        if (parsed?.ok) {
          const refused = new Set(preview.value.problems.map((p) => p.row));
          const goodIdentities = new Set(
            parsed.rows.filter((r) => !refused.has(r.row)).map((r) => r.cells.identity),
          );
          for (const p of payouts) expect(goodIdentities.has(p.identity)).toBe(true);
        }
      }),
      fuzzParams(30),
    );
  });
});
