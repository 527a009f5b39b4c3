import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeBatchFile } from "./decode";
import { MAX_FILE_BYTES } from "./limits";

const HEADER = "收款人类型,收款人,姓名,备注\r\n登录账号,13812345678,张三,新年快乐\r\n";
const utf8 = (text: string) => new TextEncoder().encode(text);
const withBom = (bytes: Uint8Array) => new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);

describe("decodeBatchFile: encodings, detected without asking", () => {
  it("reads UTF-8 with a BOM and drops the BOM", () => {
    expect(decodeBatchFile(withBom(utf8(HEADER)))).toEqual({
      ok: true,
      text: HEADER,
      encoding: "utf-8-bom",
    });
  });

  it("reads UTF-8 without a BOM", () => {
    expect(decodeBatchFile(utf8(HEADER))).toEqual({ ok: true, text: HEADER, encoding: "utf-8" });
  });

  it("reads plain ASCII as UTF-8", () => {
    expect(decodeBatchFile(utf8("recipient_type,recipient_id\n"))).toMatchObject({
      ok: true,
      encoding: "utf-8",
    });
  });

  it("reads GBK (what Excel on a Chinese Windows saves) as GB18030", () => {
    const gbk = iconv.encode(HEADER, "gbk");
    // The bytes really are not UTF-8: the detection is doing the work.
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(gbk)).toThrow();
    expect(decodeBatchFile(gbk)).toEqual({ ok: true, text: HEADER, encoding: "gb18030" });
  });

  it("reads GB18030-only characters (beyond GBK) too", () => {
    const text = "姓名\r\n𠀀\r\n"; // U+20000 is encoded in GB18030's four-byte range
    expect(decodeBatchFile(iconv.encode(text, "gb18030"))).toEqual({ ok: true, text, encoding: "gb18030" });
  });
});

describe("decodeBatchFile: refusals with a message key", () => {
  it("refuses an empty file and one holding only a BOM or blanks", () => {
    expect(decodeBatchFile(new Uint8Array())).toEqual({ ok: false, error: { key: "batches.file.empty" } });
    expect(decodeBatchFile(withBom(new Uint8Array()))).toEqual({
      ok: false,
      error: { key: "batches.file.empty" },
    });
    expect(decodeBatchFile(utf8(" \r\n\r\n"))).toEqual({ ok: false, error: { key: "batches.file.empty" } });
  });

  it("refuses a file over the size limit, naming the limit", () => {
    expect(decodeBatchFile(new Uint8Array(MAX_FILE_BYTES + 1).fill(0x61))).toEqual({
      ok: false,
      error: { key: "batches.file.tooLarge", params: { maxMiB: 10 } },
    });
  });

  it("refuses binary files: a NUL byte, or many control characters", () => {
    expect(decodeBatchFile(utf8("a,b\n1,\u00002\n"))).toEqual({
      ok: false,
      error: { key: "batches.file.binary" },
    });
    const controls = utf8(`a,b\n${"\u0001\u0002\u0003x".repeat(50)}\n`);
    expect(decodeBatchFile(controls)).toEqual({ ok: false, error: { key: "batches.file.binary" } });
    // A stray form feed in a big text file is not binary.
    expect(decodeBatchFile(utf8(`a,b\n${"1,2\n".repeat(100)}\f\n`))).toMatchObject({ ok: true });
  });

  it("says a workbook must be saved as CSV (xlsx is a ZIP, xls an OLE2 file)", () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00]);
    expect(decodeBatchFile(zip)).toEqual({ ok: false, error: { key: "batches.file.workbook" } });
    expect(decodeBatchFile(ole)).toEqual({ ok: false, error: { key: "batches.file.workbook" } });
  });

  it("says UTF-16 text must be saved as CSV UTF-8", () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...iconv.encode("a,b", "utf-16le")]);
    expect(decodeBatchFile(utf16)).toEqual({ ok: false, error: { key: "batches.file.utf16" } });
  });

  it("refuses bytes that are neither UTF-8 nor GB18030, and broken UTF-8 after a BOM", () => {
    // 0x80 and 0xFF are not lead bytes in GB18030 and not valid UTF-8.
    expect(decodeBatchFile(new Uint8Array([0x61, 0x2c, 0xff, 0x80, 0x0a]))).toEqual({
      ok: false,
      error: { key: "batches.file.badEncoding" },
    });
    expect(decodeBatchFile(withBom(iconv.encode(HEADER, "gbk")))).toEqual({
      ok: false,
      error: { key: "batches.file.badEncoding" },
    });
  });
});
