import { describe, expect, it } from "vitest";
import { invalidRowsCsv, problemText } from "./invalid-rows-csv";
import { parseBatchCsv, type ParsedBatch } from "./parse";
import { problemsOf, validateBatch } from "./validate";

async function textOf(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}

function parsed(text: string): ParsedBatch {
  const result = parseBatchCsv(text);
  if (!result.ok) throw new Error(result.error.key);
  return result;
}

const FILE = [
  "收款人类型,收款人,备注,来源",
  "用户ID,2088123412341234,好,crm",
  '用户ID,=HYPERLINK("http://evil"),+1+1,@SUM(A1)',
  "登录账号,13812345678,-2+3,crm",
  "用户ID,2088123412341235,ok,crm",
].join("\r\n");

describe("invalidRowsCsv", () => {
  it("writes only the refused rows with their original number and the reasons in the reader's language", async () => {
    const batch = parsed(FILE);
    const problems = problemsOf(
      validateBatch(batch.rows, { packetFen: 100, availableFen: 200, lifetimeLimit: 1 }),
    );
    const zh = await textOf(invalidRowsCsv(batch, problems, "zh-CN"));
    expect(zh.startsWith("\uFEFF收款人类型,收款人,备注,来源,原行号,错误原因\r\n")).toBe(true);
    const lines = zh.slice(1).trimEnd().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("用户ID,2088123412341235,ok,crm,5,超出可用预算：预算只够发放 2 个红包。");
    const en = await textOf(invalidRowsCsv(batch, problems, "en"));
    expect(en).toContain(",original_row,reason\r\n");
    expect(en).toContain("Recipient: An Alipay user id is 16 digits starting with 2088.");
  });

  it("neutralises formulas from the uploaded cells (CSV injection) and the neutralised file uploads again", async () => {
    const batch = parsed(FILE);
    const problems = problemsOf(
      validateBatch(batch.rows, { packetFen: 100, availableFen: 200, lifetimeLimit: 1 }),
    );
    const text = await textOf(invalidRowsCsv(batch, problems, "en"));
    expect(text).toContain(`用户ID,"'=HYPERLINK(""http://evil"")",'+1+1,'@SUM(A1),3,`);
    // Row 4 is valid: it is not in the download.
    expect(text).not.toContain("'-2+3");
    const again = parsed(text.slice(1));
    expect(again.warnings).toEqual([{ key: "batches.warning.unknownColumn", params: { column: "来源" } }]);
    expect(again.rows.map((r) => [r.cells.identity, r.cells.memo])).toEqual([
      ['=HYPERLINK("http://evil")', "+1+1"],
      ["2088123412341235", "ok"],
    ]);
  });

  it("words a problem with its column, or alone for the whole row", () => {
    expect(
      problemText(
        { row: 3, column: "outBizNo", key: "batches.problem.duplicateOutBizNo", params: { otherRow: 9 } },
        "zh-CN",
      ),
    ).toBe("业务单号：与第 9 行的业务单号重复。");
    expect(
      problemText({ row: 3, column: null, key: "batches.problem.overBudget", params: { count: 1 } }, "en"),
    ).toBe("Past what the available budget covers: it pays for 1 packet.");
  });
});
