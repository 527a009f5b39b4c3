import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { MEMO_MAX } from "@/lib/validation/payouts";
import type { BatchCells, ParsedRow } from "./parse";
import { decodeBatchFile } from "./decode";
import { parseBatchCsv } from "./parse";
import {
  budgetProblems,
  duplicateOutBizNoProblems,
  frequencyProblems,
  problemsOf,
  recipientKey,
  summarise,
  validateBatch,
  validateRow,
  type BatchRowInput,
  type RowOutcome,
} from "./validate";

const EMPTY: BatchCells = { identityType: "", identity: "", name: "", scene: "", memo: "", outBizNo: "" };
function row(row: number, cells: Partial<BatchCells>): ParsedRow {
  const all = { ...EMPTY, ...cells };
  return { row, cells: all, raw: Object.values(all) };
}
// Ids from 2088000000000002 up: 2088000000000001 is the template's example, which is refused.
const userRow = (n: number, more: Partial<BatchCells> = {}) =>
  row(n, { identityType: "USER_ID", identity: `2088${String(n).padStart(12, "0")}`, ...more });
const input = (n: number, identity = `2088${String(n).padStart(12, "0")}`): BatchRowInput => ({
  row: n,
  identityType: "USER_ID",
  identity,
  name: null,
  scene: null,
  memo: null,
  outBizNo: null,
});
const problemKeys = (outcome: RowOutcome) =>
  outcome.ok ? [] : outcome.problems.map((p) => [p.column, p.key, p.params ?? null]);

describe("validateRow: each rule of a row", () => {
  it("normalises a good row: type and scene from their words, empty optional cells to null", () => {
    expect(
      validateRow(
        row(2, {
          identityType: "登录账号",
          identity: "13812345678",
          name: "张三",
          scene: "积分兑换",
          memo: "hi",
        }),
      ),
    ).toEqual({
      row: 2,
      ok: true,
      value: {
        row: 2,
        identityType: "LOGIN_ID",
        identity: "13812345678",
        name: "张三",
        scene: "POINTS_REDEMPTION",
        memo: "hi",
        outBizNo: null,
      },
    });
    expect(validateRow(userRow(3, { outBizNo: "order_1" }))).toMatchObject({
      ok: true,
      value: { scene: null, memo: null, outBizNo: "order_1" },
    });
  });

  it("requires the recipient type and recipient", () => {
    expect(problemKeys(validateRow(row(4, {})))).toEqual([
      ["identityType", "validation.required", null],
      ["identity", "validation.required", null],
    ]);
  });

  it("refuses an unknown recipient type", () => {
    expect(problemKeys(validateRow(row(5, { identityType: "手机", identity: "13812345678" })))).toEqual([
      ["identityType", "batches.problem.identityType", null],
    ]);
  });

  it.each([
    ["USER_ID", "2088123", "payouts.validation.userId"],
    ["OPEN_ID", "short", "payouts.validation.openId"],
    ["LOGIN_ID", "not a login", "payouts.validation.loginId"],
  ])("checks a %s recipient with the single-send rule", (identityType, identity, key) => {
    expect(problemKeys(validateRow(row(6, { identityType, identity })))).toEqual([["identity", key, null]]);
  });

  it("explains an id Excel turned into scientific notation", () => {
    expect(problemKeys(validateRow(row(7, { identityType: "USER_ID", identity: "2.08812E+15" })))).toEqual([
      ["identity", "batches.problem.scientificNotation", null],
    ]);
  });

  it("refuses the template's example recipients", () => {
    expect(
      problemKeys(validateRow(row(8, { identityType: "USER_ID", identity: "2088000000000001" }))),
    ).toEqual([["identity", "batches.problem.templateExample", null]]);
  });

  it("limits the recipient, name and memo lengths", () => {
    const outcome = validateRow(
      row(9, {
        identityType: "OPEN_ID",
        identity: "a".repeat(129),
        name: "n".repeat(101),
        memo: "m".repeat(MEMO_MAX + 1),
      }),
    );
    expect(problemKeys(outcome)).toEqual([
      ["identity", "validation.tooLong", { maximum: 128 }],
      ["name", "validation.tooLong", { maximum: 100 }],
      ["memo", "validation.tooLong", { maximum: MEMO_MAX }],
    ]);
    expect(validateRow(userRow(10, { memo: "m".repeat(MEMO_MAX) })).ok).toBe(true);
  });

  it("requires a name for login ids only when the rail needs it", () => {
    const loginRow = row(11, { identityType: "LOGIN_ID", identity: "a@example.com" });
    expect(validateRow(loginRow).ok).toBe(true);
    expect(problemKeys(validateRow(loginRow, { requireName: true }))).toEqual([
      ["name", "batches.problem.nameRequired", null],
    ]);
    expect(validateRow(userRow(12), { requireName: true }).ok).toBe(true);
  });

  it("refuses an unknown scene; empty means the campaign's default", () => {
    expect(problemKeys(validateRow(userRow(13, { scene: "抽奖" })))).toEqual([
      ["scene", "batches.problem.scene", null],
    ]);
  });

  it("checks the business reference with the single-send pattern", () => {
    expect(problemKeys(validateRow(userRow(14, { outBizNo: "order-1" })))).toEqual([
      ["outBizNo", "payouts.validation.outBizNo", null],
    ]);
    expect(problemKeys(validateRow(userRow(15, { outBizNo: "x".repeat(65) })))).toEqual([
      ["outBizNo", "payouts.validation.outBizNo", null],
    ]);
  });
});

describe("checks across the file", () => {
  it("refuses every row of a duplicated business reference, each naming another", () => {
    const rows = [
      userRow(2, { outBizNo: "A" }),
      userRow(3, { outBizNo: "B" }),
      userRow(4, { outBizNo: "A" }),
    ];
    expect(duplicateOutBizNoProblems(rows)).toEqual([
      { row: 2, column: "outBizNo", key: "batches.problem.duplicateOutBizNo", params: { otherRow: 4 } },
      { row: 4, column: "outBizNo", key: "batches.problem.duplicateOutBizNo", params: { otherRow: 2 } },
    ]);
  });

  it("refuses the rows past a recipient's lifetime limit, counting what they already have", () => {
    const same = "2088999999999999";
    const rows = [input(2, same), input(3, same), input(4), input(5, same)];
    expect(frequencyProblems(rows, 2).map((p) => [p.row, p.params])).toEqual([
      [5, { limit: 2, firstRow: 2 }],
    ]);
    const used = new Map([[recipientKey({ identityType: "USER_ID", identity: same }), 1]]);
    expect(frequencyProblems(rows, 2, used).map((p) => p.row)).toEqual([3, 5]);
    expect(frequencyProblems(rows, 1).map((p) => p.row)).toEqual([3, 5]);
  });

  it("refuses the rows past a per-period limit too, with the period's message", () => {
    const same = "2088999999999999";
    const rows = [
      row(2, { identityType: "USER_ID", identity: same }),
      row(3, { identityType: "USER_ID", identity: same }),
    ];
    const used = new Map([[recipientKey({ identityType: "USER_ID", identity: same }), 1]]);
    const outcomes = validateBatch(rows, {
      packetFen: 100,
      availableFen: 1000,
      lifetimeLimit: 5,
      usedByRecipient: used,
      period: { period: "DAY", limit: 2, usedByRecipient: used },
    });
    expect(problemsOf(outcomes)).toEqual([
      {
        row: 3,
        column: "identity",
        key: "batches.problem.frequencyPeriod.DAY",
        params: { limit: 2, firstRow: 2 },
      },
    ]);
  });

  it("refuses the rows past what the budget covers, in integer fen", () => {
    const rows = [input(2), input(3), input(4), input(5)];
    // 2,999 fen pays for two packets of 1,000: rows 4 and 5 are past it.
    expect(budgetProblems(rows, 1000, 2999)).toEqual([
      { row: 4, column: null, key: "batches.problem.overBudget", params: { count: 2 } },
      { row: 5, column: null, key: "batches.problem.overBudget", params: { count: 2 } },
    ]);
    expect(budgetProblems(rows, 1000, 4000)).toEqual([]);
    expect(budgetProblems(rows, 1000, 0).map((p) => p.row)).toEqual([2, 3, 4, 5]);
  });

  it("applies the rules in order: a bad row does not use a recipient's limit or the budget", () => {
    const same = "2088999999999999";
    const rows = [
      row(2, { identityType: "USER_ID", identity: same, outBizNo: "bad-ref" }),
      row(3, { identityType: "USER_ID", identity: same }),
      row(4, { identityType: "USER_ID", identity: same }),
      userRow(5, { outBizNo: "used_before" }),
      userRow(6),
      userRow(7),
    ];
    const outcomes = validateBatch(rows, {
      packetFen: 500,
      availableFen: 1000,
      lifetimeLimit: 1,
      existingOutBizNos: new Set(["used_before"]),
    });
    expect(outcomes.map((o) => [o.row, o.ok ? "ok" : o.problems.map((p) => p.key).join()])).toEqual([
      [2, "payouts.validation.outBizNo"],
      [3, "ok"],
      [4, "batches.problem.frequency"],
      [5, "batches.problem.outBizNoExists"],
      [6, "ok"],
      [7, "batches.problem.overBudget"],
    ]);
    expect(summarise(outcomes, 500, 1000)).toEqual({
      rows: 6,
      validRows: 2,
      invalidRows: 4,
      amountFen: 1000,
      budgetLeftFen: 0,
    });
  });
});

function gbkFile(rows: number, bad: Map<number, string>): Uint8Array {
  const lines = ["收款人类型,收款人,姓名,场景,备注,业务单号"];
  for (let i = 0; i < rows; i++) {
    const line = `用户ID,2088${String(100 + i).padStart(12, "0")},张三${i},积分兑换,恭喜发财,points_${i}`;
    lines.push(bad.get(i) ?? line);
  }
  return iconv.encode(`${lines.join("\r\n")}\r\n`, "gbk");
}

describe("a whole file, bytes to outcomes", () => {
  it("a 20-row GBK file with 2 bad rows gives 18 valid rows and 2 problems naming row and column", () => {
    const bytes = gbkFile(
      20,
      new Map([
        [4, "用户ID,2088123,李四,积分兑换,恭喜发财,points_4"], // spreadsheet row 6: recipient too short
        [11, "登录账号,13812345678,王五,抽奖,恭喜发财,points_11"], // row 13: unknown scene
      ]),
    );
    const decoded = decodeBatchFile(bytes);
    if (!decoded.ok) throw new Error(decoded.error.key);
    expect(decoded.encoding).toBe("gb18030");
    const parsed = parseBatchCsv(decoded.text);
    if (!parsed.ok) throw new Error(parsed.error.key);
    const outcomes = validateBatch(parsed.rows, { packetFen: 188, availableFen: 100_000, lifetimeLimit: 1 });
    expect(outcomes.filter((o) => o.ok)).toHaveLength(18);
    expect(problemsOf(outcomes)).toEqual([
      { row: 6, column: "identity", key: "payouts.validation.userId" },
      { row: 13, column: "scene", key: "batches.problem.scene" },
    ]);
    const good = outcomes.find((o) => o.row === 2);
    expect(good).toMatchObject({
      ok: true,
      value: { name: "张三0", memo: "恭喜发财", scene: "POINTS_REDEMPTION" },
    });
    expect(summarise(outcomes, 188, 100_000)).toEqual({
      rows: 20,
      validRows: 18,
      invalidRows: 2,
      amountFen: 18 * 188,
      budgetLeftFen: 100_000 - 18 * 188,
    });
  });

  it("a 50,000-row file decodes, parses and validates", () => {
    const lines = ["recipient_type,recipient_id,name,scene,memo,out_biz_no"];
    for (let i = 0; i < 50_000; i++)
      lines.push(
        `USER_ID,2088${String(1_000_000 + i).padStart(12, "0")},,POINTS_REDEMPTION,恭喜发财,batch_${i}`,
      );
    const bytes = new TextEncoder().encode(lines.join("\r\n"));
    const started = performance.now();
    const decoded = decodeBatchFile(bytes);
    if (!decoded.ok) throw new Error(decoded.error.key);
    const parsed = parseBatchCsv(decoded.text);
    if (!parsed.ok) throw new Error(parsed.error.key);
    const outcomes = validateBatch(parsed.rows, {
      packetFen: 100,
      availableFen: 10_000_000,
      lifetimeLimit: 1,
    });
    const ms = performance.now() - started;
    console.log(
      `50,000 rows (${(bytes.length / 1024 / 1024).toFixed(1)} MiB): decode + parse + validate ${ms.toFixed(0)} ms`,
    );
    expect(summarise(outcomes, 100, 10_000_000)).toEqual({
      rows: 50_000,
      validRows: 50_000,
      invalidRows: 0,
      amountFen: 5_000_000,
      budgetLeftFen: 5_000_000,
    });
  });
});
