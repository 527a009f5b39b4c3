import "server-only";
/**
 * Turns the uploaded bytes into text without asking the uploader which encoding they used: Excel on a Chinese
 * Windows saves "CSV" as GBK and "CSV UTF-8" with a byte-order mark; other tools write UTF-8 without one.
 *
 * Order: UTF-8 with BOM → valid UTF-8 (a strict decoder: GBK text with Chinese in it is, in practice, never
 * valid UTF-8) → GB18030 (a superset of GBK and GB2312). Files that are not text are refused before any of
 * this with a message saying what to do. Server-only: iconv-lite works on Node's Buffer.
 */
import iconv from "iconv-lite";
import type { MessageRef } from "@/lib/i18n/messages";
import { MAX_FILE_BYTES } from "./limits";

export type BatchEncoding = "utf-8-bom" | "utf-8" | "gb18030";

export type DecodeResult =
  { ok: true; text: string; encoding: BatchEncoding } | { ok: false; error: MessageRef };

/** Above this share of control bytes (other than tab, CR, LF) the file is not text. */
const MAX_CONTROL_SHARE = 0.01;

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

/** Spreadsheets and archives people upload by mistake, named so the message can say "save it as CSV". */
function looksLikeWorkbook(bytes: Uint8Array): boolean {
  // .xlsx (and every Office Open XML file) is a ZIP; .xls is an OLE2 compound document.
  return (
    startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) ||
    startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
  );
}

function looksBinary(bytes: Uint8Array): boolean {
  let controls = 0;
  for (const byte of bytes) {
    // NUL never occurs in UTF-8 or GB18030 text; one is enough.
    if (byte === 0) return true;
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) controls += 1;
  }
  return controls > bytes.length * MAX_CONTROL_SHARE;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    // The default (ignoreBOM: false) drops a leading BOM.
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

export function decodeBatchFile(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return { ok: false, error: { key: "batches.file.empty" } };
  if (bytes.length > MAX_FILE_BYTES)
    return {
      ok: false,
      error: { key: "batches.file.tooLarge", params: { maxMiB: MAX_FILE_BYTES / 1024 / 1024 } },
    };
  if (looksLikeWorkbook(bytes)) return { ok: false, error: { key: "batches.file.workbook" } };
  // Excel's "Unicode text" is UTF-16 (and tab-separated): checked before the NUL test, which it would fail.
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]))
    return { ok: false, error: { key: "batches.file.utf16" } };
  if (looksBinary(bytes)) return { ok: false, error: { key: "batches.file.binary" } };

  const hasBom = startsWith(bytes, UTF8_BOM);
  const utf8 = decodeUtf8(bytes);
  let text: string;
  let encoding: BatchEncoding;
  if (utf8 !== null) {
    text = utf8;
    encoding = hasBom ? "utf-8-bom" : "utf-8";
  } else if (hasBom) {
    // A BOM promises UTF-8: broken bytes after it are damage, not another encoding.
    return { ok: false, error: { key: "batches.file.badEncoding" } };
  } else {
    text = iconv.decode(bytes, "gb18030");
    // iconv-lite substitutes U+FFFD for byte sequences GB18030 does not define: neither UTF-8 nor GBK.
    if (text.includes("\uFFFD")) return { ok: false, error: { key: "batches.file.badEncoding" } };
    encoding = "gb18030";
  }
  if (text.trim() === "") return { ok: false, error: { key: "batches.file.empty" } };
  return { ok: true, text, encoding };
}
