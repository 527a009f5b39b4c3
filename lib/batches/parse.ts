/**
 * Reads decoded CSV text into rows keyed by field, each with the row number a spreadsheet shows (the header is
 * row 1). File-level faults (no header, a required column missing, too many rows, a broken quote, a huge
 * cell) end the parse with one message naming the row and column; a row's own faults are validate.ts's job.
 * csv-parse's errors never leave this module. Pure, but csv-parse works on Node's Buffer: parse on the server
 * (the upload is parsed there anyway, under the decoder's limits).
 */
import { CsvError, parse } from "csv-parse/sync";
import type { MessageRef } from "@/lib/i18n/messages";
import { BATCH_COLUMNS, BATCH_FIELDS, columnHeadersText, fieldForHeader, type BatchField } from "./columns";
import { MAX_FIELD_CHARS, MAX_RECORD_CHARS, MAX_ROWS } from "./limits";

export type BatchCells = Readonly<Record<BatchField, string>>;

export type ParsedRow = {
  /** 1-based, as a spreadsheet numbers it: the header is row 1, the first data row 2. */
  row: number;
  /** Trimmed cells of the known columns; "" for a column the file does not have or leaves empty. */
  cells: BatchCells;
  /** The record as read (every column, untrimmed), for the invalid-rows download. */
  raw: readonly string[];
};

export type ParsedBatch = {
  /** The header as read, for the invalid-rows download. */
  header: readonly string[];
  rows: ParsedRow[];
  /** Unknown columns, ignored: shown to the uploader so a misspelt header is noticed. */
  warnings: MessageRef[];
};

export type ParseResult = ({ ok: true } & ParsedBatch) | { ok: false; error: MessageRef };

/**
 * Text our exports neutralised (`'=…`, lib/csv/writer.ts) comes back without the quote, so a downloaded
 * invalid-rows file can be fixed and uploaded again unchanged. The writer also quotes a leading tab or CR (which
 * reading trims away), so the quote is dropped before the cell is trimmed, not after.
 */
const NEUTRALISED_FORMULA = /^'(?=[=+\-@\t\r])/;

function cellText(value: string | undefined): string {
  return (value ?? "").trimStart().replace(NEUTRALISED_FORMULA, "").trim();
}

function readRecords(text: string): { ok: true; records: string[][] } | { ok: false; error: MessageRef } {
  try {
    const records = parse(text, {
      bom: true,
      // Files edited by hand mix line ends; csv-parse otherwise keeps the first one it sees.
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_column_count: true,
      // A stray quote inside an unquoted cell (`5"`) is text, as spreadsheets read it.
      relax_quotes: true,
      max_record_size: MAX_RECORD_CHARS,
    });
    return { ok: true, records };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // `records` counts the records read before the faulty one; +1 is the faulty record, +1 more the 1-based row.
    const row = readNumber(error, "records") + 1;
    if (error.code === "CSV_MAX_RECORD_SIZE")
      return { ok: false, error: { key: "batches.file.recordTooLong", params: { row } } };
    if (error.code === "CSV_QUOTE_NOT_CLOSED")
      return { ok: false, error: { key: "batches.file.quoteNotClosed", params: { row } } };
    return { ok: false, error: { key: "batches.file.malformed", params: { row } } };
  }
}

/** CsvError copies its parse context (records read, lines, …) onto itself as untyped properties. */
function readNumber(error: CsvError, name: string): number {
  const value = error[name];
  return typeof value === "number" ? value : 0;
}

function isBlank(record: readonly string[]): boolean {
  return record.every((cell) => cell.trim() === "");
}

export function parseBatchCsv(text: string): ParseResult {
  const read = readRecords(text);
  if (!read.ok) return read;
  const [header, ...records] = read.records;
  if (!header || isBlank(header)) return { ok: false, error: { key: "batches.file.noHeader" } };

  const positions = new Map<BatchField, number>();
  const warnings: MessageRef[] = [];
  for (const [index, text] of header.entries()) {
    const field = fieldForHeader(text);
    if (field === "ignored") continue;
    if (field === null) {
      warnings.push({ key: "batches.warning.unknownColumn", params: { column: text.trim() } });
      continue;
    }
    if (positions.has(field))
      return {
        ok: false,
        error: { key: "batches.file.duplicateColumn", params: { column: columnHeadersText(field) } },
      };
    positions.set(field, index);
  }
  const missing = BATCH_COLUMNS.filter((c) => c.required && !positions.has(c.field));
  if (missing.length > 0)
    return {
      ok: false,
      error: {
        key: "batches.file.missingColumns",
        params: { columns: missing.map((c) => columnHeadersText(c.field)).join(", ") },
      },
    };

  const rows: ParsedRow[] = [];
  for (const [index, record] of records.entries()) {
    // Spreadsheets save emptied rows as `,,,,`: skipped, but they keep their number.
    if (isBlank(record)) continue;
    const row = index + 2;
    if (rows.length === MAX_ROWS)
      return { ok: false, error: { key: "batches.file.tooManyRows", params: { max: MAX_ROWS } } };
    const cells = {} as Record<BatchField, string>;
    for (const field of BATCH_FIELDS) {
      const position = positions.get(field);
      const value = position === undefined ? "" : cellText(record[position]);
      if (value.length > MAX_FIELD_CHARS)
        return {
          ok: false,
          error: {
            key: "batches.file.fieldTooLong",
            params: { row, column: columnHeadersText(field), max: MAX_FIELD_CHARS },
          },
        };
      cells[field] = value;
    }
    rows.push({ row, cells, raw: record });
  }
  if (rows.length === 0) return { ok: false, error: { key: "batches.file.noRows" } };
  return { ok: true, header, rows, warnings };
}
