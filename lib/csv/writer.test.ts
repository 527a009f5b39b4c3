import { describe, expect, it } from "vitest";
import { csvCell, csvLine, csvStream, type CsvRow } from "./writer";

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function textOf(stream: ReadableStream<Uint8Array>): Promise<string> {
  // TextDecoder drops the BOM by default; keep it to see it.
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await bytesOf(stream));
}

describe("csvCell", () => {
  it.each([
    ["plain", "plain"],
    ["", ""],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["line\nbreak", '"line\nbreak"'],
    ["cr\rlf", '"cr\rlf"'],
    ["红包 活动", "红包 活动"],
  ])("quotes %j as %j (RFC 4180)", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['=HYPERLINK("http://evil")', '"\'=HYPERLINK(""http://evil"")"'],
    ["+1+1", "'+1+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["\r=1", '"\'\r=1"'],
  ])("neutralises the formula %j as %j", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it("leaves numbers (negative ones too) and text with a formula character later on alone", () => {
    expect(csvCell(-12.5)).toBe("-12.5");
    expect(csvCell(0)).toBe("0");
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell("user@example.com")).toBe("user@example.com");
  });

  it("writes null and undefined as empty cells", () => {
    expect(csvLine(["a", null, undefined, "b"])).toBe("a,,,b\r\n");
  });
});

describe("csvStream", () => {
  it("starts with the UTF-8 byte-order mark and ends every record with CRLF", async () => {
    const bytes = await bytesOf(csvStream(["名称", "金额"], [["新年红包", 12]]));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(await textOf(csvStream(["名称", "金额"], [["新年红包", 12]]))).toBe(
      "\uFEFF名称,金额\r\n新年红包,12\r\n",
    );
  });

  it("writes just the header for no rows", async () => {
    expect(await textOf(csvStream(["a", "b"], []))).toBe("\uFEFFa,b\r\n");
  });

  it("streams many rows from an async source in several chunks, each row whole and in order", async () => {
    const count = 5000;
    async function* rows(): AsyncGenerator<CsvRow> {
      for (let i = 0; i < count; i++) yield [i, `row "${i}", 红包`];
    }
    const chunks: string[] = [];
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    const reader = csvStream(["n", "text"], rows()).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      chunks.push(decoder.decode(next.value));
    }
    expect(chunks.length).toBeGreaterThan(1);
    // Chunks end on record boundaries: no record is split between two chunks.
    for (const chunk of chunks) expect(chunk.endsWith("\r\n")).toBe(true);
    const lines = chunks.join("").split("\r\n");
    expect(lines[0]).toBe("\uFEFFn,text");
    expect(lines[1]).toBe('0,"row ""0"", 红包"');
    expect(lines[count]).toBe(`${count - 1},"row ""${count - 1}"", 红包"`);
    expect(lines).toHaveLength(count + 2); // header, rows, and the empty tail after the last CRLF
  });

  it("reads the source only as far as the reader asks, and stops it when the reader cancels", async () => {
    let produced = 0;
    let finished = false;
    async function* rows(): AsyncGenerator<CsvRow> {
      try {
        for (let i = 0; i < 1_000_000; i++) {
          produced += 1;
          yield [i, "x".repeat(100)];
        }
      } finally {
        finished = true;
      }
    }
    const reader = csvStream(["n", "text"], rows()).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await reader.cancel();
    expect(finished).toBe(true);
    // A chunk is about 16 KB: a couple of hundred rows of ~105 characters, far from the million on offer.
    expect(produced).toBeLessThan(1000);
  });
});
