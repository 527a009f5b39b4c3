import { describe, expect, it } from "vitest";
import { fieldForHeader, parseIdentityType, parseScene } from "./columns";
import { MAX_FIELD_CHARS, MAX_ROWS } from "./limits";
import { parseBatchCsv, type ParsedBatch } from "./parse";

function parsed(text: string): ParsedBatch {
  const result = parseBatchCsv(text);
  if (!result.ok) throw new Error(`expected a parse, got ${JSON.stringify(result.error)}`);
  return result;
}

describe("headers", () => {
  it("recognises Chinese and English headers, codes and common variants", () => {
    expect(fieldForHeader("收款人类型")).toBe("identityType");
    expect(fieldForHeader("recipient_type")).toBe("identityType");
    expect(fieldForHeader("Recipient Type")).toBe("identityType");
    expect(fieldForHeader(" 收款人（必填） ")).toBe("identity");
    expect(fieldForHeader("*收款人")).toBe("identity");
    expect(fieldForHeader("recipient_id")).toBe("identity");
    expect(fieldForHeader("姓名")).toBe("name");
    expect(fieldForHeader("场景")).toBe("scene");
    expect(fieldForHeader("备注")).toBe("memo");
    expect(fieldForHeader("业务单号")).toBe("outBizNo");
    expect(fieldForHeader("outBizNo")).toBe("outBizNo");
    expect(fieldForHeader("金额")).toBeNull();
    expect(fieldForHeader("")).toBe("ignored");
    expect(fieldForHeader("错误原因")).toBe("ignored");
  });

  it("maps rows by header whatever the column order, with spreadsheet row numbers", () => {
    const batch = parsed("备注,收款人,收款人类型\r\nhi,2088123412341234,用户ID\r\n,13812345678,登录账号\r\n");
    expect(batch.header).toEqual(["备注", "收款人", "收款人类型"]);
    expect(batch.rows).toEqual([
      {
        row: 2,
        cells: {
          identityType: "用户ID",
          identity: "2088123412341234",
          name: "",
          scene: "",
          memo: "hi",
          outBizNo: "",
        },
        raw: ["hi", "2088123412341234", "用户ID"],
      },
      expect.objectContaining({ row: 3 }),
    ]);
    expect(batch.warnings).toEqual([]);
  });

  it("ignores unknown columns with a warning naming them", () => {
    const batch = parsed("recipient_type,recipient_id,amount\nUSER_ID,2088123412341234,5\n");
    expect(batch.warnings).toEqual([{ key: "batches.warning.unknownColumn", params: { column: "amount" } }]);
    expect(batch.rows[0]?.cells.identity).toBe("2088123412341234");
  });

  it("refuses a file missing a required column, naming it in both languages", () => {
    expect(parseBatchCsv("收款人,备注\n2088123412341234,x\n")).toEqual({
      ok: false,
      error: { key: "batches.file.missingColumns", params: { columns: "收款人类型/recipient_type" } },
    });
    expect(parseBatchCsv("\n\n")).toEqual({ ok: false, error: { key: "batches.file.noHeader" } });
  });

  it("refuses a column given twice", () => {
    expect(parseBatchCsv("收款人类型,收款人,recipient_id\n")).toEqual({
      ok: false,
      error: { key: "batches.file.duplicateColumn", params: { column: "收款人/recipient_id" } },
    });
  });

  it("refuses a header without rows", () => {
    expect(parseBatchCsv("收款人类型,收款人\r\n,\r\n")).toEqual({
      ok: false,
      error: { key: "batches.file.noRows" },
    });
  });
});

describe("records", () => {
  it("reads quoted fields, mixed line ends, and keeps the numbers of skipped blank rows", () => {
    const batch = parsed(
      'recipient_type,recipient_id,memo\r\nUSER_ID,2088123412341234,"a, ""quoted""\nmemo"\n\n,,\rOPEN_ID,  abcdefghijklmnop  ,x',
    );
    expect(batch.rows.map((r) => [r.row, r.cells.identity, r.cells.memo])).toEqual([
      [2, "2088123412341234", 'a, "quoted"\nmemo'],
      [5, "abcdefghijklmnop", "x"],
    ]);
  });

  it("undoes the export's formula neutralising so a downloaded file uploads again", () => {
    const batch = parsed("recipient_type,recipient_id,memo\nUSER_ID,2088123412341234,'=1+1\n");
    expect(batch.rows[0]?.cells.memo).toBe("=1+1");
  });

  it("names the row of a quote left open, never throwing the library's error", () => {
    expect(parseBatchCsv('收款人类型,收款人\n用户ID,2088123412341234\n用户ID,"2088\n')).toEqual({
      ok: false,
      error: { key: "batches.file.quoteNotClosed", params: { row: 3 } },
    });
  });

  it("names the row and column of a cell over the field limit", () => {
    const long = "x".repeat(MAX_FIELD_CHARS + 1);
    expect(
      parseBatchCsv(`收款人类型,收款人,备注\n用户ID,2088123412341234,ok\n用户ID,2088123412341234,${long}\n`),
    ).toEqual({
      ok: false,
      error: {
        key: "batches.file.fieldTooLong",
        params: { row: 3, column: "备注/memo", max: MAX_FIELD_CHARS },
      },
    });
  });

  it("names the row of a record over the record limit", () => {
    const huge = "y".repeat(70_000);
    expect(parseBatchCsv(`收款人类型,收款人\n用户ID,2088123412341234\n用户ID,${huge}\n`)).toEqual({
      ok: false,
      error: { key: "batches.file.recordTooLong", params: { row: 3 } },
    });
  });

  it("refuses more than the row limit", () => {
    const line = "USER_ID,2088123412341234\n";
    expect(parseBatchCsv(`recipient_type,recipient_id\n${line.repeat(MAX_ROWS)}`).ok).toBe(true);
    expect(parseBatchCsv(`recipient_type,recipient_id\n${line.repeat(MAX_ROWS + 1)}`)).toEqual({
      ok: false,
      error: { key: "batches.file.tooManyRows", params: { max: MAX_ROWS } },
    });
  });
});

describe("values", () => {
  it.each([
    ["USER_ID", "USER_ID"],
    ["user_id", "USER_ID"],
    ["用户ID", "USER_ID"],
    ["用户ＩＤ", "USER_ID"],
    ["OPEN_ID", "OPEN_ID"],
    ["OpenID", "OPEN_ID"],
    ["open id", "OPEN_ID"],
    ["LOGIN_ID", "LOGIN_ID"],
    ["登录账号", "LOGIN_ID"],
    ["支付宝账号", "LOGIN_ID"],
    ["手机", null],
  ])("reads the recipient type %j as %j", (text, expected) => {
    expect(parseIdentityType(text)).toBe(expected);
  });

  it.each([
    ["POINTS_REDEMPTION", "POINTS_REDEMPTION"],
    ["积分兑换", "POINTS_REDEMPTION"],
    ["Points redemption", "POINTS_REDEMPTION"],
    ["邀请注册奖励", "INVITE_REWARD"],
    ["邀请", "INVITE_REWARD"],
    ["手动发放", "MANUAL"],
    ["other", "OTHER"],
    ["其他", "OTHER"],
    ["抽奖", null],
  ])("reads the scene %j as %j", (text, expected) => {
    expect(parseScene(text)).toBe(expected);
  });
});
